package dev.topicprocessor.intake;

/** What {@link Intake#accept} did with an event; a source answers its sender from it. */
public sealed interface IntakeResult {

  /** Committed to the journal: it will be processed, also after a crash. */
  record Accepted() implements IntakeResult {}

  /** The journal already had it: acknowledged again, not processed again. */
  record Duplicate() implements IntakeResult {}

  /** Not taken: the journal's backlog is full or the processor is stopping. Try again later. */
  record Overloaded(String reason) implements IntakeResult {}

  /** Not taken: the journal could not record it. Try again later. */
  record Unavailable(String reason, Throwable cause) implements IntakeResult {}
}
