package dev.topicprocessor.source.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.topicprocessor.momento.WebhookEvent;
import dev.topicprocessor.problem.ProblemException;
import dev.topicprocessor.problem.ProblemType;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FreshnessTest {

  private final Freshness cut = new Freshness(Duration.ofSeconds(60), Duration.ofSeconds(10));
  private static final long NOW = 1_800_000_000_000L;

  private static WebhookEvent publishedAt(long millis) {
    return new WebhookEvent("c", "t", millis, millis, 1, "", "x");
  }

  @Test
  void acceptsEventsUpToTheWindow() {
    cut.check(publishedAt(NOW), NOW);
    cut.check(publishedAt(NOW - 60_000), NOW);
    cut.check(publishedAt(NOW + 10_000), NOW);
  }

  @Test
  void refusesOlderEvents() {
    ProblemException e =
        assertThrows(ProblemException.class, () -> cut.check(publishedAt(NOW - 60_001), NOW));
    assertEquals(ProblemType.STALE_EVENT, e.problemType());
  }

  @Test
  void refusesEventsTooFarAhead() {
    ProblemException e =
        assertThrows(ProblemException.class, () -> cut.check(publishedAt(NOW + 10_001), NOW));
    assertEquals(ProblemType.FUTURE_EVENT, e.problemType());
  }
}
