package dev.topicprocessor.sink.topic;

import dev.topicprocessor.config.Setting;
import dev.topicprocessor.config.Settings;
import dev.topicprocessor.metrics.ProcessorMetrics;
import dev.topicprocessor.routing.Route;
import dev.topicprocessor.support.DaemonThreads;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import momento.sdk.TopicClient;
import momento.sdk.exceptions.MomentoErrorCode;
import momento.sdk.exceptions.SdkException;
import momento.sdk.responses.topic.TopicPublishResponse;

/**
 * Publishes outbound messages through the application's TopicClient. Nothing is ignored: an error
 * answer or a failed future is retried when it is retriable (with backoff, on a timer, never
 * blocking a worker) and otherwise reported as a {@link PublishResult.Failed}.
 */
@ApplicationScoped
public class Publisher {

  /** Momento's hard limit on a topic message. */
  public static final int MAX_MESSAGE_BYTES = 4096;

  private static final Logger LOG = Logger.getLogger(Publisher.class.getName());

  @Inject TopicClient client;
  @Inject Settings settings;
  @Inject ProcessorMetrics metrics;

  private RetryPolicy policy;
  private ScheduledExecutorService timer;

  @PostConstruct
  void start() {
    policy =
        new RetryPolicy(
            settings.integer(Setting.TOPIC_PROCESSOR_PUBLISH_MAX_ATTEMPTS, 1, 100),
            Duration.ofMillis(
                settings.integer(Setting.TOPIC_PROCESSOR_PUBLISH_INITIAL_BACKOFF_MS, 1, 600_000)),
            Duration.ofMillis(
                settings.integer(Setting.TOPIC_PROCESSOR_PUBLISH_MAX_BACKOFF_MS, 1, 3_600_000)));
    timer =
        Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("topic-processor-publish-retry"));
  }

  @PreDestroy
  void stop() {
    timer.shutdownNow();
  }

  /**
   * Publishes one message; the future always completes normally, with the outcome.
   *
   * @param publishTimestamp the source event's publish time, for the end-to-end latency
   */
  public CompletableFuture<PublishResult> publish(
      Route.Destination destination, String text, long publishTimestamp) {
    int size = text.getBytes(StandardCharsets.UTF_8).length;
    if (size > MAX_MESSAGE_BYTES) {
      return CompletableFuture.completedFuture(
          failed(
              destination,
              "too-large",
              "the message is " + size + " bytes; Momento's limit is " + MAX_MESSAGE_BYTES,
              0,
              false));
    }
    CompletableFuture<PublishResult> result = new CompletableFuture<>();
    attempt(destination, text, publishTimestamp, 1, result);
    return result;
  }

  private void attempt(
      Route.Destination destination,
      String text,
      long publishTimestamp,
      int attempt,
      CompletableFuture<PublishResult> result) {
    CompletableFuture<TopicPublishResponse> sent;
    try {
      sent = client.publish(destination.cache(), destination.topic(), text);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    sent.whenComplete(
        (response, thrown) -> {
          SdkException error = null;
          if (thrown != null) {
            Throwable cause = thrown instanceof CompletionException ? thrown.getCause() : thrown;
            error =
                cause instanceof SdkException sdk
                    ? sdk
                    : new SdkException(MomentoErrorCode.UNKNOWN, "publish failed: " + cause, cause);
          } else if (response instanceof TopicPublishResponse.Error e) {
            error = e;
          } else if (!(response instanceof TopicPublishResponse.Success)) {
            error = new SdkException("unexpected publish response " + response);
          }
          if (error == null) {
            metrics.published(publishTimestamp);
            result.complete(new PublishResult.Published(destination, attempt));
            return;
          }
          boolean retriable = RetryPolicy.retriable(error);
          String reason = reason(error);
          if (retriable && attempt < policy.maxAttempts()) {
            metrics.retried();
            Duration wait = policy.backoff(attempt);
            LOG.log(
                Level.FINE,
                "publish to {0} failed ({1}), attempt {2} of {3}; retrying in {4} ms",
                new Object[] {destination, reason, attempt, policy.maxAttempts(), wait.toMillis()});
            try {
              timer.schedule(
                  () -> attempt(destination, text, publishTimestamp, attempt + 1, result),
                  wait.toMillis(),
                  TimeUnit.MILLISECONDS);
              return;
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
              // fall through: report the failure
            }
          }
          result.complete(failed(destination, reason, error.getMessage(), attempt, retriable));
        });
  }

  private PublishResult.Failed failed(
      Route.Destination destination,
      String reason,
      String detail,
      int attempts,
      boolean retriable) {
    metrics.publishFailed(reason);
    return new PublishResult.Failed(destination, reason, detail, attempts, retriable);
  }

  private static String reason(SdkException error) {
    return error.getErrorCode() == null
        ? "unknown"
        : error.getErrorCode().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
