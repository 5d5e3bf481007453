package dev.topicprocessor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The console page and its API, as the browser uses them. */
@ExtendWith(LocalMomentoForTests.class)
@ExtendWith(ArquillianExtension.class)
class ConsoleIT {

  @Deployment(testable = false)
  static WebArchive war() {
    return Deployments.packagedWar();
  }

  @ArquillianResource URL base;

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private URI uri(String path) {
    String root = base.toString();
    return URI.create(root.endsWith("/") ? root : root + "/").resolve(path);
  }

  @Test
  void thePageIsServed() throws Exception {
    HttpResponse<String> page = Answers.send(http, HttpRequest.newBuilder(uri("")).build());
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("<title>topic-processor</title>"));
    assertTrue(page.body().contains("api/console"));
  }

  @Test
  void theOverviewShowsModeRoutesAndCounters() throws Exception {
    JsonNode overview = Http.json(new Http(base).get("api/console"));
    assertTrue(overview.get("console").asBoolean());
    assertEquals("LOCAL_EXTERNAL", overview.get("mode").asText());
    assertEquals("seed", overview.at("/routes/0/name").asText());
    assertEquals("topic 2", overview.at("/routes/0/outbound/0/topic").asText());
    assertEquals("topic", overview.at("/routes/0/outbound/0/kind").asText());
    assertTrue(overview.at("/stats/received").isNumber());
    // Every destination of the routes, with its kind and its breaker's state.
    JsonNode http = null;
    for (JsonNode destination : overview.get("destinations")) {
      if (destination.get("destination").asText().equals("http://127.0.0.1:18093/strict")) {
        http = destination;
      }
    }
    assertTrue(http != null, overview.get("destinations").toString());
    assertEquals("http", http.get("kind").asText());
    assertTrue(Set.of("closed", "open", "half-open").contains(http.get("breaker").asText()));
    assertTrue(http.get("delivered").isNumber() && http.get("failed").isNumber());
  }

  @Test
  void publishingFromTheConsoleShowsUpLiveOnTheOutboundTopic() throws Exception {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    HttpResponse<InputStream> events =
        http.send(
            HttpRequest.newBuilder(uri("api/console/events/default-cache/topic%202"))
                .header("Accept", "text/event-stream")
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, events.statusCode());
    Answers.keep("GET console events (a stream)", events.statusCode(), events.headers().map(), "");
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(events.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  lines.add(line);
                }
              } catch (Exception e) {
                // the stream was closed
              }
            });
    reader.setDaemon(true);
    reader.start();
    try {
      awaitLine(lines, "event: subscribed");
      HttpResponse<String> published =
          Answers.send(
              http,
              HttpRequest.newBuilder(uri("api/console/topics/default-cache/topic%201"))
                  .POST(HttpRequest.BodyPublishers.ofString("from the console"))
                  .build());
      assertEquals(204, published.statusCode(), published::body);
      awaitLine(lines, "data: FROM THE CONSOLE");
    } finally {
      events.body().close();
    }
    // The server notices the page has gone at its next keep-alive and ends the subscription.
    Http http = new Http(base);
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (Http.json(http.get("api/console")).get("watchers").asInt() > 0
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertEquals(0, Http.json(http.get("api/console")).get("watchers").asInt());
  }

  @Test
  void aConsolePublishTooLargeForMomentoIsAProblem() throws Exception {
    HttpResponse<String> response =
        Answers.send(
            http,
            HttpRequest.newBuilder(uri("api/console/topics/default-cache/topic%201"))
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(4097)))
                .build());
    assertEquals(413, response.statusCode());
    assertEquals(
        "urn:topic-processor:problem:body-too-large", Http.json(response).get("type").asText());
  }

  private static void awaitLine(BlockingQueue<String> lines, String expected)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      String line = lines.poll(100, TimeUnit.MILLISECONDS);
      if (expected.equals(line)) {
        return;
      }
    }
    throw new AssertionError("no line '" + expected + "' in the event stream");
  }
}
