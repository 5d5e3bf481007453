package dev.topicprocessor.source.subscription;

/**
 * How one subscription stands, for health and the console.
 *
 * @param connected whether its stream is open (a heartbeat or an item came on it)
 * @param paused whether it waits for room in the journal before it reads on
 * @param sequencePage the sequence page of the last item taken in
 * @param lastSequence the sequence number of the last item taken in (0: none yet)
 * @param taken items taken in since the start
 * @param gaps discontinuities seen: items the topic no longer had, or a reset of the topic
 * @param missed items known to be gone (0 for a reset, where it is not known)
 * @param reconnects streams opened again after an error, an end or a silence
 * @param lastError what ended the last stream, or null
 */
public record SubscriptionStatus(
    String cache,
    String topic,
    boolean connected,
    boolean paused,
    long sequencePage,
    long lastSequence,
    long taken,
    long gaps,
    long missed,
    long reconnects,
    String lastError) {}
