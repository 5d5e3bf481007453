package dev.topicprocessor.localmomento;

import grpc.cache_client.pubsub.PubsubGrpc;
import grpc.cache_client.pubsub._PublishRequest;
import grpc.cache_client.pubsub._SubscriptionItem;
import grpc.cache_client.pubsub._SubscriptionRequest;
import grpc.cache_client.pubsub._TopicValue;
import grpc.common._Empty;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Momento's {@code cache_client.pubsub.Pubsub} service: Publish and Subscribe. */
final class PubsubService extends PubsubGrpc.PubsubImplBase {

  private final Caches caches;
  private final WebhookDispatcher webhooks;
  private final Executor fanout;
  private final int maxPayloadBytes;
  private final AtomicLong published = new AtomicLong();
  private final Map<String, Fault> faults = new ConcurrentHashMap<>();

  /** Publishes to one topic that will fail with a status, for testing how clients cope. */
  private static final class Fault {
    final Status status;
    final AtomicInteger remaining;

    Fault(Status status, int times) {
      this.status = status;
      this.remaining = new AtomicInteger(times);
    }
  }

  PubsubService(Caches caches, WebhookDispatcher webhooks, Executor fanout, int maxPayloadBytes) {
    this.caches = caches;
    this.webhooks = webhooks;
    this.fanout = fanout;
    this.maxPayloadBytes = maxPayloadBytes;
  }

  long published() {
    return published.get();
  }

  private final java.util.concurrent.atomic.AtomicInteger publishing =
      new java.util.concurrent.atomic.AtomicInteger();
  private volatile boolean closing;

  void failPublishes(String cache, String topic, Status status, int times) {
    faults.put(cache + "\n" + topic, new Fault(status, times));
  }

  private void injectedFault(String cache, String topic) {
    Fault fault = faults.get(cache + "\n" + topic);
    if (fault != null && fault.remaining.getAndDecrement() > 0) {
      throw fault.status.withDescription("fault injected by Local Momento").asRuntimeException();
    }
  }

  @Override
  public void publish(_PublishRequest request, StreamObserver<_Empty> response) {
    publishing.incrementAndGet();
    try {
      if (closing) {
        throw Status.UNAVAILABLE
            .withDescription("Local Momento is shutting down")
            .asRuntimeException();
      }
      String cacheName = Requests.requireName("cache name", request.getCacheName());
      String topicName = Requests.requireName("topic name", request.getTopic());
      _TopicValue value = request.getValue();
      int size = payloadSize(value);
      if (size > maxPayloadBytes) {
        throw Requests.limitExceeded(
            "Request size limit exceeded: the message is "
                + size
                + " bytes, the limit for a topic message is "
                + maxPayloadBytes
                + " bytes",
            "request_size_limit_exceeded");
      }
      Cache cache = caches.require(cacheName);
      injectedFault(cacheName, topicName);
      long publishedAt = System.currentTimeMillis();
      Cache.Published result = cache.publish(topicName, value, "");
      published.incrementAndGet();
      response.onNext(_Empty.getDefaultInstance());
      response.onCompleted();
      for (Webhook webhook : cache.webhooksFor(topicName)) {
        webhooks.deliver(webhook, value, result.sequence(), publishedAt, "");
      }
    } catch (StatusRuntimeException e) {
      response.onError(e);
    } finally {
      publishing.decrementAndGet();
    }
  }

  /**
   * Refuses publishes from now on and waits, at most {@code max}, for those under way to end: after
   * it, the topics' contents are final.
   */
  void stopPublishing(java.time.Duration max) {
    closing = true;
    long deadline = System.nanoTime() + max.toNanos();
    while (publishing.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public void subscribe(_SubscriptionRequest request, StreamObserver<_SubscriptionItem> response) {
    ServerCallStreamObserver<_SubscriptionItem> stream =
        (ServerCallStreamObserver<_SubscriptionItem>) response;
    try {
      String cacheName = Requests.requireName("cache name", request.getCacheName());
      String topicName = Requests.requireName("topic name", request.getTopic());
      Cache cache = caches.require(cacheName);
      // The handlers must be in place before anything can be sent on the stream.
      Subscription[] current = new Subscription[1];
      stream.setOnReadyHandler(() -> current[0].signal());
      stream.setOnCancelHandler(() -> current[0].cancel());
      cache.attach(
          topicName,
          topic ->
              current[0] =
                  new Subscription(
                      topic,
                      stream,
                      fanout,
                      request.getResumeAtTopicSequenceNumber(),
                      request.getSequencePage()));
    } catch (StatusRuntimeException e) {
      stream.onError(e);
    }
  }

  private static int payloadSize(_TopicValue value) {
    return switch (value.getKindCase()) {
      case TEXT -> value.getTextBytes().size();
      case BINARY -> value.getBinary().size();
      case KIND_NOT_SET -> throw Requests.invalidArgument("a topic value must be text or binary");
    };
  }
}
