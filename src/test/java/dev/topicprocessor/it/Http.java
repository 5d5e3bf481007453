package dev.topicprocessor.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.topicprocessor.momento.WebhookSignature;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/** HTTP as Momento (and an operator) would use it against the deployed processor. */
final class Http {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private final URI base;
  private final Supplier<String> secret;

  /** Signing with the secret of the tests' Local Momento's webhook {@code it-hook}. */
  Http(URL base) {
    this(base, LocalMomentoForTests::webhookSecret);
  }

  /**
   * @param secret the secret {@link #signed} signs with, read when it signs (a webhook's secret,
   *     from the Local Momento the application uses)
   */
  Http(URL base, Supplier<String> secret) {
    this.base = URI.create(base.toString().endsWith("/") ? base.toString() : base + "/");
    this.secret = secret;
  }

  /** The secret {@link #signed} signs with now. */
  String secret() {
    return secret.get();
  }

  /** Sequence numbers as Momento gives them: each event its own (else it is a duplicate). */
  private static final java.util.concurrent.atomic.AtomicLong SEQUENCE =
      new java.util.concurrent.atomic.AtomicLong(System.nanoTime() & 0xffffffffL);

  /** A webhook body as Momento sends it, published {@code ageMillis} ago. */
  static byte[] event(String cache, String topic, String text, long ageMillis) {
    long published = System.currentTimeMillis() - ageMillis;
    try {
      return JSON.writeValueAsBytes(
          Map.of(
              "cache", cache,
              "topic", topic,
              "event_timestamp", published + 1,
              "publish_timestamp", published,
              "topic_sequence_number", SEQUENCE.incrementAndGet(),
              "token_id", "",
              "text", text));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<String> webhook(byte[] body, String signature) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve("api/webhooks/momento"))
            .timeout(Duration.ofSeconds(10))
            .header(
                "User-Agent", "Momento/1.0 (Webhooks; +https://docs.momentohq.com/topics/webhooks)")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (signature != null) {
      request.header(WebhookSignature.HEADER, signature);
    }
    return Answers.send(CLIENT, request.build());
  }

  HttpResponse<String> signed(byte[] body) throws Exception {
    return webhook(body, WebhookSignature.sign(secret.get(), body));
  }

  HttpResponse<String> get(String path) throws Exception {
    return Answers.send(
        CLIENT, HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).build());
  }

  /** A request under the application, e.g. an operator's call with an Authorization header. */
  HttpResponse<String> send(String method, String path, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(10))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      request.headers(headers);
    }
    return Answers.send(CLIENT, request.build());
  }

  /** A call with the tests' operator token. */
  HttpResponse<String> operator(String method, String path) throws Exception {
    return send(method, path, "Authorization", "Bearer it-operator-token");
  }

  static JsonNode json(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body().getBytes(StandardCharsets.UTF_8));
  }

  /** The value of one Prometheus sample, e.g. {@code topic_processor_events_received_total}. */
  double metric(String sample) throws Exception {
    String text = get("api/metrics").body();
    for (String line : text.split("\n")) {
      if (line.startsWith(sample + " ")) {
        return Double.parseDouble(line.substring(sample.length() + 1).trim());
      }
    }
    return 0;
  }

  /** Waits for the dead letter of the event whose text starts so (the list shortens texts). */
  JsonNode awaitDeadLetter(String text, java.time.Duration max) throws Exception {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      for (JsonNode item : json(operator("GET", "api/dead-letters?limit=500")).get("items")) {
        if (text.startsWith(item.get("text").asText().replace("…", ""))) {
          return item;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no dead letter for the event within " + max);
  }

  /** The subscription of this topic as health shows it, or null when health has none. */
  JsonNode subscription(String topic) throws Exception {
    HttpResponse<String> health = get("api/health");
    for (JsonNode subscription : json(health).path("subscriptions")) {
      if (topic.equals(subscription.path("topic").asText())) {
        return subscription;
      }
    }
    return null;
  }

  /** Waits until health shows the subscription to this topic connected. */
  JsonNode awaitConnected(String topic, java.time.Duration max) throws Exception {
    long deadline = System.nanoTime() + max.toNanos();
    JsonNode subscription = subscription(topic);
    while ((subscription == null || !subscription.path("connected").asBoolean())
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
      subscription = subscription(topic);
    }
    org.junit.jupiter.api.Assertions.assertTrue(
        subscription != null && subscription.path("connected").asBoolean(),
        "the subscription to " + topic + " is connected: " + subscription);
    return subscription;
  }
}
