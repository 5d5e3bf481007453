package dev.topicprocessor.bench;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * End to end through Local Momento: publishes texts to the inbound topic at a fixed rate (open
 * loop: the schedule does not wait for answers), Local Momento calls the webhook, the handler under
 * test publishes the uppercase text to the outbound topic, and a subscriber there notes when each
 * one arrives. Latency is arrival minus the moment just before its publish call (at or before its
 * {@code publish_timestamp}); the publisher and the subscriber share this JVM's clock.
 */
final class EndToEnd {

  /**
   * @param sent published to the inbound topic
   * @param received distinct texts that reached the subscriber of the outbound topic (until none
   *     came for 5 s)
   * @param duplicates texts that arrived more than once
   * @param publishErrors inbound publishes that failed
   * @param sustainedRate received per second, from the first publish to the last arrival
   */
  record Result(
      int sent,
      int received,
      long duplicates,
      long publishErrors,
      double sustainedRate,
      double p50Ms,
      double p99Ms,
      double p999Ms,
      double maxMs) {

    int lost() {
      return sent - received;
    }
  }

  private static final AtomicInteger RUNS = new AtomicInteger();

  private EndToEnd() {}

  /** Where the handler's outputs arrive, open for one run. */
  interface Receiver {
    AutoCloseable open(Arrivals arrivals) throws Exception;
  }

  /** Each output text as it arrives, with the moment ({@link System#nanoTime}) it arrived. */
  interface Arrivals {
    void arrived(String text, long nanoTime);
  }

  /** A subscriber of a Momento topic, timing each item as it comes. */
  static Receiver topic(Pubsub pubsub, String cache, String topic) {
    return arrivals ->
        pubsub.subscribe(cache, topic, text -> arrivals.arrived(text, System.nanoTime()));
  }

  static Result run(
      Pubsub pubsub, String cache, String inbound, String outbound, double rate, Duration duration)
      throws Exception {
    return run(pubsub, cache, inbound, topic(pubsub, cache, outbound), rate, duration);
  }

  static Result run(
      Pubsub pubsub,
      String cache,
      String inbound,
      Receiver outbound,
      double rate,
      Duration duration)
      throws Exception {
    String tag = "e2e" + RUNS.incrementAndGet() + "x" + Long.toString(System.nanoTime(), 36);
    String prefix = (tag + " ").toUpperCase(Locale.ROOT);
    int total = (int) Math.round(rate * duration.toMillis() / 1000.0);
    long[] sentAt = new long[total];
    long[] arrivedAt = new long[total];
    AtomicInteger received = new AtomicInteger();
    AtomicLong duplicates = new AtomicLong();
    AtomicLong lastArrival = new AtomicLong();
    AtomicLong publishErrors = new AtomicLong();
    try (AutoCloseable subscription =
        outbound.open(
            (text, now) -> {
              if (!text.startsWith(prefix)) {
                return; // another run's
              }
              int end = text.indexOf(' ', prefix.length());
              int index = Integer.parseInt(text.substring(prefix.length(), end));
              synchronized (arrivedAt) {
                if (arrivedAt[index] != 0) {
                  duplicates.incrementAndGet();
                  return;
                }
                arrivedAt[index] = now;
              }
              received.incrementAndGet();
              lastArrival.accumulateAndGet(now, Math::max);
            })) {
      long start = System.nanoTime();
      int next = 0;
      while (next < total) {
        long due = (long) ((System.nanoTime() - start) * rate / 1e9) + 1;
        while (next < total && next < due) {
          sentAt[next] = System.nanoTime();
          pubsub.publish(
              cache,
              inbound,
              text(tag, next),
              error -> {
                if (error != null) {
                  publishErrors.incrementAndGet();
                }
              });
          next++;
        }
        LockSupport.parkNanos(200_000);
      }
      awaitArrivals(received::get, total);
      long[] latencies = new long[received.get()];
      int n = 0;
      synchronized (arrivedAt) {
        for (int i = 0; i < total && n < latencies.length; i++) {
          if (arrivedAt[i] != 0) {
            latencies[n++] = arrivedAt[i] - sentAt[i];
          }
        }
      }
      long[] sorted = Results.sorted(latencies);
      double seconds = Math.max(1, lastArrival.get() - start) / 1e9;
      return new Result(
          total,
          received.get(),
          duplicates.get(),
          publishErrors.get(),
          received.get() / seconds,
          Results.percentile(sorted, 50) / 1e6,
          Results.percentile(sorted, 99) / 1e6,
          Results.percentile(sorted, 99.9) / 1e6,
          Results.percentile(sorted, 100) / 1e6);
    }
  }

  /** Waits until {@code count} reaches {@code expected}, or has not moved for 5 s. */
  static void awaitArrivals(LongSupplier count, long expected) throws InterruptedException {
    long progressAt = System.nanoTime();
    long seen = count.getAsLong();
    while (seen < expected && System.nanoTime() - progressAt < 5_000_000_000L) {
      Thread.sleep(50);
      long now = count.getAsLong();
      if (now != seen) {
        seen = now;
        progressAt = System.nanoTime();
      }
    }
  }

  /** About {@link SignedEvents#TEXT_BYTES} bytes, lowercase: "e2e7x... 42 abc...". */
  private static String text(String tag, int index) {
    StringBuilder text = new StringBuilder(SignedEvents.TEXT_BYTES);
    text.append(tag).append(' ').append(index).append(' ');
    while (text.length() < SignedEvents.TEXT_BYTES) {
      text.append((char) ('a' + text.length() % 26));
    }
    return text.toString();
  }
}
