package dev.topicprocessor.sink.topic;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import momento.sdk.exceptions.MomentoErrorCode;
import momento.sdk.exceptions.SdkException;
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

  @Test
  void transientErrorsAreRetriedPermanentOnesAreNot() {
    for (MomentoErrorCode code :
        new MomentoErrorCode[] {
          MomentoErrorCode.SERVER_UNAVAILABLE,
          MomentoErrorCode.TIMEOUT_ERROR,
          MomentoErrorCode.INTERNAL_SERVER_ERROR
        }) {
      assertTrue(RetryPolicy.retriable(new SdkException(code, "x")), code.name());
    }
    for (MomentoErrorCode code :
        new MomentoErrorCode[] {
          MomentoErrorCode.NOT_FOUND_ERROR,
          MomentoErrorCode.AUTHENTICATION_ERROR,
          MomentoErrorCode.PERMISSION_ERROR,
          MomentoErrorCode.INVALID_ARGUMENT_ERROR,
          MomentoErrorCode.BAD_REQUEST_ERROR
        }) {
      assertFalse(RetryPolicy.retriable(new SdkException(code, "x")), code.name());
    }
  }
}
