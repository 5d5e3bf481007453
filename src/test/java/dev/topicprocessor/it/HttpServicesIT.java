package dev.topicprocessor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.topicprocessor.testing.Receiver;
import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import momento.sdk.responses.topic.TopicPublishResponse;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * HTTP services the test runs (port 18093), used by the routes of cache "sinks" in it-routes.json
 * (a cache holds at most 5 webhooks): outputs POSTed to one, through an outage ridden out behind
 * the circuit breaker and a refusal that becomes a dead letter and is delivered when replayed after
 * the fix; and a processor ("http-call") calling one that fails for now, or for good.
 */
@ExtendWith(LocalMomentoForTests.class)
@ExtendWith(ArquillianExtension.class)
class HttpServicesIT {

  static final int RECEIVER_PORT = 18093;
  private static final String ORDERS =
      "http://127.0.0.1:" + RECEIVER_PORT + "/orders"; // as metrics and health name it

  private static Receiver receiver;

  @Deployment(testable = false)
  static WebArchive war() {
    return Deployments.packagedWar();
  }

  @ArquillianResource URL base;

  @BeforeAll
  static void startReceiver() throws Exception {
    receiver = Receiver.start(RECEIVER_PORT);
  }

  @AfterAll
  static void stopReceiver() {
    receiver.close();
  }

  private static void publish(String topic, String text) {
    TopicPublishResponse response =
        LocalMomentoForTests.client().publish("sinks", topic, text).join();
    assertInstanceOf(TopicPublishResponse.Success.class, response, response::toString);
  }

  private static boolean await(java.util.function.BooleanSupplier done, Duration max)
      throws InterruptedException {
    return dev.topicprocessor.testing.Fixtures.await(done, max);
  }

  @Test
  void aServiceDownForFifteenSecondsGetsEveryOutputOnceItIsBackWithTheSameWebhookId()
      throws Exception {
    Http http = new Http(base);
    long upAt = System.currentTimeMillis() + 15_000;
    receiver.answer(
        "/orders",
        r ->
            System.currentTimeMillis() < upAt
                ? new Receiver.Answer(503, Map.of(), "down for maintenance")
                : Receiver.Answer.of(200));
    String opened = breakerSample("open");
    String closed = breakerSample("closed");
    double openedBefore = http.metric(opened);
    double closedBefore = http.metric(closed);

    String run = UUID.randomUUID().toString().substring(0, 8);
    List<String> texts = IntStream.range(0, 30).mapToObj(i -> "order " + run + " " + i).toList();
    for (String text : texts) {
      publish("http in", text);
      Thread.sleep(100);
    }
    Set<String> expected =
        texts.stream().map(t -> t.toUpperCase(java.util.Locale.ROOT)).collect(Collectors.toSet());
    assertTrue(
        await(() -> delivered(expected).keySet().equals(expected), Duration.ofSeconds(90)),
        "every output delivered: " + delivered(expected).size() + " of 30");
    assertTrue(
        receiver.requests("/orders").stream().anyMatch(r -> r.at() < upAt),
        "attempts were made during the outage");

    // Every attempt at an output carried the same webhook-id; no two outputs share one.
    Map<String, Set<String>> idsByText = new HashMap<>();
    for (Receiver.Request request : receiver.requests("/orders")) {
      if (expected.contains(request.body())) {
        idsByText
            .computeIfAbsent(request.body(), b -> new java.util.HashSet<>())
            .add(request.header("webhook-id"));
        assertEquals("topic-processor-it", request.header("X-Source"));
        assertTrue(request.header("webhook-signature").startsWith("v1,"));
      }
    }
    idsByText.forEach((text, ids) -> assertEquals(1, ids.size(), text + ": " + ids));
    assertEquals(
        30, idsByText.values().stream().flatMap(Set::stream).collect(Collectors.toSet()).size());
    // None lost, and once delivered never again.
    delivered(expected).forEach((text, times) -> assertEquals(1, times, text));

    assertTrue(http.metric(opened) > openedBefore, "the breaker opened: " + opened);
    assertTrue(
        await(() -> metric(http, closed) > closedBefore, Duration.ofSeconds(10)),
        "and closed: " + closed);
    JsonNode destination = destination(http, ORDERS);
    assertEquals("closed", destination.get("breaker").asText(), destination.toString());
    assertEquals("http", destination.get("kind").asText());
  }

