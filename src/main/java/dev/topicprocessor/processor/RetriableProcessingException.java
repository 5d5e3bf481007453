package dev.topicprocessor.processor;

/**
 * A processor could not process a message for a reason that may pass (a service it calls is down,
 * busy or slow): the event is processed again later, with backoff, for as long as {@code
 * TOPIC_PROCESSOR_RETRY_SECONDS} allows, and only then becomes a dead letter.
 */
public class RetriableProcessingException extends ProcessingException {

  public RetriableProcessingException(String message) {
    super(message);
  }

  public RetriableProcessingException(String message, Throwable cause) {
    super(message, cause);
  }
}
