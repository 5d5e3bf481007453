package dev.topicprocessor.source.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topicprocessor.momento.WebhookEvent;
import dev.topicprocessor.problem.ProblemException;
import dev.topicprocessor.problem.ProblemType;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookEventParserTest {

  private static WebhookEvent parse(String json) {
    return WebhookEventParser.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsAMomentoEvent() {
    WebhookEvent event =
        parse(
            "{\"cache\":\"default-cache\",\"topic\":\"topic 1\",\"event_timestamp\":1700000000123,"
                + "\"publish_timestamp\":1700000000100,\"topic_sequence_number\":42,"
                + "\"token_id\":\"tok\",\"text\":\"héllo ✓\",\"added_later\":{\"x\":1}}");
    assertEquals(
        new WebhookEvent(
            "default-cache", "topic 1", 1700000000123L, 1700000000100L, 42, "tok", "héllo ✓"),
        event);
  }

  @Test
  void tokenIdAndEventTimestampMayBeAbsentOrNull() {
    WebhookEvent event =
        parse(
            "{\"cache\":\"c\",\"topic\":\"t\",\"publish_timestamp\":5,"
                + "\"topic_sequence_number\":0,\"token_id\":null,\"text\":\"\"}");
    assertEquals("", event.tokenId());
    assertEquals(0, event.eventTimestamp());
    assertEquals("", event.text());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "null",
        "\"a string\"",
        "[]",
        "{",
        "{\"cache\":\"c\"}",
        "{\"cache\":\"\",\"topic\":\"t\",\"publish_timestamp\":1,\"topic_sequence_number\":1,\"text\":\"x\"}",
        "{\"cache\":\"c\",\"topic\":\"t\",\"publish_timestamp\":1,\"topic_sequence_number\":1}",
        "{\"cache\":1,\"topic\":\"t\",\"publish_timestamp\":1,\"topic_sequence_number\":1,\"text\":\"x\"}",
        "{\"cache\":\"c\",\"topic\":\"t\",\"publish_timestamp\":1.5,\"topic_sequence_number\":1,\"text\":\"x\"}",
        "{\"cache\":\"c\",\"topic\":\"t\",\"publish_timestamp\":-1,\"topic_sequence_number\":1,\"text\":\"x\"}",
        "{\"cache\":\"c\",\"topic\":\"t\",\"publish_timestamp\":1,\"topic_sequence_number\":1e3,\"text\":\"x\"}",
        "{\"cache\":\"c\",\"topic\":\"t\",\"publish_timestamp\":1,\"topic_sequence_number\":123456789012345678901234567890,\"text\":\"x\"}",
        "{\"cache\":\"c\",\"topic\":\"t\",\"publish_timestamp\":1,\"topic_sequence_number\":1,\"text\":[\"x\"]}",
        "{\"cache\":\"c\",\"topic\":\"t\",\"publish_timestamp\":1,\"topic_sequence_number\":1,\"text\":\"x\"}{}",
        "{\"cache\":\"c\",\"cache\":\"d\",\"topic\":\"t\",\"publish_timestamp\":1,\"topic_sequence_number\":1,\"text\":\"x\"}",
        "{\"cache\":\"c\",\"topic\":\"t\",\"publish_timestamp\":1,\"topic_sequence_number\":1,\"text\":\"x\",\"token_id\":7}"
      })
  void refusesWhatIsNotAMomentoEvent(String body) {
    ProblemException e = assertThrows(ProblemException.class, () -> parse(body));
    assertEquals(ProblemType.MALFORMED_EVENT, e.problemType());
    assertTrue(!e.problem().detail().isBlank());
  }

  @Test
  void refusesDeepNestingAndInvalidUtf8() {
    String deep = "{\"x\":" + "[".repeat(1000) + "]".repeat(1000) + "}";
    assertEquals(
        ProblemType.MALFORMED_EVENT,
        assertThrows(ProblemException.class, () -> parse(deep)).problemType());
    byte[] invalid = {'{', '"', 'a', (byte) 0xff, '"', ':', '1', '}'};
    assertEquals(
        ProblemType.MALFORMED_EVENT,
        assertThrows(ProblemException.class, () -> WebhookEventParser.parse(invalid))
            .problemType());
  }
}
