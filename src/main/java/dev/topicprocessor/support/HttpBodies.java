package dev.topicprocessor.support;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** What requests to other services send and report: a body's content type, an answer's excerpt. */
public final class HttpBodies {

  /** How much of an error answer is kept for a dead letter or a log line. */
  public static final int EXCERPT_CHARS = 200;

  private static final ObjectMapper JSON =
      Json.mapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private HttpBodies() {}

  /** {@code application/json} when the whole text parses as JSON, else UTF-8 plain text. */
  public static String contentType(String text) {
    try (JsonParser parser = JSON.createParser(text)) {
      JSON.readTree(parser);
      return "application/json";
    } catch (IOException notJson) {
      return "text/plain; charset=utf-8";
    }
  }

  /** {@code ": "} and the start of an answer on one line, or nothing when it is empty. */
  public static String excerpt(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    String oneLine = body.strip().replaceAll("\\s+", " ");
    return ": "
        + (oneLine.length() > EXCERPT_CHARS ? oneLine.substring(0, EXCERPT_CHARS) + "…" : oneLine);
  }

  /** Whether an answer with this status may be different if asked again later. */
  public static boolean retriable(int status) {
    return status == 408 || status == 429 || status >= 500;
  }
}
