package dev.topicprocessor.metrics;

import dev.topicprocessor.problem.ProblemType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** The processor's counters, gauges and latency histograms, exposed in Prometheus format. */
@ApplicationScoped
public class ProcessorMetrics {

  private static final String ROUTE_EVENTS = "topic.processor.route.events";
  private static final String ROUTE_OUTPUTS = "topic.processor.route.outputs";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter received =
      counter(
          "topic.processor.events.received",
          "Events accepted (committed to the journal) from webhooks and subscriptions");
  private final Counter processed =
      counter(
          "topic.processor.events.processed",
          "Events whose every outbound message was published (or dropped by a processor)");
  private final Counter unrouted =
      counter("topic.processor.events.unrouted", "Events that matched no route");
  private final Counter published =
      counter("topic.processor.messages.published", "Outbound messages published to Momento");
  private final Counter retries =
      counter(
          "topic.processor.publish.retries", "Publish attempts repeated after a retriable error");
  private final Counter duplicates =
      counter(
          "topic.processor.events.duplicates",
          "Webhook deliveries of an event already accepted: acknowledged, not processed");
  private final Counter replayed =
      counter("topic.processor.dead.letters.replayed", "Dead letters an operator replayed");
  private final Counter subscriptionGaps =
      counter(
          "topic.processor.subscription.gaps",
          "Discontinuities in subscription streams: items the topic no longer had, or a reset");
  private final Counter subscriptionMissed =
      counter(
          "topic.processor.subscription.missed",
          "Items a subscription could not get any more (known from discontinuities)");
  private final Counter subscriptionReconnects =
      counter(
          "topic.processor.subscription.reconnects",
          "Subscription streams opened again after an error, an end or a silence");
  private final Timer ackLatency;
  private final Timer endToEnd;
  private final ByReason rejected =
      new ByReason("topic.processor.events.rejected", "Webhook requests refused, by reason");
  private final io.micrometer.core.instrument.DistributionSummary journalBatches;
  private final ByReason deadLettered =
      new ByReason(
          "topic.processor.events.dead.lettered", "Events that failed for good: dead letters");
  private final ByReason eventRetries =
      new ByReason(
          "topic.processor.events.retries",
          "Processing attempts that failed for a reason that may pass; the event is retried later");
  private final ByReason publishFailures =
      new ByReason(
          "topic.processor.publish.failures", "Outbound messages that could not be published");

