package dev.topicprocessor.problem;

/** Ends a request with a problem response; mapped by {@link ProblemMappers}. */
public class ProblemException extends RuntimeException {

  private final transient Problem problem;
  private final ProblemType problemType;

  public ProblemException(ProblemType type, String detail) {
    super(type.slug() + ": " + detail, null, false, false);
    this.problemType = type;
    this.problem = Problem.of(type, detail);
  }

  /** A problem caused by {@code cause}: kept for the log, never shown to the caller. */
  public ProblemException(ProblemType type, String detail, Throwable cause) {
    super(type.slug() + ": " + detail, cause, false, false);
    this.problemType = type;
    this.problem = Problem.of(type, detail);
  }

  public Problem problem() {
    return problem;
  }

  public ProblemType problemType() {
    return problemType;
  }
}
