package dev.topicprocessor.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Local Momento alone: one publisher as fast as it is answered (at most {@link #IN_FLIGHT}
 * publishes outstanding, and at most that many ahead of the subscribers) to a topic with no
 * webhook, and N subscribers counting what reaches them. Tells Local Momento's share of the
 * end-to-end figures apart from the processor's.
 */
final class LocalMomentoThroughput {

  static final int IN_FLIGHT = 128;

  /**
   * @param publishRate publishes answered per second
   * @param deliveryRate messages received per second, all subscribers together
   * @param missing messages some subscriber did not receive (published times subscribers, minus
   *     received)
   */
  record Result(double publishRate, double deliveryRate, long missing, long publishErrors) {}

  private LocalMomentoThroughput() {}

  static Result run(int plaintextPort, String cache, int subscribers, Duration duration)
      throws Exception {
    String topic = "lm-" + subscribers + "-" + System.nanoTime();
    String text = SignedEvents.text(0);
    List<Pubsub> channels = new ArrayList<>();
    List<AutoCloseable> subscriptions = new ArrayList<>();
    LongAdder delivered = new LongAdder();
    AtomicLong lastDelivery = new AtomicLong();
    try (Pubsub publisher = new Pubsub(plaintextPort)) {
      // One connection per 10 subscribers, as separate client processes would spread them.
      for (int i = 0; i < subscribers; i++) {
        if (i % 10 == 0) {
          channels.add(new Pubsub(plaintextPort));
        }
        subscriptions.add(
            channels
                .get(channels.size() - 1)
                .subscribe(
                    cache,
                    topic,
                    t -> {
                      delivered.increment();
                      lastDelivery.set(System.nanoTime());
                    }));
      }
      Semaphore window = new Semaphore(IN_FLIGHT);
      AtomicLong answered = new AtomicLong();
      AtomicLong errors = new AtomicLong();
      long start = System.nanoTime();
      long end = start + duration.toNanos();
      while (System.nanoTime() < end) {
        // No more than IN_FLIGHT ahead of the average subscriber either: a subscriber that falls
        // further behind than the topic's history skips (a discontinuity), which is not a rate.
        while (answered.get() * subscribers - delivered.sum() > (long) IN_FLIGHT * subscribers
            && System.nanoTime() < end) {
          java.util.concurrent.locks.LockSupport.parkNanos(100_000);
        }
        window.acquire();
        publisher.publish(
            cache,
            topic,
            text,
            error -> {
              if (error != null) {
                errors.incrementAndGet();
              } else {
                answered.incrementAndGet();
              }
              window.release();
            });
      }
      window.acquire(IN_FLIGHT);
      double publishSeconds = (System.nanoTime() - start) / 1e9;
      long expected = answered.get() * subscribers;
      EndToEnd.awaitArrivals(delivered::sum, expected);
      double deliverySeconds = Math.max(1, lastDelivery.get() - start) / 1e9;
      return new Result(
          answered.get() / publishSeconds,
          delivered.sum() / deliverySeconds,
          Math.max(0, expected - delivered.sum()),
          errors.get());
    } finally {
      for (AutoCloseable subscription : subscriptions) {
        subscription.close();
      }
      for (Pubsub channel : channels) {
        channel.close();
      }
    }
  }
}
