package dev.topicprocessor.problem;

import java.net.URI;

/** Every failure the HTTP API reports, each with a stable problem {@code type} (RFC 9457). */
public enum ProblemType {
  SIGNATURE_MISSING(401, "Missing signature"),
  SIGNATURE_INVALID(401, "Invalid signature"),
  BODY_TOO_LARGE(413, "Body too large"),
  MALFORMED_EVENT(400, "Not a Momento webhook event"),
  STALE_EVENT(400, "Event too old"),
  FUTURE_EVENT(400, "Event from the future"),
  OVERLOADED(503, "Too busy to accept the event"),
  NOT_READY(503, "Not ready"),
  JOURNAL_UNAVAILABLE(503, "The event could not be recorded"),
  UNAUTHORIZED(401, "Operator credentials required"),
  FORBIDDEN(403, "Not an operator"),
  CONSOLE_DISABLED(404, "Console disabled"),
  BAD_REQUEST(400, "Bad request"),
  NOT_FOUND(404, "Not found"),
  ROUTES_INVALID(422, "Routes refused"),
  METHOD_NOT_ALLOWED(405, "Method not allowed"),
  NOT_ACCEPTABLE(406, "Not acceptable"),
  UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
  PUBLISH_FAILED(502, "Publishing to Momento failed"),
  INTERNAL_ERROR(500, "Internal error");

  private static final String BASE = "urn:topic-processor:problem:";

  private final int status;
  private final String title;

  ProblemType(int status, String title) {
    this.status = status;
    this.title = title;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  /** The short, stable name: also the {@code reason} label in the metrics. */
  public String slug() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  public URI type() {
    return URI.create(BASE + slug());
  }

  /** The type matching a plain HTTP status, for errors the JAX-RS runtime raises itself. */
  public static ProblemType forStatus(int status) {
    return switch (status) {
      case 404 -> NOT_FOUND;
      case 405 -> METHOD_NOT_ALLOWED;
      case 406 -> NOT_ACCEPTABLE;
      case 413 -> BODY_TOO_LARGE;
      case 415 -> UNSUPPORTED_MEDIA_TYPE;
      case 503 -> NOT_READY;
      default -> status >= 500 ? INTERNAL_ERROR : BAD_REQUEST;
    };
  }
}
