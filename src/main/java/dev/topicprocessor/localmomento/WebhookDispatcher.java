package dev.topicprocessor.localmomento;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.topicprocessor.momento.WebhookEvent;
import dev.topicprocessor.momento.WebhookSignature;
import grpc.cache_client.pubsub._TopicValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Delivers published messages to webhooks as Momento did: one HTTP POST of the event JSON per
 * message and webhook, signed in the {@code momento-signature} header, one attempt, a 5 s time
 * limit, no retry. Every outcome is counted; every failure is logged (never with the secret).
 *
 * <p>Deliveries are blocking calls on a bounded pool of its own, which {@link #close()} ends: the
 * JDK 17 HttpClient cannot be closed and would leave its selector thread behind at undeploy.
 */
final class WebhookDispatcher {

  static final String USER_AGENT =
      "Momento/1.0 (Webhooks; +https://docs.momentohq.com/topics/webhooks)";

  private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class.getName());
  private static final JsonFactory JSON = new JsonFactory();

  private final ThreadPoolExecutor senders;
  private final Duration timeout;

  private final AtomicLong attempted = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong timedOut = new AtomicLong();
  private final AtomicLong unreachable = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong skippedBinary = new AtomicLong();

  /**
   * @param threads the senders: deliveries run in parallel up to this many
   * @param maxConcurrentDeliveries deliveries sending or waiting; beyond it they are dropped
   */
  WebhookDispatcher(
      ThreadFactory threads, Duration timeout, int senderThreads, int maxConcurrentDeliveries) {
    this.timeout = timeout;
    this.senders =
        new ThreadPoolExecutor(
            senderThreads,
            senderThreads,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(Math.max(1, maxConcurrentDeliveries - senderThreads)),
            threads,
            new ThreadPoolExecutor.AbortPolicy());
    senders.allowCoreThreadTimeOut(true);
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
    byte[] body =
        eventJson(
            webhook.cache(), webhook.topic(), publishedAt, sequence, tokenId, value.getText());
    try {
      senders.execute(() -> send(webhook, sequence, body));
    } catch (RejectedExecutionException e) {
      dropped.incrementAndGet();
      LOG.log(
          Level.WARNING,
          "{0}: message #{1} dropped, too many deliveries in flight",
          new Object[] {webhook, sequence});
    }
  }

  /** One attempt: POST, within the time limit, never retried. */
  private void send(Webhook webhook, long sequence, byte[] body) {
    attempted.incrementAndGet();
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpURLConnection connection = null;
    try {
      connection = (HttpURLConnection) webhook.url().toURL().openConnection();
      connection.setInstanceFollowRedirects(false);
      // Both before connecting: a read timeout set later does not reach the socket.
      connection.setConnectTimeout(millisLeft(deadline));
      connection.setReadTimeout(millisLeft(deadline));
      connection.setRequestMethod("POST");
      connection.setDoOutput(true);
      connection.setFixedLengthStreamingMode(body.length);
      connection.setRequestProperty("Content-Type", "application/json");
      connection.setRequestProperty("User-Agent", USER_AGENT);
      connection.setRequestProperty(
          WebhookSignature.HEADER, WebhookSignature.sign(webhook.secret(), body));
      connection.connect();
      try (OutputStream out = connection.getOutputStream()) {
        out.write(body);
      }
      int status = connection.getResponseCode();
      drain(connection, status);
      millisLeft(deadline); // an answer after the time limit counts as none, as on Momento
      if (status / 100 == 2) {
        delivered.incrementAndGet();
      } else {
        rejected.incrementAndGet();
        failed(webhook, sequence, "answered HTTP " + status);
      }
    } catch (SocketTimeoutException | DeadlineException e) {
      timedOut.incrementAndGet();
      failed(webhook, sequence, "no answer within " + timeout.toMillis() + " ms");
      if (connection != null) {
        connection.disconnect();
      }
    } catch (IOException | RuntimeException e) {
      unreachable.incrementAndGet();
      failed(webhook, sequence, "failed: " + e);
      if (connection != null) {
        connection.disconnect();
      }
    }
  }

  /** Reads the answer to its end, so that the connection can be kept alive and reused. */
  private static void drain(HttpURLConnection connection, int status) throws IOException {
    InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
    if (in != null) {
      try (in) {
        in.transferTo(OutputStream.nullOutputStream());
      }
    }
  }

  private static int millisLeft(long deadline) throws DeadlineException {
    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    if (left <= 0) {
      throw new DeadlineException();
    }
    return (int) Math.min(Integer.MAX_VALUE, left);
  }

  /** The time limit ran out between two steps of a delivery. */
  private static final class DeadlineException extends IOException {
    DeadlineException() {
      super("time limit reached", null);
    }
  }

  private void failed(Webhook webhook, long sequence, String outcome) {
    LOG.log(
        Level.WARNING,
        "{0}: delivery of message #{1} {2}; not retried",
        new Object[] {webhook, sequence, outcome});
  }

  /** Stops sending: deliveries under way end within their time limit, queued ones are dropped. */
  void close() {
    senders.shutdown();
    try {
      if (!senders.awaitTermination(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS)) {
        senders.shutdownNow();
      }
    } catch (InterruptedException e) {
      senders.shutdownNow();
      Thread.currentThread().interrupt();
    }
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
