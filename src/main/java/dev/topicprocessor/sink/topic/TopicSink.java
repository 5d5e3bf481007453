package dev.topicprocessor.sink.topic;

import dev.topicprocessor.sink.Delivery;
import dev.topicprocessor.sink.Destination;
import dev.topicprocessor.sink.Sink;
import dev.topicprocessor.sink.SinkResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import momento.sdk.TopicClient;
import momento.sdk.exceptions.LimitExceededException;
import momento.sdk.exceptions.MomentoErrorCode;
import momento.sdk.exceptions.SdkException;
import momento.sdk.responses.topic.TopicPublishResponse;

/**
 * Publishes outputs to Momento topics through the application's TopicClient. Nothing is ignored: an
 * error answer or a failed future is a {@link SinkResult.Failed}, retriable when a later attempt
 * may get through (Momento unreachable, rate limits) and not when it never will (unknown cache, too
 * large).
 */
@ApplicationScoped
public class TopicSink implements Sink {

  /** Momento's hard limit on a topic message. */
  public static final int MAX_MESSAGE_BYTES = 4096;

  private static final Set<MomentoErrorCode> RETRIABLE =
      Set.of(
          MomentoErrorCode.SERVER_UNAVAILABLE,
          MomentoErrorCode.TIMEOUT_ERROR,
          MomentoErrorCode.INTERNAL_SERVER_ERROR,
          MomentoErrorCode.UNKNOWN_SERVICE_ERROR,
          MomentoErrorCode.CANCELLED_ERROR,
          MomentoErrorCode.CONNECTION,
          MomentoErrorCode.CLIENT_RESOURCE_EXHAUSTED,
          MomentoErrorCode.LIMIT_EXCEEDED_ERROR,
          // A refused key is the deployment's fault, not the message's: it waits in the journal
          // (within TOPIC_PROCESSOR_RETRY_SECONDS) for the operator to set an accepted key.
          MomentoErrorCode.AUTHENTICATION_ERROR);

  @Inject TopicClient client;

  public TopicSink() {}

  /** A sink publishing with this client, outside CDI (tests). */
  public TopicSink(TopicClient client) {
    this.client = client;
  }

  @Override
  public boolean accepts(Destination destination) {
    return destination instanceof TopicDestination;
  }

  @Override
  public CompletableFuture<SinkResult> deliver(Destination destination, Delivery delivery) {
    TopicDestination topic = (TopicDestination) destination;
    String text = delivery.text();
    int size = text.getBytes(StandardCharsets.UTF_8).length;
    if (size > MAX_MESSAGE_BYTES) {
      return CompletableFuture.completedFuture(
          new SinkResult.Refused(
              "too-large",
              "the message is " + size + " bytes; Momento's limit is " + MAX_MESSAGE_BYTES));
    }
    CompletableFuture<TopicPublishResponse> sent;
    try {
      sent = client.publish(topic.cache(), topic.topic(), text);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    return sent.handle(TopicSink::result);
  }

  private static SinkResult result(TopicPublishResponse response, Throwable thrown) {
    SdkException error;
    if (thrown != null) {
      Throwable cause = thrown instanceof CompletionException ? thrown.getCause() : thrown;
      error =
          cause instanceof SdkException sdk
              ? sdk
              : new SdkException(MomentoErrorCode.UNKNOWN, "publish failed: " + cause, cause);
    } else if (response instanceof TopicPublishResponse.Success) {
      return new SinkResult.Delivered();
    } else if (response instanceof TopicPublishResponse.Error e) {
      error = e;
    } else {
      error = new SdkException("unexpected publish response " + response);
    }
    return new SinkResult.Failed(reason(error), error.getMessage(), retriable(error));
  }

  /**
   * Which publish errors are worth another attempt. Publish is not idempotent on Momento's side, so
   * a retry after a timeout may publish twice; losing the message would be worse.
   */
  static boolean retriable(SdkException error) {
    if (error.getErrorCode() == MomentoErrorCode.LIMIT_EXCEEDED_ERROR) {
      // Rate limits pass; a message that is too large stays too large.
      String message = String.valueOf(error.getMessage()).toLowerCase(Locale.ROOT);
      return error instanceof LimitExceededException && !message.contains("size limit");
    }
    return RETRIABLE.contains(error.getErrorCode());
  }

  private static String reason(SdkException error) {
    return error.getErrorCode() == null
        ? "unknown"
        : error.getErrorCode().name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
