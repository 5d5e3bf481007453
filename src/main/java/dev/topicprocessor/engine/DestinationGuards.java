package dev.topicprocessor.engine;

import dev.topicprocessor.config.Setting;
import dev.topicprocessor.config.Settings;
import dev.topicprocessor.metrics.ProcessorMetrics;
import dev.topicprocessor.sink.Destination;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * One guard per destination: a circuit breaker (resilience4j) that stops delivering to a
 * destination that keeps failing, so its events wait in the journal instead, and a limit on the
 * deliveries to it at once, so one slow destination cannot take every connection or thread.
 */
@ApplicationScoped
public class DestinationGuards {

  private static final Logger LOG = Logger.getLogger(DestinationGuards.class.getName());

  /** Attempts the breaker judges a destination by. */
  static final int WINDOW = 20;

  /** Attempts seen before the breaker may open. */
  static final int MINIMUM_ATTEMPTS = 10;

  /** Trial deliveries while half-open. */
  static final int TRIALS = 3;

  @Inject Settings settings;
  @Inject ProcessorMetrics metrics;

  private final Map<Destination, Guard> guards = new ConcurrentHashMap<>();
  private CircuitBreakerConfig config;
  private int concurrency;

  public DestinationGuards() {}

  /** Guards configured by these settings, outside CDI (tests). */
  public DestinationGuards(Settings settings, ProcessorMetrics metrics) {
    this.settings = settings;
    this.metrics = metrics;
    configure();
  }

  @PostConstruct
  public void configure() {
    config =
        CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(WINDOW)
            .minimumNumberOfCalls(MINIMUM_ATTEMPTS)
            .failureRateThreshold(
                settings.integer(Setting.TOPIC_PROCESSOR_BREAKER_FAILURE_RATE, 1, 100))
            .waitDurationInOpenState(
                Duration.ofMillis(
                    settings.integer(Setting.TOPIC_PROCESSOR_BREAKER_OPEN_MS, 1, 3_600_000)))
            .permittedNumberOfCallsInHalfOpenState(TRIALS)
            .automaticTransitionFromOpenToHalfOpenEnabled(false)
            .build();
    concurrency = settings.integer(Setting.TOPIC_PROCESSOR_DESTINATION_CONCURRENCY, 1, 10_000);
  }

  /** The guard of a destination, made on first use. */
  public Guard of(Destination destination) {
    return guards.computeIfAbsent(destination, this::guard);
  }

  private Guard guard(Destination destination) {
    Guard guard =
        new Guard(destination, CircuitBreaker.of(destination.kind() + " " + destination, config));
    metrics.destinationBreaker(
        destination.kind(), destination.toString(), () -> stateCode(guard.breaker.getState()));
    guard
        .breaker
        .getEventPublisher()
        .onStateTransition(
            event -> {
              String to = state(event.getStateTransition().getToState());
              metrics.breakerTransition(destination.kind(), destination.toString(), to);
              LOG.warning(
                  "destination "
                      + destination
                      + ": circuit breaker "
                      + to
                      + (to.equals("open")
                          ? " after repeated failures; its events wait in the journal"
                          : ""));
            });
    return guard;
  }

  /** Every destination delivered to so far, in name order. */
  public List<Status> status() {
    return guards.values().stream()
        .map(Guard::status)
        .sorted(Comparator.comparing(Status::destination))
        .toList();
  }

  /** How each of these destinations fares, in their order. */
  public List<Status> status(java.util.Collection<Destination> destinations) {
    return destinations.stream().map(d -> of(d).status()).toList();
  }

  /** How a destination fares. */
  public record Status(
      String kind,
      String destination,
      String breaker,
      long delivered,
      long failed,
      int inFlight,
      int waiting) {}

  private static int stateCode(CircuitBreaker.State state) {
    return switch (state) {
      case OPEN, FORCED_OPEN -> 1;
      case HALF_OPEN -> 2;
      default -> 0;
    };
  }

  private static String state(CircuitBreaker.State state) {
    return state.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** A destination's breaker and concurrency limit. */
  public final class Guard {
    private final Destination destination;
    private final CircuitBreaker breaker;
    private final Deque<Runnable> waiting = new ArrayDeque<>();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private int running;

    private Guard(Destination destination, CircuitBreaker breaker) {
      this.destination = destination;
      this.breaker = breaker;
    }

    /**
     * Runs {@code attempt} as soon as fewer than the limit of deliveries to this destination are
     * under way (at once, or when one ends); the attempt must call {@link Permit#ended} exactly
     * once. Never blocks.
     */
    public void whenFree(java.util.function.Consumer<Permit> attempt) {
      Runnable run = () -> attempt.accept(new Permit());
      synchronized (this) {
        if (running >= concurrency) {
          waiting.add(run);
          return;
        }
        running++;
      }
      run.run();
    }

    private void next() {
      Runnable run;
      synchronized (this) {
        run = waiting.poll();
        if (run == null) {
          running--;
          return;
        }
      }
      run.run();
    }

    private Status status() {
      int inFlight;
      int queued;
      synchronized (this) {
        inFlight = running;
        queued = waiting.size();
      }
      return new Status(
          destination.kind(),
          destination.toString(),
          state(breaker.getState()),
          delivered.get(),
          failed.get(),
          inFlight,
          queued);
    }

    /** A place among the deliveries under way to this destination. */
    public final class Permit {
      private final long start = System.nanoTime();
      private boolean ended;

      private Permit() {}

      /**
       * Asks the breaker: false while it is open (or its trials are taken), and then nothing is
       * attempted; call {@link #ended} with {@link Attempt#NOT_MADE}.
       */
      public boolean breakerAllows() {
        return breaker.tryAcquirePermission();
      }

      /** The attempt ended (or was never made); frees the place for the next delivery. */
      public void ended(Attempt attempt) {
        if (ended) {
          return;
        }
        ended = true;
        long nanos = System.nanoTime() - start;
        switch (attempt) {
          case DELIVERED -> breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
          case OUTPUT_REFUSED -> breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
          case DESTINATION_FAILED ->
              breaker.onError(nanos, TimeUnit.NANOSECONDS, new DestinationFailed());
          case NOT_MADE -> {}
        }
        if (attempt != Attempt.NOT_MADE) {
          boolean ok = attempt == Attempt.DELIVERED;
          (ok ? delivered : failed).incrementAndGet();
          metrics.destinationAttempt(destination.kind(), destination.toString(), ok);
        }
        next();
      }
    }
  }

  /** How an attempt went, as the breaker judges the destination. */
  public enum Attempt {
    DELIVERED,
    /** The destination answered, and will never take this output: not the destination's fault. */
    OUTPUT_REFUSED,
    /** The destination was unreachable or unwell (a failure worth retrying). */
    DESTINATION_FAILED,
    /** The breaker did not allow it. */
    NOT_MADE
  }

  /** What the breaker records for a failed attempt (the detail is in the sink's result). */
  private static final class DestinationFailed extends RuntimeException {
    DestinationFailed() {
      super("delivery failed", null, false, false);
    }
  }
}
