package dev.topicprocessor.routing;

/** The routes file cannot be used; the message says where and why. */
public class InvalidRoutesException extends RuntimeException {

  public InvalidRoutesException(String message) {
    super(message);
  }

  public InvalidRoutesException(String message, Throwable cause) {
    super(message, cause);
  }
}
