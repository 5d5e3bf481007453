package dev.topicprocessor.engine;

import dev.topicprocessor.config.Setting;
import dev.topicprocessor.config.Settings;
import dev.topicprocessor.event.InboundEvent;
import dev.topicprocessor.journal.JournalEntry;
import dev.topicprocessor.metrics.ProcessorMetrics;
import dev.topicprocessor.sink.Delivery;
import dev.topicprocessor.sink.Sink;
import dev.topicprocessor.sink.SinkResult;
import dev.topicprocessor.sink.Sinks;
import dev.topicprocessor.support.DaemonThreads;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Delivers an event's outputs through their sinks, all at once, and says how the event ended. A
 * failure worth retrying is retried at once a few times (with backoff, on a timer, never blocking a
 * worker); what still fails goes back to the journal for a later attempt of the whole event, which
 * skips the outputs delivered already.
 */
@ApplicationScoped
public class OutputDelivery {

  private static final Logger LOG = Logger.getLogger(OutputDelivery.class.getName());

  @Inject Sinks sinks;
  @Inject Settings settings;
  @Inject ProcessorMetrics metrics;
  @Inject DestinationGuards guards;

  private RetryPolicy policy;
  private ScheduledExecutorService timer;

  /** How one output's delivery ended, after its attempts. */
  public record Result(RouteRunner.Output output, SinkResult last, int attempts) {
    public boolean delivered() {
      return last instanceof SinkResult.Delivered;
    }
  }

