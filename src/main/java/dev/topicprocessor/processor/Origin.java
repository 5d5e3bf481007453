package dev.topicprocessor.processor;

/**
 * Where a message came from: the inbound event's topic, position and times, the same for every
 * message a route makes of it.
 *
 * @param topicSequenceNumber the event's sequence number in its topic
 * @param sequencePage the topic's sequence page (0 when the source does not say, as webhooks)
 * @param publishTimestamp when it was published (epoch ms; for a subscription, when it was taken
 *     in)
 * @param eventTimestamp when Momento sent it (epoch ms), or 0 when unknown
 * @param tokenId the publisher's token id, empty when it has none
 * @param via how it arrived: {@code webhook} or {@code subscription}
 */
public record Origin(
    String cache,
    String topic,
    long topicSequenceNumber,
    long sequencePage,
    long publishTimestamp,
    long eventTimestamp,
    String tokenId,
    String via) {}
