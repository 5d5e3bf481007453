package dev.topicprocessor.it;

import dev.topicprocessor.momento.WebhookSignature;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Signed webhook events for the seed's route ({@code topic 1} of {@code default-cache}), as Momento
 * sends them, from concurrent clients each pausing between its events, until closed; what each
 * event got back, and when. Event {@code i} has the text {@code <run>-<i>}.
 */
final class WebhookLoad implements AutoCloseable {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  /** Text of each event acknowledged (2xx), and when (epoch ms). */
  final Map<String, Long> acknowledged = new ConcurrentHashMap<>();

  /** Text of each event that got no answer (the server was down), and when. */
  final Map<String, Long> unanswered = new ConcurrentHashMap<>();

  /** Text of each event refused, and the status it got. */
  final Map<String, Integer> refused = new ConcurrentHashMap<>();

  /** When each refused event was refused (epoch ms). */
  final Map<String, Long> refusedAt = new ConcurrentHashMap<>();

  /** The answer bodies of the refusals, by status (the last of each). */
  final Map<Integer, String> refusal = new ConcurrentHashMap<>();

  private final URI webhook;
  private final String secret;
  private final ExecutorService pool;
  private final List<Future<?>> clients = new ArrayList<>();
  private volatile boolean stopped;

  /**
   * @param application the application's base URL
   */
  WebhookLoad(URI application, String secret, String run, int clients, int pauseMillis) {
    this.webhook = application.resolve("api/webhooks/momento");
    this.secret = secret;
    pool = Executors.newFixedThreadPool(clients);
    AtomicInteger next = new AtomicInteger();
    long base = System.nanoTime() & 0xffffffL;
    for (int c = 0; c < clients; c++) {
      this.clients.add(
          pool.submit(
              () -> {
                while (!stopped) {
                  int i = next.getAndIncrement();
                  send(run + "-" + i, base + i);
                  Thread.sleep(pauseMillis);
                }
                return null;
              }));
    }
  }

  private void send(String text, long sequence) throws InterruptedException, IOException {
    byte[] body =
        Http.JSON.writeValueAsBytes(
            Map.of(
                "cache",
                "default-cache",
                "topic",
                "topic 1",
                "event_timestamp",
                System.currentTimeMillis(),
                "publish_timestamp",
                System.currentTimeMillis(),
                "topic_sequence_number",
                sequence,
                "token_id",
                "",
                "text",
                text));
    try {
      HttpResponse<String> response =
          Answers.send(
              CLIENT,
              HttpRequest.newBuilder(webhook)
                  .timeout(Duration.ofSeconds(10))
                  .header(WebhookSignature.HEADER, WebhookSignature.sign(secret, body))
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                  .build());
      if (response.statusCode() / 100 == 2) {
        acknowledged.put(text, System.currentTimeMillis());
      } else {
        refused.put(text, response.statusCode());
        refusedAt.put(text, System.currentTimeMillis());
        refusal.put(response.statusCode(), response.body());
      }
    } catch (IOException e) {
      unanswered.put(text, System.currentTimeMillis());
    }
  }

  /** Stops sending; every client ends after its event under way. */
  @Override
  public void close() throws Exception {
    stopped = true;
    for (Future<?> client : clients) {
      client.get(1, TimeUnit.MINUTES);
    }
    pool.shutdown();
  }
}
