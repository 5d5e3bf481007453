package dev.topicprocessor.processor.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.topicprocessor.processor.Message;
import dev.topicprocessor.processor.Origin;
import dev.topicprocessor.processor.ProcessingException;
import dev.topicprocessor.processor.Processor;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessorsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Origin SOURCE =
      new Origin(
          "default-cache",
          "topic 1",
          9,
          0,
          1_700_000_000_100L,
          1_700_000_000_200L,
          "tok",
          "webhook");

  private static JsonNode options(String json) throws Exception {
    return JSON.readTree(json);
  }

  private static List<String> run(Processor processor, String options, String text)
      throws Exception {
    return processor.configure(options(options)).apply(new Message(text, SOURCE));
  }

  @Test
  void uppercase() throws Exception {
    assertEquals(List.of("HELLO ÄÖ"), run(new Uppercase(), "{}", "hello äö"));
    assertThrows(IllegalArgumentException.class, () -> run(new Uppercase(), "{\"x\":1}", "a"));
  }

  @Test
  void filterByPattern() throws Exception {
    Filter cut = new Filter();
    assertEquals(List.of("error: disk"), run(cut, "{\"pattern\":\"^error\"}", "error: disk"));
    assertEquals(List.of(), run(cut, "{\"pattern\":\"^error\"}", "info: ok"));
    assertEquals(
        List.of("info: ok"), run(cut, "{\"pattern\":\"^error\",\"invert\":true}", "info: ok"));
  }

  @Test
  void filterByJsonField() throws Exception {
    Filter cut = new Filter();
    String paid = "{\"order\":{\"status\":\"paid\"}}";
    assertEquals(
        List.of(paid), run(cut, "{\"field\":\"/order/status\",\"equals\":\"paid\"}", paid));
    assertEquals(List.of(), run(cut, "{\"field\":\"/order/status\",\"equals\":\"open\"}", paid));
    assertEquals(List.of(paid), run(cut, "{\"field\":\"/order\"}", paid));
    assertEquals(List.of(), run(cut, "{\"field\":\"/missing\"}", paid));
    assertEquals(
        List.of(paid), run(cut, "{\"field\":\"/order/status\",\"pattern\":\"^pa\"}", paid));
    assertThrows(ProcessingException.class, () -> run(cut, "{\"field\":\"/order\"}", "not json"));
  }

  @Test
  void filterRefusesBadOptions() {
    Filter cut = new Filter();
    for (String bad :
        new String[] {
          "{}",
          "{\"pattern\":\"[\"}",
          "{\"equals\":\"x\"}",
          "{\"pattern\":\"a\",\"equals\":\"b\",\"field\":\"/x\"}",
          "{\"field\":\"no-slash\"}",
          "{\"pattern\":1}",
          "{\"invert\":\"yes\",\"pattern\":\"a\"}",
          "{\"colour\":\"red\"}"
        }) {
      assertThrows(IllegalArgumentException.class, () -> cut.configure(options(bad)), bad);
    }
  }

  @Test
  void reshapeWithJsonPointers() throws Exception {
    Reshape cut = new Reshape();
    String in = "{\"payload\":{\"user\":{\"id\":17}},\"time\":\"noon\",\"tags\":[\"a\",\"b\"]}";
    assertEquals(
        List.of("{\"user\":17,\"at\":\"noon\",\"first\":\"a\"}"),
        run(
            cut,
            "{\"fields\":{\"user\":\"/payload/user/id\",\"at\":\"/time\",\"first\":\"/tags/0\",\"gone\":\"/nope\"}}",
            in));
    ProcessingException missing =
        assertThrows(
            ProcessingException.class,
            () -> run(cut, "{\"fields\":{\"gone\":\"/nope\"},\"required\":true}", in));
    assertTrue(missing.getMessage().contains("/nope"));
    assertThrows(ProcessingException.class, () -> run(cut, "{\"fields\":{\"a\":\"/a\"}}", "plain"));
    assertThrows(IllegalArgumentException.class, () -> cut.configure(options("{\"fields\":{}}")));
    assertThrows(
        IllegalArgumentException.class, () -> cut.configure(options("{\"fields\":{\"a\":3}}")));
  }

  @Test
  void envelopeAddsTheSource() throws Exception {
    JsonNode text = JSON.readTree(run(new Envelope(), "{}", "hello").get(0));
    assertEquals("hello", text.get("text").asText());
    JsonNode source = text.get("source");
    assertEquals("default-cache", source.get("cache").asText());
    assertEquals("topic 1", source.get("topic").asText());
    assertEquals(9, source.get("topic_sequence_number").asLong());
    assertEquals(1_700_000_000_100L, source.get("publish_timestamp").asLong());
    assertEquals(1_700_000_000_200L, source.get("event_timestamp").asLong());
    assertEquals("tok", source.get("token_id").asText());

    JsonNode json = JSON.readTree(run(new Envelope(), "{\"json\":true}", "{\"a\":[1]}").get(0));
    assertEquals(1, json.at("/data/a/0").asInt());
  }

  @Test
  void splitEmitsOneMessagePerElement() throws Exception {
    Split cut = new Split();
    assertEquals(List.of("a", "{\"b\":1}", "2"), run(cut, "{}", "[\"a\",{\"b\":1},2]"));
    assertEquals(
        List.of("x", "y"), run(cut, "{\"field\":\"/items\"}", "{\"items\":[\"x\",\"y\"]}"));
    assertEquals(List.of(), run(cut, "{}", "[]"));
    assertThrows(ProcessingException.class, () -> run(cut, "{}", "{\"not\":\"an array\"}"));
  }
}
