package dev.topicprocessor.source.webhook;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.topicprocessor.event.FieldLimits;
import dev.topicprocessor.momento.WebhookEvent;
import dev.topicprocessor.problem.ProblemException;
import dev.topicprocessor.problem.ProblemType;
import dev.topicprocessor.support.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns a webhook body into a {@link WebhookEvent}, or refuses it with a problem saying what is
 * wrong. Unknown fields are ignored (Momento may add some); known ones must have their types.
 */
public final class WebhookEventParser {

  private static final ObjectMapper JSON =
      JsonMapper.builder(
              Json.factoryBuilder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(32)
                          .maxNumberLength(40)
                          .maxStringLength(1 << 20)
                          .build())
                  .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private WebhookEventParser() {}

  public static WebhookEvent parse(byte[] body) {
    requireUtf8(body);
    JsonNode root;
    try (JsonParser parser = JSON.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw malformed("the body must be a JSON object");
      }
      root = JSON.readTree(parser);
      if (parser.nextToken() != null) {
        throw malformed("the body has content after the JSON object");
      }
    } catch (JsonProcessingException e) {
      throw malformed("the body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw malformed("the body could not be read as JSON");
    }
    return new WebhookEvent(
        within(WebhookEvent.CACHE, text(root, WebhookEvent.CACHE, true), FieldLimits::nameProblem),
        within(WebhookEvent.TOPIC, text(root, WebhookEvent.TOPIC, true), FieldLimits::nameProblem),
        number(root, WebhookEvent.EVENT_TIMESTAMP, false),
        number(root, WebhookEvent.PUBLISH_TIMESTAMP, true),
        number(root, WebhookEvent.TOPIC_SEQUENCE_NUMBER, true),
        within(
            WebhookEvent.TOKEN_ID,
            optionalText(root, WebhookEvent.TOKEN_ID),
            FieldLimits::tokenIdProblem),
        within(
            WebhookEvent.TEXT,
            textAllowingEmpty(root, WebhookEvent.TEXT),
            FieldLimits::textProblem));
  }

  /**
   * Refuses a body that is not well-formed UTF-8: the JSON parser lets overlong forms and encoded
   * surrogates through (a {@code C0 80} read as NUL), which Momento never sends.
   */
  private static void requireUtf8(byte[] body) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body));
    } catch (CharacterCodingException e) {
      throw malformed("the body is not valid UTF-8");
    }
  }

  /** The value, or a refusal saying which field breaks which of the journal's limits. */
  private static String within(
      String field, String value, Function<String, Optional<String>> problem) {
    problem
        .apply(value)
        .ifPresent(
            why -> {
              throw malformed("\"" + field + "\" " + why);
            });
    return value;
  }

  private static String text(JsonNode root, String field, boolean nonEmpty) {
    String value = textAllowingEmpty(root, field);
    if (nonEmpty && value.isEmpty()) {
      throw malformed("\"" + field + "\" must not be empty");
    }
    return value;
  }

  private static String textAllowingEmpty(JsonNode root, String field) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      throw malformed("\"" + field + "\" is missing");
    }
    if (!node.isTextual()) {
      throw malformed("\"" + field + "\" must be a string, got " + kind(node));
    }
    return node.textValue();
  }

  private static String optionalText(JsonNode root, String field) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      return "";
    }
    if (!node.isTextual()) {
      throw malformed("\"" + field + "\" must be a string, got " + kind(node));
    }
    return node.textValue();
  }

  private static long number(JsonNode root, String field, boolean required) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      if (required) {
        throw malformed("\"" + field + "\" is missing");
      }
      return 0;
    }
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      throw malformed("\"" + field + "\" must be a whole number, got " + kind(node));
    }
    long value = node.longValue();
    if (value < 0) {
      throw malformed("\"" + field + "\" must not be negative");
    }
    return value;
  }

  private static String kind(JsonNode node) {
    if (node.isIntegralNumber()) {
      return node.canConvertToLong() ? "an integer" : "an integer out of range";
    }
    return switch (node.getNodeType()) {
      case STRING -> "a string";
      case NUMBER -> "a decimal number";
      case BOOLEAN -> "a boolean";
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  private static ProblemException malformed(String detail) {
    return new ProblemException(ProblemType.MALFORMED_EVENT, detail);
  }
}
