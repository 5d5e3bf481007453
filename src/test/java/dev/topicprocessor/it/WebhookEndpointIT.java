package dev.topicprocessor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.topicprocessor.momento.WebhookSignature;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The webhook endpoint on Tomcat, called over HTTP as Momento calls it. */
@ExtendWith(LocalMomentoForTests.class)
@ExtendWith(ArquillianExtension.class)
class WebhookEndpointIT {

  @Deployment(testable = false)
  static WebArchive war() {
    return Deployments.packagedWar();
  }

  @ArquillianResource URL base;

  private Http http() {
    return new Http(base);
  }

  private static final String TOPIC = "no route here";

  /** Asserts a refusal: status, problem type, problem+json, nothing secret echoed, and counted. */
  private void assertRefused(HttpResponse<String> response, int status, String slug, double before)
      throws Exception {
    assertEquals(status, response.statusCode(), response::body);
    assertEquals(
        "application/problem+json",
        response.headers().firstValue("Content-Type").orElse("").split(";")[0]);
    JsonNode problem = Http.json(response);
    assertEquals("urn:topic-processor:problem:" + slug, problem.get("type").asText());
    assertEquals(status, problem.get("status").asInt());
    assertFalse(problem.get("detail").asText().isBlank());
    assertFalse(response.body().contains(http().secret()), "no secret in the answer");
    assertFalse(response.body().contains("Exception"), "no stack trace in the answer");
    assertEquals(before + 1, rejected(slug), "counted as " + slug);
  }

  private double rejected(String slug) throws Exception {
    return http().metric("topic_processor_events_rejected_total{reason=\"" + slug + "\"}");
  }

  @Test
  void aSignedFreshEventIsAcceptedWithAnEmpty2xx() throws Exception {
    double unrouted = http().metric("topic_processor_events_unrouted_total");
    HttpResponse<String> response = http().signed(Http.event("default-cache", TOPIC, "hello", 0));
    assertEquals(204, response.statusCode());
    assertEquals("", response.body());
    // It matched no route: counted, not failed.
    long deadline = System.currentTimeMillis() + 10_000;
    while (http().metric("topic_processor_events_unrouted_total") < unrouted + 1
        && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }
    assertEquals(unrouted + 1, http().metric("topic_processor_events_unrouted_total"));
  }

  @Test
  void aSecretRotatedInMomentoIsAcceptedAtOnceAndTheReplacedOneForAMinute() throws Exception {
    double refused = rejected("signature-invalid");
    String old = LocalMomentoForTests.webhookSecret();
    // The secrets are read again at most once a second (a limit in the README): another test's
    // wrong signature just before would make this rotation's first delivery wait for the next.
    Thread.sleep(1_100);
    String rotated = LocalMomentoForTests.rotateWebhookSecret(); // at once, no overlap
    byte[] first = Http.event("default-cache", TOPIC, "signed with the new secret", 0);
    assertEquals(
        204,
        http().webhook(first, WebhookSignature.sign(rotated, first)).statusCode(),
        "read again from Momento before answering");
    byte[] late = Http.event("default-cache", TOPIC, "signed before the rotation", 0);
    assertEquals(204, http().webhook(late, WebhookSignature.sign(old, late)).statusCode());
    assertEquals(refused, rejected("signature-invalid"), "no 401: Momento would drop it");
  }

  @Test
  void aMissingSignatureIsRefused() throws Exception {
    double before = rejected("signature-missing");
    assertRefused(
        http().webhook(Http.event("default-cache", TOPIC, "x", 0), null),
        401,
        "signature-missing",
        before);
  }

  @Test
  void aWrongSignatureIsRefused() throws Exception {
    byte[] body = Http.event("default-cache", TOPIC, "x", 0);
    double before = rejected("signature-invalid");
    assertRefused(
        http().webhook(body, WebhookSignature.sign("not-our-secret", body)),
        401,
        "signature-invalid",
        before);
    assertRefused(http().webhook(body, "zz-not-hex"), 401, "signature-invalid", before + 1);
    // Signed over other bytes (re-serialised JSON, say): refused.
    byte[] other =
        new String(body, StandardCharsets.UTF_8)
            .replace(",", ", ")
            .getBytes(StandardCharsets.UTF_8);
    assertRefused(
        http().webhook(other, WebhookSignature.sign(http().secret(), body)),
        401,
        "signature-invalid",
        before + 2);
  }

