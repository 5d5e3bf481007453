package dev.topicprocessor.processor;

/**
 * A processor could not process a message, and never will: the event becomes a dead letter with
 * this message as its error. Throw {@link RetriableProcessingException} when the failure may pass.
 */
public class ProcessingException extends RuntimeException {

  public ProcessingException(String message) {
    super(message);
  }

  public ProcessingException(String message, Throwable cause) {
    super(message, cause);
  }
}
