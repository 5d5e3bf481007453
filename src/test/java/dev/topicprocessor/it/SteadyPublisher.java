package dev.topicprocessor.it;

import dev.topicprocessor.localmomento.RawClient;
import io.grpc.ManagedChannel;
import java.time.Duration;
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
    long interval = 1_000_000_000L / perSecond;
    thread =
        new Thread(
            () -> {
              try {
                publish(cache, topics, interval, text);
              } catch (RuntimeException e) {
                failure = e;
              }
            },
            "steady-publisher");
    thread.start();
  }

  private void publish(
      String cache, List<String> topics, long interval, List<IntFunction<String>> text) {
    long start = System.nanoTime();
    for (int i = 0; !stopped; i++) {
      long wait = start + i * interval - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      for (int t = 0; t < topics.size(); t++) {
        RawClient.publishText(
            channel, cache, topics.get(t), text.get(t).apply(i), Duration.ofSeconds(10));
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
