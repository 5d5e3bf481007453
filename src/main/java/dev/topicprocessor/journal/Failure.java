package dev.topicprocessor.journal;

import java.util.Set;

/**
 * How an event's processing failed, as the journal keeps it.
 *
 * @param attempts processing attempts that failed so far, this one included
 * @param firstFailureAt when the first of them failed (epoch ms): the retry budget runs from it
 * @param reason a short stable name (the metrics label), e.g. {@code too-large}
 * @param error what happened, for the operator
 * @param published the outputs already published, never published again
 */
public record Failure(
    int attempts, long firstFailureAt, String reason, String error, Set<String> published) {

  public Failure {
    published = Set.copyOf(published);
  }
}
