package dev.topicprocessor.event;

import java.util.Optional;

/**
 * What every source must check before it hands an event to the intake: the journal keeps a cache or
 * topic name in 255 characters, and a name with a control character or a string that is not valid
 * Unicode is refused as bad input, never discovered as a database error.
 */
public final class FieldLimits {

  /** The longest cache or topic name, in UTF-16 units (the journal's {@code VARCHAR(255)}). */
  public static final int MAX_NAME_LENGTH = 255;

  /** The longest publisher token id kept with an event. */
  public static final int MAX_TOKEN_ID_LENGTH = 1024;

  private FieldLimits() {}

  /** Why a cache or topic name cannot be taken in, if it cannot; emptiness is the caller's. */
  public static Optional<String> nameProblem(String name) {
    return boundedProblem(name, MAX_NAME_LENGTH);
  }

  /** Why a publisher token id cannot be taken in, if it cannot. */
  public static Optional<String> tokenIdProblem(String tokenId) {
    return boundedProblem(tokenId, MAX_TOKEN_ID_LENGTH);
  }

  /** Why a message text cannot be taken in, if it cannot: any character is allowed, NUL too. */
  public static Optional<String> textProblem(String text) {
    return loneSurrogate(text) ? Optional.of(NOT_UNICODE) : Optional.empty();
  }

  private static final String NOT_UNICODE = "is not valid Unicode (it has a lone surrogate)";

  private static Optional<String> boundedProblem(String value, int maxLength) {
    if (value.length() > maxLength) {
      return Optional.of(
          "is " + value.length() + " characters long; at most " + maxLength + " are allowed");
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        return Optional.of(
            "contains a control character (U+%04X)".formatted((int) value.charAt(i)));
      }
    }
    return loneSurrogate(value) ? Optional.of(NOT_UNICODE) : Optional.empty();
  }

  private static boolean loneSurrogate(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
          i++;
        } else {
          return true;
        }
      } else if (Character.isLowSurrogate(c)) {
        return true;
      }
    }
    return false;
  }
}
