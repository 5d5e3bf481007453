package dev.topicprocessor.sink.topic;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import momento.sdk.exceptions.MomentoErrorCode;
import momento.sdk.exceptions.SdkException;
import org.junit.jupiter.api.Test;

class TopicErrorsTest {

  @Test
  void transientErrorsAreRetriedPermanentOnesAreNot() {
    for (MomentoErrorCode code :
        new MomentoErrorCode[] {
          MomentoErrorCode.SERVER_UNAVAILABLE,
          MomentoErrorCode.TIMEOUT_ERROR,
          MomentoErrorCode.INTERNAL_SERVER_ERROR,
          // A refused key: the event waits for an accepted one rather than becoming a dead letter.
          MomentoErrorCode.AUTHENTICATION_ERROR
        }) {
      assertTrue(TopicSink.retriable(new SdkException(code, "x")), code.name());
    }
    for (MomentoErrorCode code :
        new MomentoErrorCode[] {
          MomentoErrorCode.NOT_FOUND_ERROR,
          MomentoErrorCode.PERMISSION_ERROR,
          MomentoErrorCode.INVALID_ARGUMENT_ERROR,
          MomentoErrorCode.BAD_REQUEST_ERROR
        }) {
      assertFalse(TopicSink.retriable(new SdkException(code, "x")), code.name());
    }
  }
}