  public ProcessorMetrics() {
    journalBatches =
        io.micrometer.core.instrument.DistributionSummary.builder(
                "topic.processor.journal.commit.size")
            .description("Writes per journal commit (group commit)")
            .register(registry);
    ackLatency =
        Timer.builder("topic.processor.ack.latency")
            .description("From receiving a webhook to answering it")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(100_000))
            .maximumExpectedValue(Duration.ofSeconds(5))
            .register(registry);
    endToEnd =
        Timer.builder("topic.processor.webhook.to.publish.latency")
            .description(
                "From the event's publish_timestamp (a subscription item: from when it was taken in)"
                    + " to its outbound message being published")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(60))
            .register(registry);
    for (ProblemType type :
        new ProblemType[] {
          ProblemType.SIGNATURE_MISSING,
          ProblemType.SIGNATURE_INVALID,
          ProblemType.BODY_TOO_LARGE,
          ProblemType.MALFORMED_EVENT,
          ProblemType.STALE_EVENT,
          ProblemType.FUTURE_EVENT,
          ProblemType.OVERLOADED,
          ProblemType.NOT_READY,
          ProblemType.JOURNAL_UNAVAILABLE
        }) {
      rejected.counter(type.slug()); // present from the start, at 0
    }
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
  }

  /** Reports the executor's backlog as a gauge. */
  public void queueDepth(Supplier<Number> depth) {
    gauge("topic.processor.executor.queue.depth", "Events waiting for a worker", depth);
  }

  public void received() {
    received.increment();
  }

  public void rejected(ProblemType reason) {
    rejected.counter(reason.slug()).increment();
  }

  public void processed() {
    processed.increment();
  }

  public void deadLettered(String reason) {
    deadLettered.counter(reason).increment();
  }

  public void eventRetried(String reason) {
    eventRetries.counter(reason).increment();
  }

  public void duplicate() {
    duplicates.increment();
  }

  public void replayed(int count) {
    replayed.increment(count);
  }

  public void journalCommit(int writes) {
    journalBatches.record(writes);
  }

  /** Reports the journal's backlog and dead letters as gauges. */
  public void journal(Supplier<Number> backlog, Supplier<Number> deadLetters) {
    gauge(
        "topic.processor.journal.backlog",
        "Accepted events not yet processed (pending in the journal)",
        backlog);
    gauge("topic.processor.dead.letters", "Dead letters waiting for an operator", deadLetters);
  }

  /**
   * Work of a node whose heartbeat stopped, taken over by this one: {@code count} events, or one
   * subscription or singleton task ({@code kind} says which).
   */
  public void leasesTakenOver(String kind, int count) {
    Counter.builder("topic.processor.leases.taken.over")
        .description(
            "Work taken over from nodes whose heartbeat stopped: events, subscriptions, tasks")
        .tag("kind", kind)
        .register(registry)
        .increment(count);
  }

  /** Reports the nodes whose heartbeat is current, this one included. */
  public void nodes(Supplier<Number> alive) {
    gauge(
        "topic.processor.nodes.alive",
        "Nodes sharing the journal whose heartbeat is current",
        alive);
  }

  /** Reports whether an operator paused processing (1) or not (0). */
  public void paused(Supplier<Number> paused) {
    gauge(
        "topic.processor.paused",
        "1 while an operator has paused processing (events are still accepted), else 0",
        paused);
  }

  /** A route took an event in (its first attempt). */
  public void routeEvent(String route) {
    Counter.builder(ROUTE_EVENTS)
        .description("Events each route took in (at their first attempt)")
        .tag("route", route)
        .register(registry)
        .increment();
  }

  /** An output of a route was delivered, or failed for this attempt of its event. */
  public void routeOutput(String route, boolean delivered) {
    Counter.builder(ROUTE_OUTPUTS)
        .description("Outputs of each route delivered, or failed for an attempt of their event")
        .tag("route", route)
        .tag("outcome", delivered ? "delivered" : "failed")
        .register(registry)
        .increment();
  }

  /** A route's counts since the start. */
  public RouteCounts route(String route) {
    return new RouteCounts(
        count(ROUTE_EVENTS, "route", route),
        count(ROUTE_OUTPUTS, "route", route, "outcome", "delivered"),
        count(ROUTE_OUTPUTS, "route", route, "outcome", "failed"));
  }

  /** What a route did since the start: events in, outputs delivered, outputs failed. */
  public record RouteCounts(long events, long delivered, long failed) {}

  /**
   * The counters and latency histograms now, for the console's charts: each chart point is the
   * difference between two samples.
   */
  public Sample sample() {
    return new Sample(
        System.currentTimeMillis(),
        received.count(),
        published.count(),
        ackLatency.takeSnapshot(),
        endToEnd.takeSnapshot());
  }

  /** Counters and cumulative latency buckets (seconds) at one moment. */
  public record Sample(
      long at,
      double received,
      double published,
      HistogramSnapshot ack,
      HistogramSnapshot endToEnd) {

    /** Events in per second since {@code before}. */
    public double receivedPerSecond(Sample before) {
      return perSecond(received - before.received, before);
    }

    /** Outputs delivered per second since {@code before}. */
    public double publishedPerSecond(Sample before) {
      return perSecond(published - before.published, before);
    }

    /** The 99th percentile of acknowledgements since {@code before}, in ms, or -1 with none. */
    public double ackP99Millis(Sample before) {
      return p99Millis(ack, before.ack);
    }

    /** The 99th percentile from publish to delivery since {@code before}, in ms, or -1. */
    public double endToEndP99Millis(Sample before) {
      return p99Millis(endToEnd, before.endToEnd);
    }

    private double perSecond(double delta, Sample before) {
      long millis = at - before.at;
      return millis <= 0 ? 0 : delta * 1000.0 / millis;
    }

    /**
     * The upper bound of the bucket that holds the 99th percentile of what was recorded in between;
     * past the last bucket, the largest value seen.
     */
    private static double p99Millis(HistogramSnapshot now, HistogramSnapshot then) {
      double total = now.count() - then.count();
      CountAtBucket[] buckets = now.histogramCounts();
      CountAtBucket[] before = then.histogramCounts();
      if (total <= 0 || buckets.length != before.length) {
        return -1;
      }
      for (int i = 0; i < buckets.length; i++) {
        if (buckets[i].count() - before[i].count() >= 0.99 * total) {
          return buckets[i].bucket(TimeUnit.MILLISECONDS);
        }
      }
      return now.max(TimeUnit.MILLISECONDS);
    }
  }

  /** The event counters since the start, for JMX. */
  public Totals totals() {
    return new Totals(
        (long) received.count(),
        (long) processed.count(),
        (long) published.count(),
        (long) (eventRetries.sum() + deadLettered.sum()),
        (long) deadLettered.sum());
  }

  /**
   * Events since the start: accepted, processed, messages published (delivered), failed attempts
   * (retried later or dead-lettered), dead-lettered.
   */
  public record Totals(
      long received, long processed, long published, long failed, long deadLettered) {}

  private long count(String name, String... tags) {
    Counter counter = registry.find(name).tags(tags).counter();
    return counter == null ? 0 : (long) counter.count();
  }

  /** A heartbeat could not be written. */
  public void heartbeatFailed() {
    Counter.builder("topic.processor.heartbeat.failures")
        .description("Heartbeats this node could not write to the journal")
        .register(registry)
        .increment();
  }

  private Counter counter(String name, String description) {
    return Counter.builder(name).description(description).register(registry);
  }

  private void gauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).register(registry);
  }

  public void unrouted() {
    unrouted.increment();
  }

  /**
   * @param sinceMillis when the event was published (webhooks) or taken in (subscriptions), for the
   *     end-to-end latency; 0 when unknown
   */
  public void published(long sinceMillis) {
    published.increment();
    if (sinceMillis > 0) {
      endToEnd.record(Duration.ofMillis(Math.max(0, System.currentTimeMillis() - sinceMillis)));
    }
  }

  /** A subscription saw a discontinuity; {@code missed} items are gone (0 when unknown). */
  public void subscriptionGap(long missed) {
    subscriptionGaps.increment();
    subscriptionMissed.increment(Math.max(0, missed));
  }

  public void subscriptionReconnect() {
    subscriptionReconnects.increment();
  }

  public void retried() {
    retries.increment();
  }

  public void publishFailed(String reason) {
    publishFailures.counter(reason).increment();
  }

  /**
   * Reports a destination's circuit breaker as a gauge: 0 closed, 1 open, 2 half-open (trying a few
   * deliveries).
   */
  public void destinationBreaker(String kind, String destination, Supplier<Number> state) {
    Gauge.builder("topic.processor.destination.breaker.state", state)
        .description("A destination's circuit breaker: 0 closed, 1 open, 2 half-open")
        .tag("kind", kind)
        .tag("destination", destination)
        .register(registry);
  }

  /** One attempt to deliver to a destination ended: delivered, or failed. */
  public void destinationAttempt(String kind, String destination, boolean delivered) {
    Counter.builder("topic.processor.destination.attempts")
        .description("Delivery attempts per destination, by outcome")
        .tag("kind", kind)
        .tag("destination", destination)
        .tag("outcome", delivered ? "delivered" : "failed")
        .register(registry)
        .increment();
  }

  /** A destination's circuit breaker changed state: {@code open}, {@code half-open}, … */
  public void breakerTransition(String kind, String destination, String to) {
    Counter.builder("topic.processor.destination.breaker.transitions")
        .description("Circuit breaker state changes per destination, by the state entered")
        .tag("kind", kind)
        .tag("destination", destination)
        .tag("to", to)
        .register(registry)
        .increment();
  }

  public void acknowledged(long startNanos) {
    ackLatency.record(Duration.ofNanos(System.nanoTime() - startNanos));
  }

  /** A snapshot for the console page. */
  public Map<String, Double> summary() {
    Map<String, Double> summary = new java.util.LinkedHashMap<>();
    summary.put("received", received.count());
    summary.put("rejected", rejected.sum());
    summary.put("processed", processed.count());
    summary.put("duplicates", duplicates.count());
    summary.put("retried", eventRetries.sum());
    summary.put("deadLettered", deadLettered.sum());
    summary.put("unrouted", unrouted.count());
    summary.put("published", published.count());
    summary.put("publishRetries", retries.count());
    summary.put("publishFailures", publishFailures.sum());
    summary.put("subscriptionGaps", subscriptionGaps.count());
    summary.put("subscriptionMissed", subscriptionMissed.count());
    summary.put("subscriptionReconnects", subscriptionReconnects.count());
    return summary;
  }

  public String scrape() {
    return registry.scrape();
  }

  /** One counter per reason, made on first use. */
  private final class ByReason {
    private final String name;
    private final String description;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    ByReason(String name, String description) {
      this.name = name;
      this.description = description;
    }

    Counter counter(String reason) {
      return counters.computeIfAbsent(
          reason,
          r -> Counter.builder(name).description(description).tag("reason", r).register(registry));
    }

    double sum() {
      return counters.values().stream().mapToDouble(Counter::count).sum();
    }
  }

  @PreDestroy
  void close() {
    registry.close();
  }
}