  @PostConstruct
  public void start() {
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
  public void stop() {
    timer.shutdownNow();
  }

  /** Delivers what the routes made of an event; the future completes with the event's outcome. */
  public CompletableFuture<Outcome> deliver(JournalEntry entry, RouteRunner.Run run) {
    Set<String> delivered = ConcurrentHashMap.newKeySet();
    delivered.addAll(entry.published());
    List<CompletableFuture<Result>> deliveries = new ArrayList<>();
    for (RouteRunner.Output output : run.outputs()) {
      deliveries.add(
          deliver(output, entry.event())
              .thenApply(
                  result -> {
                    if (result.delivered()) {
                      delivered.add(output.id());
                    }
                    return result;
                  }));
    }
    return CompletableFuture.allOf(deliveries.toArray(CompletableFuture[]::new))
        .thenApply(
            ignored -> {
              List<Outcome.Failed> failures = new ArrayList<>(run.failures());
              for (CompletableFuture<Result> done : deliveries) {
                Result result = done.join();
                if (result.last() instanceof SinkResult.Failed f) {
                  failures.add(
                      new Outcome.Failed(
                          f.retriable(),
                          f.reason(),
                          "delivery to "
                              + result.output().destination()
                              + " failed"
                              + (result.attempts() > 0
                                  ? " after " + result.attempts() + " attempt(s)"
                                  : "")
                              + ": "
                              + f.detail(),
                          Set.of(),
                          f.retryAfter()));
                }
              }
              if (failures.isEmpty()) {
                return new Outcome.Done();
              }
              // A failure for good decides: retrying would not help the event as a whole.
              Outcome.Failed first =
                  failures.stream().filter(f -> !f.retriable()).findFirst().orElse(failures.get(0));
              java.time.Duration retryAfter =
                  failures.stream()
                      .map(Outcome.Failed::retryAfter)
                      .max(java.util.Comparator.naturalOrder())
                      .orElse(java.time.Duration.ZERO);
              return new Outcome.Failed(
                  first.retriable(),
                  first.reason(),
                  first.detail(),
                  Set.copyOf(delivered),
                  retryAfter);
            });
  }

  /** When the event's journey started: published (webhooks) or taken in (subscriptions). */
  private static long since(InboundEvent event) {
    return event.publishTimestamp() > 0 ? event.publishTimestamp() : event.eventTimestamp();
  }

  /** What a sink is told of an output. */
  static Delivery delivery(RouteRunner.Output output, InboundEvent event) {
    return new Delivery(
        output.deliveryId(),
        output.text(),
        new Delivery.From(
            output.route(),
            event.cache(),
            event.topic(),
            event.sequencePage(),
            event.sequenceNumber(),
            event.publishTimestamp(),
            event.eventTimestamp(),
            event.tokenId(),
            event.via().label()));
  }

  /**
   * Delivers one output of an event, retrying what is worth it; the future always completes
   * normally.
   */
  public CompletableFuture<Result> deliver(RouteRunner.Output output, InboundEvent event) {
    long publishTimestamp = since(event);
    Delivery delivery = delivery(output, event);
    Optional<Sink> sink = sinks.forDestination(output.destination());
    if (sink.isEmpty()) {
      return CompletableFuture.completedFuture(
          failed(
              output,
              new SinkResult.Failed(
                  "no-sink", "nothing delivers to " + output.destination(), false),
              0));
    }
    CompletableFuture<Result> result = new CompletableFuture<>();
    attempt(sink.get(), output, delivery, publishTimestamp, 1, result);
    return result;
  }

  private void attempt(
      Sink sink,
      RouteRunner.Output output,
      Delivery delivery,
      long publishTimestamp,
      int attempt,
      CompletableFuture<Result> result) {
    guards
        .of(output.destination())
        .whenFree(
            permit -> {
              if (!permit.breakerAllows()) {
                permit.ended(DestinationGuards.Attempt.NOT_MADE);
                // Not retried here: the event waits in the journal while the breaker is open.
                result.complete(
                    failed(
                        output,
                        new SinkResult.Failed(
                            "breaker-open",
                            "its circuit breaker is open after repeated failures",
                            true),
                        attempt - 1));
                return;
              }
              CompletableFuture<SinkResult> sent;
              try {
                sent = sink.deliver(output.destination(), delivery);
              } catch (RuntimeException e) {
                sent =
                    CompletableFuture.completedFuture(
                        new SinkResult.Failed("internal-error", e.toString(), false));
              }
              sent.whenComplete(
                  (outcome, thrown) -> {
                    SinkResult last =
                        thrown != null
                            ? new SinkResult.Failed("internal-error", thrown.toString(), false)
                            : outcome;
                    permit.ended(judged(last));
                    settled(sink, output, delivery, publishTimestamp, attempt, result, last);
                  });
            });
  }

  /** How the breaker sees an attempt's result. */
  private static DestinationGuards.Attempt judged(SinkResult result) {
    if (result instanceof SinkResult.Delivered) {
      return DestinationGuards.Attempt.DELIVERED;
    }
    if (result instanceof SinkResult.Failed f && f.retriable()) {
      return DestinationGuards.Attempt.DESTINATION_FAILED;
    }
    return DestinationGuards.Attempt.OUTPUT_REFUSED;
  }

  private void settled(
      Sink sink,
      RouteRunner.Output output,
      Delivery delivery,
      long publishTimestamp,
      int attempt,
      CompletableFuture<Result> result,
      SinkResult last) {
    if (last instanceof SinkResult.Delivered) {
      metrics.published(publishTimestamp);
      metrics.routeOutput(output.route(), true);
      result.complete(new Result(output, last, attempt));
      return;
    }
    if (last instanceof SinkResult.Refused refused) {
      result.complete(
          failed(output, new SinkResult.Failed(refused.reason(), refused.detail(), false), 0));
      return;
    }
    SinkResult.Failed failure = (SinkResult.Failed) last;
    Duration wait = policy.backoff(attempt);
    if (failure.retryAfter().compareTo(wait) > 0) {
      wait = failure.retryAfter();
    }
    // A wait longer than the longest backoff is the journal's to keep, not memory's.
    if (failure.retriable()
        && attempt < policy.maxAttempts()
        && wait.compareTo(policy.maxBackoff()) <= 0) {
      metrics.retried();
      LOG.log(
          Level.FINE,
          "delivery to {0} failed ({1}), attempt {2} of {3}; retrying in {4} ms",
          new Object[] {
            output.destination(), failure.reason(), attempt, policy.maxAttempts(), wait.toMillis()
          });
      try {
        timer.schedule(
            () -> attempt(sink, output, delivery, publishTimestamp, attempt + 1, result),
            wait.toMillis(),
            TimeUnit.MILLISECONDS);
        return;
      } catch (RejectedExecutionException shuttingDown) {
        // fall through: report the failure
      }
    }
    result.complete(failed(output, failure, attempt));
  }

  private Result failed(RouteRunner.Output output, SinkResult.Failed failure, int attempts) {
    metrics.publishFailed(failure.reason());
    metrics.routeOutput(output.route(), false);
    return new Result(output, failure, attempts);
  }
}