  @Test
  void aRefusedOutputIsADeadLetterWithTheAnswerAndIsDeliveredWhenReplayedAfterTheFix()
      throws Exception {
    Http http = new Http(base);
    receiver.answer(
        "/strict",
        r -> new Receiver.Answer(400, Map.of(), "{\"error\": \"field 'amount' is required\"}"));
    String text = "{\"order\": \"" + UUID.randomUUID() + "\"}";
    publish("strict in", text);
    JsonNode letter = http.awaitDeadLetter(text, Duration.ofSeconds(20));
    assertEquals("http-400", letter.get("reason").asText());
    assertTrue(
        letter
            .get("error")
            .asText()
            .contains("HTTP 400: {\"error\": \"field 'amount' is required\"}"),
        letter.toString());
    List<Receiver.Request> refused = requestsWith("/strict", text);
    assertEquals(1, refused.size(), "a refusal is not retried");

    receiver.answer("/strict", r -> Receiver.Answer.of(204)); // the service is fixed
    HttpResponse<String> replay =
        http.operator("POST", "api/dead-letters/" + letter.get("id").asLong() + "/replay");
    assertEquals(200, replay.statusCode(), replay.body());
    assertTrue(
        await(() -> requestsWith("/strict", text).size() == 2, Duration.ofSeconds(20)),
        "delivered after the replay");
    Receiver.Request replayed = requestsWith("/strict", text).get(1);
    assertEquals(refused.get(0).header("webhook-id"), replayed.header("webhook-id"));
    assertEquals("application/json", replayed.header("Content-Type"));
    assertTrue(
        await(
            () -> {
              try {
                return http.operator("GET", "api/dead-letters/" + letter.get("id").asLong())
                        .statusCode()
                    == 404;
              } catch (Exception e) {
                return false;
              }
            },
            Duration.ofSeconds(10)),
        "no longer a dead letter");
  }

  @Test
  void aProcessorCallingAServiceThatFailsForNowIsRetriedUntilItAnswers() throws Exception {
    java.util.concurrent.atomic.AtomicInteger calls =
        new java.util.concurrent.atomic.AtomicInteger();
    receiver.answer(
        "/price",
        r ->
            calls.incrementAndGet() <= 3
                ? Receiver.Answer.of(503)
                : new Receiver.Answer(200, Map.of(), r.body().replace("}", ", \"price\": 42}")));
    String id = UUID.randomUUID().toString();
    try (dev.topicprocessor.localmomento.SdkSubscriber out =
        dev.topicprocessor.localmomento.SdkSubscriber.subscribe(
            LocalMomentoForTests.client(), "sinks", "priced")) {
      publish("price in", "{\"order\": \"" + id + "\"}");
      assertEquals(
          List.of("{\"order\": \"" + id + "\", \"price\": 42}"),
          out.next(1, Duration.ofSeconds(30)));
    }
    assertEquals(4, calls.get(), "three answers 503, then the price");
  }

  @Test
  void aProcessorCallingAServiceThatRefusesTheMessageMakesADeadLetter() throws Exception {
    receiver.answer("/price-strict", r -> new Receiver.Answer(422, Map.of(), "unknown currency"));
    String text = "{\"order\": \"" + UUID.randomUUID() + "\", \"currency\": \"XXX\"}";
    publish("price strict in", text);
    JsonNode letter = new Http(base).awaitDeadLetter(text, Duration.ofSeconds(20));
    assertEquals("processor-failed", letter.get("reason").asText());
    assertTrue(
        letter.get("error").asText().endsWith("127.0.0.1 answered HTTP 422: unknown currency"),
        letter.toString());
    assertEquals(1, receiver.requests("/price-strict").size(), "not retried");
  }

  private static List<Receiver.Request> requestsWith(String path, String body) {
    return receiver.requests(path).stream().filter(r -> r.body().equals(body)).toList();
  }

  /** How many times each expected text was answered 2xx (the receiver was up). */
  private static Map<String, Integer> delivered(Set<String> expected) {
    Map<String, Integer> times = new HashMap<>();
    for (Receiver.Request request : receiver.requests("/orders")) {
      if (expected.contains(request.body()) && request.answered() / 100 == 2) {
        times.merge(request.body(), 1, Integer::sum);
      }
    }
    return times;
  }

  private static String breakerSample(String to) {
    return "topic_processor_destination_breaker_transitions_total{destination=\""
        + ORDERS
        + "\",kind=\"http\",to=\""
        + to
        + "\"}";
  }

  private static double metric(Http http, String sample) {
    try {
      return http.metric(sample);
    } catch (Exception e) {
      return -1;
    }
  }

  private static JsonNode destination(Http http, String name) throws Exception {
    for (JsonNode destination : Http.json(http.get("api/health")).path("destinations")) {
      if (name.equals(destination.path("destination").asText())) {
        return destination;
      }
    }
    throw new AssertionError("health shows no destination " + name);
  }
}
