package dev.topicprocessor.processor;

/** A processor could not process a message; the event is failed with this message as reason. */
public class ProcessingException extends RuntimeException {

  public ProcessingException(String message) {
    super(message);
  }

  public ProcessingException(String message, Throwable cause) {
    super(message, cause);
  }
}
