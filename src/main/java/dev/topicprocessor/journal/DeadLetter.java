package dev.topicprocessor.journal;

import java.util.List;

/**
 * An event whose processing failed for good: kept with its last error until an operator replays or
 * deletes it.
 *
 * @param body the webhook body as Momento sent it
 * @param published the outputs that were published before it failed (a replay skips them)
 */
public record DeadLetter(
    long id,
    EventKey key,
    byte[] body,
    long acceptedAt,
    long deadAt,
    int attempts,
    String reason,
    String error,
    List<String> published) {}
