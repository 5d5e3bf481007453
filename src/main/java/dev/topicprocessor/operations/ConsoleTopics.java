package dev.topicprocessor.operations;

import dev.topicprocessor.event.FieldLimits;
import dev.topicprocessor.problem.ProblemException;
import dev.topicprocessor.problem.ProblemType;
import momento.sdk.exceptions.SdkException;

/**
 * The topic a console request names, checked before Momento is asked, and Momento's refusal turned
 * into the caller's problem: a name Momento refuses or a cache it does not have is the caller's
 * mistake (4xx); only Momento failing is a 502.
 */
final class ConsoleTopics {

  private ConsoleTopics() {}

  static void check(String cache, String topic) {
    checkName("cache", cache);
    checkName("topic", topic);
  }

  private static void checkName(String what, String name) {
    if (name == null || name.isBlank()) {
      throw new ProblemException(ProblemType.BAD_REQUEST, "the " + what + " name is empty");
    }
    FieldLimits.nameProblem(name)
        .ifPresent(
            why -> {
              throw new ProblemException(ProblemType.BAD_REQUEST, "the " + what + " name " + why);
            });
  }

  static ProblemException refused(SdkException error) {
    ProblemType type =
        switch (error.getErrorCode()) {
          case INVALID_ARGUMENT_ERROR, BAD_REQUEST_ERROR -> ProblemType.BAD_REQUEST;
          case NOT_FOUND_ERROR -> ProblemType.NOT_FOUND;
          default -> ProblemType.PUBLISH_FAILED;
        };
    return new ProblemException(type, error.getErrorCode() + ": " + error.getMessage());
  }
}
