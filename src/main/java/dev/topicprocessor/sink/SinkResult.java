package dev.topicprocessor.sink;

/** How one attempt to deliver an output ended. */
public sealed interface SinkResult {

  record Delivered() implements SinkResult {}

  /**
   * @param reason a short stable name (the metrics label), e.g. {@code http-503}
   * @param detail what happened, for the log and the dead letter
   * @param retriable whether a later attempt could succeed
   * @param retryAfter not before this long (the destination said so, as HTTP's {@code
   *     Retry-After}); zero when it did not say
   */
  record Failed(String reason, String detail, boolean retriable, java.time.Duration retryAfter)
      implements SinkResult {

    public Failed {
      retryAfter = retryAfter == null ? java.time.Duration.ZERO : retryAfter;
    }

    public Failed(String reason, String detail, boolean retriable) {
      this(reason, detail, retriable, java.time.Duration.ZERO);
    }
  }

  /**
   * Not attempted, and never deliverable (too large for the destination): a failure for good.
   *
   * @param reason a short stable name (the metrics label), e.g. {@code too-large}
   */
  record Refused(String reason, String detail) implements SinkResult {}
}
