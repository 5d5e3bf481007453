package dev.topicprocessor.sink.http;

import dev.topicprocessor.sink.Delivery;
import dev.topicprocessor.sink.Destination;
import dev.topicprocessor.sink.Sink;
import dev.topicprocessor.sink.SinkResult;
import dev.topicprocessor.support.HttpBodies;
import dev.topicprocessor.support.LazyHttpClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * POSTs each output to an {@link HttpDestination} with the JDK's {@link HttpClient}, without
 * blocking the caller. A 2xx is delivered; 408, 429, 5xx and connection errors are worth retrying
 * (honouring {@code Retry-After}); any other answer is a failure for good, with its status and the
 * start of its body.
 */
@ApplicationScoped
public class HttpSink implements Sink {

  /** The longest {@code Retry-After} honoured. */
  static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

  private final LazyHttpClient client =
      new LazyHttpClient("topic-processor-http-sink", HttpClient.Redirect.NEVER);

  @PreDestroy
  public void stop() {
    client.close();
  }

  @Override
  public boolean accepts(Destination destination) {
    return destination instanceof HttpDestination;
  }

  @Override
  public CompletableFuture<SinkResult> deliver(Destination destination, Delivery delivery) {
    HttpDestination http = (HttpDestination) destination;
    byte[] body = delivery.text().getBytes(StandardCharsets.UTF_8);
    long timestamp = System.currentTimeMillis() / 1000;
    HttpRequest.Builder request =
        HttpRequest.newBuilder(http.url())
            .timeout(http.timeout())
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .header("Content-Type", HttpBodies.contentType(delivery.text()))
            .header("webhook-id", delivery.id())
            .header("webhook-timestamp", Long.toString(timestamp));
    http.headers().forEach(request::header);
    if (http.secret() != null) {
      request.header(
          "webhook-signature",
          WebhookSigner.signature(http.secret(), delivery.id(), timestamp, body));
    }
    try {
      return client
          .get()
          .sendAsync(request.build(), HttpSink::bodyOfErrors)
          .handle(HttpSink::result);
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(
          new SinkResult.Failed("http-request", e.getMessage(), false));
    }
  }

  /** The body of an error answer, for its excerpt; a success's body is not kept. */
  private static HttpResponse.BodySubscriber<String> bodyOfErrors(HttpResponse.ResponseInfo info) {
    return info.statusCode() / 100 == 2
        ? HttpResponse.BodySubscribers.replacing(null)
        : HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8);
  }

  private static SinkResult result(HttpResponse<String> response, Throwable thrown) {
    if (thrown != null) {
      Throwable cause = thrown instanceof CompletionException ? thrown.getCause() : thrown;
      if (cause instanceof HttpConnectTimeoutException || cause instanceof ConnectException) {
        return new SinkResult.Failed("http-connect", "cannot connect: " + cause, true);
      }
      if (cause instanceof HttpTimeoutException) {
        return new SinkResult.Failed("http-timeout", "no answer in time: " + cause, true);
      }
      if (cause instanceof IOException) {
        return new SinkResult.Failed("http-io", cause.toString(), true);
      }
      return new SinkResult.Failed("http-request", String.valueOf(cause), false);
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return new SinkResult.Delivered();
    }
    String detail = "HTTP " + status + HttpBodies.excerpt(response.body());
    boolean retriable = HttpBodies.retriable(status);
    return new SinkResult.Failed(
        "http-" + status,
        detail,
        retriable,
        retriable ? retryAfter(response.headers().firstValue("Retry-After")) : Duration.ZERO);
  }

  /** {@code Retry-After} as seconds or an HTTP date; zero when absent or unreadable. */
  static Duration retryAfter(Optional<String> header) {
    if (header.isEmpty()) {
      return Duration.ZERO;
    }
    String value = header.get().strip();
    Duration wait;
    try {
      wait = Duration.ofSeconds(Long.parseLong(value));
    } catch (NumberFormatException notSeconds) {
      try {
        wait =
            Duration.between(
                ZonedDateTime.now(),
                ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
      } catch (DateTimeParseException notADate) {
        return Duration.ZERO;
      }
    }
    if (wait.isNegative()) {
      return Duration.ZERO;
    }
    return wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait;
  }
}
