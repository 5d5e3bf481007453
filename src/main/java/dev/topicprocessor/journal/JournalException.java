package dev.topicprocessor.journal;

/** The journal could not do what was asked: the database is unreachable, full or misconfigured. */
public class JournalException extends RuntimeException {

  public JournalException(String message, Throwable cause) {
    super(message, cause);
  }

  public JournalException(String message) {
    super(message);
  }
}
