package dev.topicprocessor.sink.topic;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import momento.sdk.exceptions.LimitExceededException;
import momento.sdk.exceptions.MomentoErrorCode;
import momento.sdk.exceptions.SdkException;

/**
 * Which publish errors are worth another attempt, and how long to wait: exponential backoff with
 * full jitter, bounded. Publish is not idempotent on Momento's side, so a retry after a timeout may
 * publish twice; losing the message would be worse.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

  private static final Set<MomentoErrorCode> RETRIABLE =
      Set.of(
          MomentoErrorCode.SERVER_UNAVAILABLE,
          MomentoErrorCode.TIMEOUT_ERROR,
          MomentoErrorCode.INTERNAL_SERVER_ERROR,
          MomentoErrorCode.UNKNOWN_SERVICE_ERROR,
          MomentoErrorCode.CANCELLED_ERROR,
          MomentoErrorCode.CONNECTION,
          MomentoErrorCode.CLIENT_RESOURCE_EXHAUSTED,
          MomentoErrorCode.LIMIT_EXCEEDED_ERROR);

  public static boolean retriable(SdkException error) {
    if (error.getErrorCode() == MomentoErrorCode.LIMIT_EXCEEDED_ERROR) {
      // Rate limits pass; a message that is too large stays too large.
      String message = String.valueOf(error.getMessage()).toLowerCase(java.util.Locale.ROOT);
      return error instanceof LimitExceededException && !message.contains("size limit");
    }
    return RETRIABLE.contains(error.getErrorCode());
  }

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
