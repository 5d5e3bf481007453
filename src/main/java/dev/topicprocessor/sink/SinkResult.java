package dev.topicprocessor.sink;

/** How one attempt to deliver an output ended. */
public sealed interface SinkResult {

  record Delivered() implements SinkResult {}

  /**
   * @param reason a short stable name (the metrics label), e.g. {@code too-large}
   * @param detail what happened, for the log and the dead letter
   * @param retriable whether a later attempt could succeed
   */
  record Failed(String reason, String detail, boolean retriable) implements SinkResult {}

  /**
   * Not attempted, and never deliverable (too large for the destination): a failure for good.
   *
   * @param reason a short stable name (the metrics label), e.g. {@code too-large}
   */
  record Refused(String reason, String detail) implements SinkResult {}
}
