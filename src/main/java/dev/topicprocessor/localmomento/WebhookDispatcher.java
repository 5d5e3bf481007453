package dev.topicprocessor.localmomento;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.topicprocessor.momento.WebhookEvent;
import dev.topicprocessor.momento.WebhookSignature;
import grpc.cache_client.pubsub._TopicValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Delivers published messages to webhooks as Momento did: one HTTP POST of the event JSON per
 * message and webhook, signed in the {@code momento-signature} header, one attempt, a 5 s time
 * limit, no retry. Every outcome is counted; every failure is logged (never with the secret).
 */
final class WebhookDispatcher {

  static final String USER_AGENT =
      "Momento/1.0 (Webhooks; +https://docs.momentohq.com/topics/webhooks)";

  private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class.getName());
  private static final JsonFactory JSON = new JsonFactory();

  private final HttpClient http;
  private final Duration timeout;
  private final Semaphore inFlight;

  private final AtomicLong attempted = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong timedOut = new AtomicLong();
  private final AtomicLong unreachable = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong skippedBinary = new AtomicLong();

  WebhookDispatcher(Executor executor, Duration timeout, int maxConcurrentDeliveries) {
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(executor)
            .build();
    this.timeout = timeout;
    this.inFlight = new Semaphore(maxConcurrentDeliveries);
  }

  /** Starts one delivery and returns at once; the outcome is counted when it is known. */
  void deliver(
      Webhook webhook, _TopicValue value, long sequence, long publishedAt, String tokenId) {
    if (value.getKindCase() != _TopicValue.KindCase.TEXT) {
      // Momento documented webhook events with a "text" field only.
      skippedBinary.incrementAndGet();
      LOG.log(
          Level.FINE, "{0}: binary message #{1} not delivered", new Object[] {webhook, sequence});
      return;
    }
    if (!inFlight.tryAcquire()) {
      dropped.incrementAndGet();
      LOG.log(
          Level.WARNING,
          "{0}: message #{1} dropped, too many deliveries in flight",
          new Object[] {webhook, sequence});
      return;
    }
    attempted.incrementAndGet();
    byte[] body =
        eventJson(
            webhook.cache(), webhook.topic(), publishedAt, sequence, tokenId, value.getText());
    HttpRequest request =
        HttpRequest.newBuilder(webhook.url())
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("User-Agent", USER_AGENT)
            .header(WebhookSignature.HEADER, WebhookSignature.sign(webhook.secret(), body))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    CompletableFuture<HttpResponse<Void>> sent;
    try {
      sent = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
    } catch (RuntimeException e) {
      inFlight.release();
      record(webhook, sequence, null, e);
      return;
    }
    sent.whenComplete(
        (response, error) -> {
          inFlight.release();
          record(webhook, sequence, response, error);
        });
  }

  private void record(
      Webhook webhook, long sequence, HttpResponse<Void> response, Throwable error) {
    if (error == null && response.statusCode() / 100 == 2) {
      delivered.incrementAndGet();
      return;
    }
    Throwable cause =
        error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
    String outcome;
    if (cause == null) {
      rejected.incrementAndGet();
      outcome = "answered HTTP " + response.statusCode();
    } else if (cause instanceof HttpTimeoutException) {
      timedOut.incrementAndGet();
      outcome = "no answer within " + timeout.toMillis() + " ms";
    } else {
      unreachable.incrementAndGet();
      outcome = "failed: " + cause;
    }
    LOG.log(
        Level.WARNING,
        "{0}: delivery of message #{1} {2}; not retried",
        new Object[] {webhook, sequence, outcome});
  }

  /** The event exactly as Momento's webhook documentation describes it. */
  static byte[] eventJson(
      String cache, String topic, long publishedAt, long sequence, String tokenId, String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128 + text.length());
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField(WebhookEvent.CACHE, cache);
      json.writeStringField(WebhookEvent.TOPIC, topic);
      json.writeNumberField(WebhookEvent.EVENT_TIMESTAMP, System.currentTimeMillis());
      json.writeNumberField(WebhookEvent.PUBLISH_TIMESTAMP, publishedAt);
      json.writeNumberField(WebhookEvent.TOPIC_SEQUENCE_NUMBER, sequence);
      json.writeStringField(WebhookEvent.TOKEN_ID, tokenId);
      json.writeStringField(WebhookEvent.TEXT, text);
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  LocalMomentoStats.Webhooks stats() {
    return new LocalMomentoStats.Webhooks(
        attempted.get(),
        delivered.get(),
        rejected.get(),
        timedOut.get(),
        unreachable.get(),
        dropped.get(),
        skippedBinary.get());
  }
}
