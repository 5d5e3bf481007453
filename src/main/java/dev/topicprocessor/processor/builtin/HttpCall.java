package dev.topicprocessor.processor.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.topicprocessor.processor.Message;
import dev.topicprocessor.processor.ProcessingException;
import dev.topicprocessor.processor.Processor;
import dev.topicprocessor.processor.RetriableProcessingException;
import dev.topicprocessor.support.HttpBodies;
import dev.topicprocessor.support.LazyHttpClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Calls an HTTP service with each message and goes on with its answer, without holding a worker
 * while it waits. Options: {@code url} (required), {@code timeoutMs} (default 10000). The message
 * is POSTed as it is ({@code application/json} when it is JSON); a 2xx answer's body becomes the
 * message (an empty one leaves the message as it was). A service that is down, busy or slow
 * (connection errors, timeouts, 408, 429, 5xx) fails the event for now and it is retried; any other
 * answer is a failure for good.
 */
@ApplicationScoped
@Named("http-call")
public class HttpCall implements Processor {

  private final LazyHttpClient client =
      new LazyHttpClient("topic-processor-http-call", HttpClient.Redirect.NEVER);

  @PreDestroy
  public void stop() {
    client.close();
  }

  @Override
  public Step configure(JsonNode options) {
    Options.allowOnly(options, "url", "timeoutMs");
    String url = Options.text(options, "url");
    if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
      throw new IllegalArgumentException("option \"url\" must be an http:// or https:// URL");
    }
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("option \"url\" is not a URL: " + e.getMessage());
    }
    Duration timeout = Duration.ofSeconds(10);
    JsonNode ms = options.get("timeoutMs");
    if (ms != null) {
      if (!ms.isIntegralNumber() || ms.asLong() < 1) {
        throw new IllegalArgumentException("option \"timeoutMs\" must be a positive whole number");
      }
      timeout = Duration.ofMillis(ms.asLong());
    }
    Duration requestTimeout = timeout;
    HttpClient http = client.get();
    return (AsyncStep) message -> call(http, uri, requestTimeout, message);
  }

  private static CompletionStage<List<String>> call(
      HttpClient client, URI uri, Duration timeout, Message message) {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Content-Type", HttpBodies.contentType(message.text()))
            .POST(HttpRequest.BodyPublishers.ofString(message.text(), StandardCharsets.UTF_8))
            .build();
    return client
        .sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
        .handle(
            (response, thrown) -> {
              if (thrown != null) {
                Throwable cause =
                    thrown instanceof CompletionException && thrown.getCause() != null
                        ? thrown.getCause()
                        : thrown;
                if (cause instanceof HttpTimeoutException || cause instanceof IOException) {
                  throw new RetriableProcessingException(
                      uri.getHost() + " did not answer: " + cause, cause);
                }
                throw new ProcessingException("calling " + uri.getHost() + " failed: " + cause);
              }
              int status = response.statusCode();
              if (status / 100 == 2) {
                String body = response.body();
                return List.of(body == null || body.isEmpty() ? message.text() : body);
              }
              String detail =
                  uri.getHost() + " answered HTTP " + status + HttpBodies.excerpt(response.body());
              if (HttpBodies.retriable(status)) {
                throw new RetriableProcessingException(detail);
              }
              throw new ProcessingException(detail);
            });
  }
}
