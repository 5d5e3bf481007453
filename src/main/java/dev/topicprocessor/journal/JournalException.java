package dev.topicprocessor.journal;

/** The journal could not do what was asked: the database is unreachable, full or misconfigured. */
public class JournalException extends RuntimeException {

  public JournalException(String message, Throwable cause) {
    super(message, cause);
  }

  public JournalException(String message) {
    super(message);
  }

  /**
   * What the deepest cause of a failure says (a pool's timeout wraps the driver's "connection
   * refused"): for operators, with no stack trace. A driver's message names the host and the user,
   * never the password.
   */
  public static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
