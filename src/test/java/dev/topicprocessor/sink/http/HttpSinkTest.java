package dev.topicprocessor.sink.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.topicprocessor.sink.Delivery;
import dev.topicprocessor.sink.SinkResult;
import dev.topicprocessor.testing.Receiver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP sink against a real receiver on the loopback address. */
class HttpSinkTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] KEY =
      "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
  private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(KEY);

  private static Receiver receiver;
  private static HttpSink cut;

  @BeforeAll
  static void start() throws Exception {
    receiver = Receiver.start(0);
    cut = new HttpSink();
  }

  @AfterAll
  static void stop() {
    cut.stop();
    receiver.close();
  }

  private static HttpDestination destination(String json) throws Exception {
    return HttpDestination.parse(JSON.readTree(json));
  }

  private static HttpDestination to(String path) throws Exception {
    return destination("{\"url\": \"" + receiver.url(path) + "\", \"secret\": \"" + SECRET + "\"}");
  }

  private static Delivery delivery(String id, String text) {
    return new Delivery(
        id, text, new Delivery.From("r", "cache", "in", 0, 1, 1_000, 2_000, "", "webhook"));
  }

  private static SinkResult send(HttpDestination destination, Delivery delivery) {
    return cut.deliver(destination, delivery).orTimeout(20, TimeUnit.SECONDS).join();
  }

  @Test
  void postsTheTextExactlyWithStandardWebhooksHeadersAndAValidSignature() throws Exception {
    HttpDestination destination =
        destination(
            "{\"url\": \""
                + receiver.url("/signed")
                + "?token=t\", \"headers\": {\"X-Team\": \"blue\"}, \"secret\": \""
                + SECRET
                + "\"}");
    long before = System.currentTimeMillis() / 1000;
    assertInstanceOf(
        SinkResult.Delivered.class, send(destination, delivery("out_1", "{\"n\": 1}")));
    assertInstanceOf(SinkResult.Delivered.class, send(destination, delivery("out_2", "héllo")));

    List<Receiver.Request> got = receiver.requests("/signed");
    assertEquals(2, got.size());
    Receiver.Request json = got.get(0);
    assertEquals("{\"n\": 1}", json.body());
    assertEquals("application/json", json.header("Content-Type"));
    assertEquals("blue", json.header("X-Team"));
    assertEquals("out_1", json.header("webhook-id"));
    long timestamp = Long.parseLong(json.header("webhook-timestamp"));
    assertTrue(timestamp >= before && timestamp <= before + 60, "timestamp " + timestamp);
    assertEquals(
        "v1," + hmac("out_1." + timestamp + "." + json.body()), json.header("webhook-signature"));

    Receiver.Request text = got.get(1);
    assertEquals("héllo", text.body());
    assertEquals("text/plain; charset=utf-8", text.header("Content-Type"));
    assertEquals("out_2", text.header("webhook-id"));
    assertEquals("http://127.0.0.1:" + receiver.port() + "/signed", destination.toString());
  }

  @Test
  void withoutASecretThereIsNoSignature() throws Exception {
    HttpDestination destination = destination("{\"url\": \"" + receiver.url("/plain") + "\"}");
    assertInstanceOf(SinkResult.Delivered.class, send(destination, delivery("out_3", "x")));
    assertNull(receiver.requests("/plain").get(0).header("webhook-signature"));
  }

  @Test
  void busyOrFailingServersAreWorthRetryingAndRetryAfterIsHonoured() throws Exception {
    receiver.answer("/busy", r -> new Receiver.Answer(429, Map.of("Retry-After", "7"), ""));
    receiver.answer("/down", r -> new Receiver.Answer(503, Map.of(), "maintenance"));
    receiver.answer("/slow-client", r -> Receiver.Answer.of(408));

    SinkResult.Failed busy =
        assertInstanceOf(SinkResult.Failed.class, send(to("/busy"), delivery("a", "x")));
    assertTrue(busy.retriable());
    assertEquals("http-429", busy.reason());
    assertEquals(Duration.ofSeconds(7), busy.retryAfter());

    SinkResult.Failed down =
        assertInstanceOf(SinkResult.Failed.class, send(to("/down"), delivery("b", "x")));
    assertTrue(down.retriable());
    assertEquals("http-503", down.reason());
    assertEquals("HTTP 503: maintenance", down.detail());

    assertTrue(
        assertInstanceOf(SinkResult.Failed.class, send(to("/slow-client"), delivery("c", "x")))
            .retriable());
  }

  @Test
  void anyOtherClientErrorIsAFailureForGoodWithTheStartOfTheAnswer() throws Exception {
    String longAnswer = "{\"error\": \"amount is missing\"}" + " ".repeat(10) + "x".repeat(500);
    receiver.answer("/strict", r -> new Receiver.Answer(400, Map.of(), longAnswer));
    SinkResult.Failed failed =
        assertInstanceOf(SinkResult.Failed.class, send(to("/strict"), delivery("d", "x")));
    assertFalse(failed.retriable());
    assertEquals("http-400", failed.reason());
    assertTrue(failed.detail().startsWith("HTTP 400: {\"error\": \"amount is missing\"} x"));
    assertTrue(failed.detail().length() < 230, failed.detail());
  }

  @Test
  void anUnreachableOrSilentServerIsWorthRetrying() throws Exception {
    int closed;
    try (Receiver gone = Receiver.start(0)) {
      closed = gone.port();
    }
    SinkResult.Failed refused =
        assertInstanceOf(
            SinkResult.Failed.class,
            send(
                destination("{\"url\": \"http://127.0.0.1:" + closed + "/x\"}"),
                delivery("e", "x")));
    assertTrue(refused.retriable());
    assertEquals("http-connect", refused.reason());

    receiver.answer(
        "/silent",
        r -> {
          try {
            Thread.sleep(2_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return Receiver.Answer.of(200);
        });
    SinkResult.Failed silent =
        assertInstanceOf(
            SinkResult.Failed.class,
            send(
                destination("{\"url\": \"" + receiver.url("/silent") + "\", \"timeoutMs\": 300}"),
                delivery("f", "x")));
    assertTrue(silent.retriable());
    assertEquals("http-timeout", silent.reason());
  }

  @Test
  void badDestinationsAreRefusedWithTheReason() {
    assertEquals(
        "\"url\" must be an absolute http:// or https:// URL, got \"ftp://x/y\"",
        refused("{\"url\": \"ftp://x/y\"}"));
    assertEquals(
        "header \"webhook-id\" is set by the sink itself",
        refused("{\"url\": \"http://x/y\", \"headers\": {\"webhook-id\": \"mine\"}}"));
    assertEquals(
        "\"secret\" must be a Standard Webhooks secret: \"whsec_\" then base64",
        refused("{\"url\": \"http://x/y\", \"secret\": \"hunter2\"}"));
    assertEquals(
        "\"timeoutMs\" must be a positive whole number",
        refused("{\"url\": \"http://x/y\", \"timeoutMs\": -1}"));
    assertTrue(
        refused("{\"url\": \"http://x/y\", \"method\": \"PUT\"}").startsWith("unknown field"));
    assertEquals(
        "\"url\" must not carry credentials; put them in \"headers\"",
        refused("{\"url\": \"http://me:pw@x/y\"}"));
  }

  private static String refused(String json) {
    return assertThrows(IllegalArgumentException.class, () -> destination(json)).getMessage();
  }

  private static String hmac(String signed) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
    return Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
  }
}
