package dev.topicprocessor.it;

import grpc.cache_client.pubsub.PubsubGrpc;
import grpc.cache_client.pubsub._PublishRequest;
import grpc.cache_client.pubsub._TopicValue;
import io.grpc.ManagedChannel;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * Publishes message after message to topics of a Local Momento at a steady rate, whatever the
 * processor does meanwhile, until closed: message {@code i} goes to every topic, as {@code
 * text.apply(i)}. Records when each was published.
 */
final class SteadyPublisher implements AutoCloseable {

  private final ManagedChannel channel;
  private final Thread thread;
  private final AtomicInteger published = new AtomicInteger();
  private final java.util.Map<Integer, Long> publishedAt =
      new java.util.concurrent.ConcurrentHashMap<>();
  private volatile boolean stopped;
  private volatile RuntimeException failure;

  /**
   * @param perSecond messages per second (each to every topic)
   * @param text the text of message {@code i} on a topic: {@code text.apply(i)} for each topic, in
   *     the order of {@code topics}
   */
  SteadyPublisher(
      int plaintextPort,
      String cache,
      List<String> topics,
      int perSecond,
      List<IntFunction<String>> text) {
    channel = LocalMomentoProcess.plaintextChannel(plaintextPort);
    PubsubGrpc.PubsubBlockingStub pubsub = PubsubGrpc.newBlockingStub(channel);
    long interval = 1_000_000_000L / perSecond;
    thread =
        new Thread(
            () -> {
              try {
                publish(pubsub, cache, topics, interval, text);
              } catch (RuntimeException e) {
                failure = e;
              }
            },
            "steady-publisher");
    thread.start();
  }

  private void publish(
      PubsubGrpc.PubsubBlockingStub pubsub,
      String cache,
      List<String> topics,
      long interval,
      List<IntFunction<String>> text) {
    long start = System.nanoTime();
    for (int i = 0; !stopped; i++) {
      long wait = start + i * interval - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      for (int t = 0; t < topics.size(); t++) {
        pubsub
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .publish(
                _PublishRequest.newBuilder()
                    .setCacheName(cache)
                    .setTopic(topics.get(t))
                    .setValue(_TopicValue.newBuilder().setText(text.get(t).apply(i)))
                    .build());
      }
      publishedAt.put(i, System.currentTimeMillis());
      published.incrementAndGet();
    }
  }

  /** Messages published so far (each to every topic). */
  int published() {
    return published.get();
  }

  /** When message {@code i} was published (epoch ms). */
  long publishedAt(int i) {
    return publishedAt.get(i);
  }

  /** Stops publishing; fails if a publish failed (Local Momento is not what a test stops). */
  @Override
  public void close() throws InterruptedException {
    stopped = true;
    thread.join();
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    if (failure != null) {
      throw new IllegalStateException("publishing stopped after " + published(), failure);
    }
  }
}
