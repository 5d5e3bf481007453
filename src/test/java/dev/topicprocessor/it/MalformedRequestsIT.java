package dev.topicprocessor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.topicprocessor.momento.WebhookSignature;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Over a thousand generated bad requests, signed and unsigned: every one is refused with a 4xx
 * problem+json, none with a 5xx, and valid events sent in between are still accepted.
 */
@ExtendWith(LocalMomentoForTests.class)
@ExtendWith(ArquillianExtension.class)
class MalformedRequestsIT {

  private static final int ROUNDS = 1_200;
  private static final int MAX_BODY = 16_384; // the test servers' TOPIC_PROCESSOR_MAX_BODY_BYTES

  @Deployment(testable = false)
  static WebArchive war() {
    return Deployments.packagedWar();
  }

  @ArquillianResource URL base;

  private final Random random = new Random(20261122); // the same requests every run

  @Test
  void everyBadRequestGetsAProblemAndValidEventsStillPass() throws Exception {
    Http http = new Http(base);
    List<Supplier<byte[]>> kinds = kinds();
    Map<Integer, Integer> statuses = new LinkedHashMap<>();
    List<String> wrong = new ArrayList<>();
    int accepted = 0;
    for (int i = 0; i < ROUNDS; i++) {
      byte[] body = kinds.get(i % kinds.size()).get();
      HttpResponse<String> response =
          switch (i % 4) {
            case 0 -> http.webhook(body, null); // no signature
            case 1 -> http.webhook(body, garbageSignature()); // a malformed signature
            default -> http.signed(body); // correctly signed bad content
          };
      statuses.merge(response.statusCode(), 1, Integer::sum);
      if (!isProblem(response)) {
        wrong.add("#" + i + " -> " + response.statusCode() + " " + abbreviate(response.body()));
      }
      if (i % 50 == 0) {
        HttpResponse<String> valid =
            http.signed(Http.event("default-cache", "no route here", "valid #" + i, 0));
        assertEquals(204, valid.statusCode(), "a valid event between bad ones, #" + i);
        accepted++;
      }
    }
    assertEquals(List.of(), wrong, "answers that were not a 4xx problem; statuses " + statuses);
    assertTrue(statuses.keySet().stream().allMatch(s -> s >= 400 && s < 500), statuses::toString);
    assertEquals(ROUNDS / 50, accepted);
    assertEquals(200, http.get("api/health").statusCode(), "still serving");
  }

  private static boolean isProblem(HttpResponse<String> response) {
    if (response.statusCode() < 400 || response.statusCode() >= 500) {
      return false;
    }
    String type = response.headers().firstValue("Content-Type").orElse("");
    if (!type.startsWith("application/problem+json")) {
      return false;
    }
    try {
      JsonNode problem = Http.json(response);
      return problem.get("type").asText().startsWith("urn:topic-processor:problem:")
          && problem.get("status").asInt() == response.statusCode()
          && !response.body().contains("Exception");
    } catch (Exception e) {
      return false;
    }
  }

  /** Bodies that are not acceptable Momento events, each kind a generator. */
  private List<Supplier<byte[]>> kinds() {
    List<Supplier<byte[]>> kinds = new ArrayList<>();
    kinds.add(() -> randomBytes(random.nextInt(200))); // random bytes
    kinds.add(() -> truncate(validEvent())); // truncated JSON
    kinds.add(() -> nested(random.nextInt(5_000) + 40)); // deeply nested
    kinds.add(() -> withField("publish_timestamp", "\"yesterday\"")); // wrong type
    kinds.add(() -> withField("topic_sequence_number", "1" + "0".repeat(40))); // huge number
    kinds.add(() -> withField("publish_timestamp", "1e400")); // a number out of range
    kinds.add(() -> withField("text", "{\"not\":\"text\"}")); // wrong type
    kinds.add(() -> withField("cache", "null")); // missing value
    kinds.add(() -> invalidUtf8()); // invalid UTF-8 inside a string
    kinds.add(() -> randomBytes(MAX_BODY + 1 + random.nextInt(50_000))); // oversized
    kinds.add(
        () ->
            withField(
                "publish_timestamp",
                Long.toString(System.currentTimeMillis() - 3_600_000))); // stale
    kinds.add(() -> "[]".getBytes(StandardCharsets.UTF_8)); // not an object
    kinds.add(() -> new byte[0]); // empty
    kinds.add(() -> (validJson() + validJson()).getBytes(StandardCharsets.UTF_8)); // two objects
    return kinds;
  }

  private String validJson() {
    return "{\"cache\":\"default-cache\",\"topic\":\"no route here\",\"event_timestamp\":"
        + System.currentTimeMillis()
        + ",\"publish_timestamp\":"
        + System.currentTimeMillis()
        + ",\"topic_sequence_number\":"
        + random.nextInt(1000)
        + ",\"token_id\":\"\",\"text\":\"x\"}";
  }

  private byte[] validEvent() {
    return validJson().getBytes(StandardCharsets.UTF_8);
  }

  private byte[] withField(String field, String rawValue) {
    String json = validJson();
    int at = json.indexOf("\"" + field + "\":");
    int start = at + field.length() + 3;
    int end = json.indexOf(json.charAt(start) == '"' ? "\"," : ",", start + 1);
    if (end < 0) {
      end = json.length() - 1;
    } else if (json.charAt(start) == '"') {
      end++;
    }
    return (json.substring(0, start) + rawValue + json.substring(end))
        .getBytes(StandardCharsets.UTF_8);
  }

  private byte[] truncate(byte[] body) {
    int length = 1 + random.nextInt(body.length - 1);
    byte[] cut = new byte[length];
    System.arraycopy(body, 0, cut, 0, length);
    return cut;
  }

  private static byte[] nested(int depth) {
    return ("{\"cache\":" + "[".repeat(depth) + "]".repeat(depth) + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private byte[] invalidUtf8() {
    byte[] valid = validEvent();
    String json = new String(valid, StandardCharsets.UTF_8);
    int text = json.indexOf("\"text\":\"") + 8;
    byte[] bad = valid.clone();
    bad[text] = (byte) (0x80 + random.nextInt(0x40)); // a continuation byte with no lead byte
    return bad;
  }

  private byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  private String garbageSignature() {
    String[] forms = {
      "",
      " ",
      "abc",
      "z".repeat(64),
      WebhookSignature.sign("wrong", new byte[] {1}) + "00",
      new String(randomBytes(20), StandardCharsets.ISO_8859_1).replaceAll("[^\\x21-\\x7e]", "x")
    };
    return forms[random.nextInt(forms.length)];
  }

  private static String abbreviate(String text) {
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }
}
