package dev.topicprocessor.engine;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and how long to wait before trying again: exponential backoff with full jitter,
 * bounded. The same for every sink.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

  /**
   * The wait before attempt {@code attempt + 1}: random in [0, min(max, initial * 2^(attempt-1))].
   */
  public Duration backoff(int attempt) {
    long ceiling =
        Math.min(
            maxBackoff.toMillis(),
            initialBackoff.toMillis() << Math.min(20, Math.max(0, attempt - 1)));
    return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
  }
}
