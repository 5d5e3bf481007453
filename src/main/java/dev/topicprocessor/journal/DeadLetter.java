package dev.topicprocessor.journal;

import dev.topicprocessor.event.EventKey;
import dev.topicprocessor.event.InboundEvent;
import java.util.List;

/**
 * An event whose processing failed for good: kept with its last error until an operator replays or
 * deletes it.
 *
 * @param event the event as it was taken in
 * @param published the outputs that were published before it failed (a replay skips them)
 */
public record DeadLetter(
    long id,
    InboundEvent event,
    long acceptedAt,
    long deadAt,
    int attempts,
    String reason,
    String error,
    List<String> published) {

  public EventKey key() {
    return event.key();
  }
}