  @Test
  void aStaleEventIsRefused() throws Exception {
    double before = rejected("stale-event");
    assertRefused(
        http().signed(Http.event("default-cache", TOPIC, "old", 61_000)),
        400,
        "stale-event",
        before);
  }

  @Test
  void anEventFromTheFutureIsRefused() throws Exception {
    double before = rejected("future-event");
    assertRefused(
        http().signed(Http.event("default-cache", TOPIC, "soon", -60_000)),
        400,
        "future-event",
        before);
  }

  @Test
  void aBodyOverTheLimitIsRefused() throws Exception {
    double before = rejected("body-too-large");
    byte[] body = Http.event("default-cache", TOPIC, "x".repeat(20_000), 0);
    assertRefused(http().signed(body), 413, "body-too-large", before);
  }

  @Test
  void bodiesThatAreNotMomentoEventsAreRefused() throws Exception {
    String[] bodies = {
      "not json at all",
      "[1, 2, 3]",
      "{\"cache\": \"default-cache\", \"topic\": \"t\", \"text\": \"no timestamps\"}",
      "{\"cache\": 7, \"topic\": \"t\", \"publish_timestamp\": NOW, \"topic_sequence_number\": 1, \"text\": \"x\"}",
      "{\"cache\": \"c\", \"topic\": \"t\", \"publish_timestamp\": \"NOW\", \"topic_sequence_number\": 1, \"text\": \"x\"}",
      "{\"cache\": \"c\", \"topic\": \"t\", \"publish_timestamp\": NOW, \"topic_sequence_number\": 1, \"text\": \"x\"} trailing",
      "{\"cache\": \"c\", \"topic\": \"t\", \"publish_timestamp\": NOW, \"topic_sequence_number\": 99999999999999999999999, \"text\": \"x\"}",
      "{\"cache\": \"c\", \"cache\": \"d\", \"topic\": \"t\", \"publish_timestamp\": NOW, \"topic_sequence_number\": 1, \"text\": \"x\"}",
      ""
    };
    for (String template : bodies) {
      byte[] body =
          template
              .replace("NOW", Long.toString(System.currentTimeMillis()))
              .getBytes(StandardCharsets.UTF_8);
      double before = rejected("malformed-event");
      assertRefused(http().signed(body), 400, "malformed-event", before);
    }
    byte[] invalidUtf8 = {'{', '"', 'c', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'};
    double before = rejected("malformed-event");
    assertRefused(http().signed(invalidUtf8), 400, "malformed-event", before);
  }

  @Test
  void healthIsUpAndJerseyAnswers() throws Exception {
    HttpResponse<String> response = http().get("api/health");
    assertEquals(200, response.statusCode());
    JsonNode health = Http.json(response);
    assertEquals("UP", health.get("status").asText());
    assertEquals("LOCAL_EXTERNAL", health.get("mode").asText());
    assertTrue(
        health.get("jaxrs").asText().startsWith("org.glassfish.jersey."),
        "Jersey is the JAX-RS runtime, not " + health.get("jaxrs"));
    assertTrue(
        health.get("json").asText().startsWith("com.fasterxml.jackson.jakarta.rs."),
        "Jackson's JAX-RS provider writes JSON, not " + health.get("json"));
  }

  @Test
  void metricsAreInPrometheusFormat() throws Exception {
    HttpResponse<String> response = http().get("api/metrics");
    assertEquals(200, response.statusCode());
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
    for (String name :
        new String[] {
          "topic_processor_events_received_total",
          "topic_processor_events_rejected_total",
          "topic_processor_events_processed_total",
          "topic_processor_events_unrouted_total",
          "topic_processor_messages_published_total",
          "topic_processor_executor_queue_depth",
          "topic_processor_ack_latency_seconds_bucket",
          "topic_processor_webhook_to_publish_latency_seconds_bucket"
        }) {
      assertTrue(response.body().contains(name), name + " in /api/metrics");
    }
  }

  @Test
  void unknownPathsAndMethodsAnswerProblems() throws Exception {
    HttpResponse<String> missing = http().get("api/no-such-thing");
    assertEquals(404, missing.statusCode());
    assertEquals("urn:topic-processor:problem:not-found", Http.json(missing).get("type").asText());
  }
}
