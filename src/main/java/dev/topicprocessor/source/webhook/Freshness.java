package dev.topicprocessor.source.webhook;

import dev.topicprocessor.momento.WebhookEvent;
import dev.topicprocessor.problem.ProblemException;
import dev.topicprocessor.problem.ProblemType;
import java.time.Duration;

/**
 * Refuses replayed and implausible events: Momento advised rejecting events whose {@code
 * publish_timestamp} is more than 60 s old.
 */
public record Freshness(Duration maxAge, Duration futureTolerance) {

  public void check(WebhookEvent event, long nowMillis) {
    long age = nowMillis - event.publishTimestamp();
    if (age > maxAge.toMillis()) {
      throw new ProblemException(
          ProblemType.STALE_EVENT,
          "publish_timestamp is "
              + age
              + " ms old; events older than "
              + maxAge.toMillis()
              + " ms are refused");
    }
    if (-age > futureTolerance.toMillis()) {
      throw new ProblemException(
          ProblemType.FUTURE_EVENT,
          "publish_timestamp is "
              + -age
              + " ms in the future; more than "
              + futureTolerance.toMillis()
              + " ms is refused");
    }
  }
}
