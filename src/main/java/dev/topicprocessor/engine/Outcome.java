package dev.topicprocessor.engine;

import java.util.Set;

/** How processing an event ended. */
public sealed interface Outcome {

  /** Every output was delivered (or the event had none). */
  record Done() implements Outcome {}

  /**
   * @param retriable whether a later attempt may succeed
   * @param reason a short stable name (the metrics label)
   * @param delivered the outputs delivered so far, never delivered again
   * @param retryAfter not before this long (a destination said so); zero when none did
   */
  record Failed(
      boolean retriable,
      String reason,
      String detail,
      Set<String> delivered,
      java.time.Duration retryAfter)
      implements Outcome {

    public Failed {
      delivered = Set.copyOf(delivered);
      retryAfter = retryAfter == null ? java.time.Duration.ZERO : retryAfter;
    }

    public Failed(boolean retriable, String reason, String detail, Set<String> delivered) {
      this(retriable, reason, detail, delivered, java.time.Duration.ZERO);
    }
  }
}
