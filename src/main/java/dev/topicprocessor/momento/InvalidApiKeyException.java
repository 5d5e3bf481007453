package dev.topicprocessor.momento;

/**
 * A Momento API key, or the endpoint given with it, that cannot be used. The message says what is
 * wrong and never quotes the key.
 */
public final class InvalidApiKeyException extends IllegalArgumentException {

  private final ApiKey.Part part;

  InvalidApiKeyException(ApiKey.Part part, String message) {
    super(message);
    this.part = part;
  }

  /** Whether the key or the endpoint given beside it is wrong. */
  public ApiKey.Part part() {
    return part;
  }
}
