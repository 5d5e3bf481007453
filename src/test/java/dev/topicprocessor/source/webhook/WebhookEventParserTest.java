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

  private static String event(String cache, String topic, String tokenId, String textJson) {
    return "{\"cache\":\""
        + cache
        + "\",\"topic\":\""
        + topic
        + "\",\"publish_timestamp\":1,\"topic_sequence_number\":1,\"token_id\":\""
        + tokenId
        + "\",\"text\":"
        + textJson
        + "}";
  }

  private static String refusal(String body) {
    ProblemException e = assertThrows(ProblemException.class, () -> parse(body));
    assertEquals(ProblemType.MALFORMED_EVENT, e.problemType());
    assertEquals(400, e.problemType().status());
    return e.problem().detail();
  }

  @Test
  void namesUpToTheJournalsLimitPassAndOneCharacterMoreIsRefusedSayingWhichField() {
    String longest = "c".repeat(255);
    assertEquals(longest, parse(event(longest, longest, "", "\"x\"")).cache());
    assertEquals(
        "\"cache\" is 256 characters long; at most 255 are allowed",
        refusal(event("c".repeat(256), "t", "", "\"x\"")));
    assertEquals(
        "\"topic\" is 5000 characters long; at most 255 are allowed",
        refusal(event("c", "t".repeat(5000), "", "\"x\"")));
    assertEquals(1024, parse(event("c", "t", "k".repeat(1024), "\"x\"")).tokenId().length());
    assertTrue(refusal(event("c", "t", "k".repeat(1025), "\"x\"")).startsWith("\"token_id\" is"));
  }

  @Test
  void namesWithControlCharactersOrLoneSurrogatesAreRefused() {
    assertEquals(
        "\"cache\" contains a control character (U+0000)",
        refusal(event("a\\u0000b", "t", "", "\"x\"")));
    assertEquals(
        "\"topic\" contains a control character (U+000A)",
        refusal(event("c", "line\\nbreak", "", "\"x\"")));
    assertEquals(
        "\"topic\" is not valid Unicode (it has a lone surrogate)",
        refusal(event("c", "\\ud800", "", "\"x\"")));
    assertEquals(
        "\"text\" is not valid Unicode (it has a lone surrogate)",
        refusal(event("c", "t", "", "\"a\\udc00b\"")));
  }

  @Test
  void overlongFormsAndEncodedSurrogatesAreNotUtf8() {
    for (byte[] bad :
        new byte[][] {{(byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}}) {
      String json = event("c", "t", "", "\"QQQ\"");
      byte[] body = json.getBytes(StandardCharsets.UTF_8);
      int at = json.indexOf("QQQ");
      System.arraycopy(bad, 0, body, at, bad.length);
      ProblemException e =
          assertThrows(ProblemException.class, () -> WebhookEventParser.parse(body));
      assertEquals("the body is not valid UTF-8", e.problem().detail());
    }
  }

  @Test
  void aByteOrderMarkBeforeTheObjectIsIgnored() {
    byte[] json = event("c", "t", "", "\"x\"").getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[json.length + 3];
    body[0] = (byte) 0xEF;
    body[1] = (byte) 0xBB;
    body[2] = (byte) 0xBF;
    System.arraycopy(json, 0, body, 3, json.length);
    assertEquals("x", WebhookEventParser.parse(body).text());
  }

  @Test
  void aTextMayHoldAnyCharacterNulAndPairedSurrogatesIncluded() {
    assertEquals(
        "a\u0000\ud83d\ude00", parse(event("c", "t", "", "\"a\\u0000\\ud83d\\ude00\"")).text());
    assertEquals("\u00e9", parse(event("c\u00e9", "t", "", "\"\u00e9\"")).text());
  }
}
