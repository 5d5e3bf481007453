package dev.topicprocessor.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  private final RetryPolicy cut = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(1));

  @Test
  void backoffGrowsWithJitterWithinItsBounds() {
    long[] ceilings = {100, 200, 400, 800, 1000, 1000};
    for (int attempt = 1; attempt <= ceilings.length; attempt++) {
      long max = 0;
      for (int i = 0; i < 2000; i++) {
        long wait = cut.backoff(attempt).toMillis();
        assertTrue(wait >= 0 && wait <= ceilings[attempt - 1], attempt + ": " + wait);
        max = Math.max(max, wait);
      }
      assertTrue(max > ceilings[attempt - 1] / 2, "jitter spreads over the range");
    }
  }
}
