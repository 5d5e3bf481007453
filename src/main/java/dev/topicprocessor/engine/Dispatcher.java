package dev.topicprocessor.engine;

import dev.topicprocessor.config.Setting;
import dev.topicprocessor.config.Settings;
import dev.topicprocessor.event.EventKey;
import dev.topicprocessor.event.InboundEvent;
import dev.topicprocessor.journal.Journal;
import dev.topicprocessor.journal.JournalEntry;
import dev.topicprocessor.journal.JournalException;
import dev.topicprocessor.journal.Membership;
import dev.topicprocessor.metrics.ProcessorMetrics;
import dev.topicprocessor.routing.Route;
import dev.topicprocessor.routing.Router;
import dev.topicprocessor.support.DaemonThreads;
import dev.topicprocessor.support.InFlight;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Takes committed events into memory and onto workers, and settles each when its outputs are
 * delivered. Events wait in the journal, not in memory: at most {@code
 * TOPIC_PROCESSOR_QUEUE_CAPACITY} are held in memory, and the rest are read back as workers free
 * up, as are retries when they fall due. Processed events too old to come again are purged.
 */
@ApplicationScoped
public class Dispatcher {

  private static final Logger LOG = Logger.getLogger(Dispatcher.class.getName());

  private static final long POLL_MILLIS = 200;
  private static final long PURGE_MILLIS = 60_000;

  /** The lease that lets one node at a time purge processed events. */
  public static final String HOUSEKEEPING = "task housekeeping";

  /** Rows one purge write deletes at most. */
  static final int PURGE_BATCH = 500;

  @Inject Router router;
  @Inject OutputDelivery delivery;
  @Inject Settlement settlement;
  @Inject ProcessingExecutor executor;
  @Inject ProcessorMetrics metrics;
  @Inject Journal journal;
  @Inject Settings settings;
  @Inject Membership membership;

  private final InFlight inFlight = new InFlight();

  /** Events in memory (queued, running or delivering), so the journal's reader skips them. */
  private final Map<EventKey, Boolean> inMemory = new ConcurrentHashMap<>();

  /** Events that left memory, with when (nanoTime), for the reader's current pass. */
  private final Map<EventKey, Long> released = new ConcurrentHashMap<>();

  private ScheduledExecutorService reader;
  private ScheduledExecutorService stepTimer;
  private volatile boolean running;

  /** Paused by an operator: events are still accepted and journaled, but none is processed. */
  private volatile boolean paused;

  private int maxInMemory;
  private long purgeAgeMillis;
  private Duration processorTimeout;
  private long lastPurge;
  private volatile boolean purging;

  /** Starts taking events: those offered, and the journal's backlog. */
  public synchronized void start() {
    maxInMemory = settings.integer(Setting.TOPIC_PROCESSOR_QUEUE_CAPACITY, 1, 1_000_000);
    purgeAgeMillis =
        1000L
            * (settings.integer(Setting.TOPIC_PROCESSOR_FRESHNESS_SECONDS, 1, 86_400)
                + settings.integer(Setting.TOPIC_PROCESSOR_FUTURE_TOLERANCE_SECONDS, 0, 86_400)
                + 60);
    processorTimeout =
        Duration.ofMillis(
            settings.integer(Setting.TOPIC_PROCESSOR_PROCESSOR_TIMEOUT_MS, 1, 3_600_000));
    executor.waiting();
    delivery.toString();
    running = true;
    reader =
        Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("topic-processor-journal-reader"));
    reader.scheduleWithFixedDelay(this::readBack, 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
    stepTimer =
        Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("topic-processor-step-timeout"));
    membership.hold(HOUSEKEEPING, "task", () -> {}, () -> {});
    metrics.paused(() -> paused ? 1 : 0);
  }

  /**
   * Takes a committed event into memory and onto a worker, unless memory is full or it is there
   * already: then it waits in the journal for the reader.
   *
   * @return whether it was taken
   */
  public boolean offer(JournalEntry entry) {
    if (!running || paused || inMemory.size() >= maxInMemory || !membership.valid()) {
      return false;
    }
    if (inMemory.putIfAbsent(entry.key(), Boolean.TRUE) != null) {
      return false;
    }
    inFlight.started();
    try {
      executor.submit(
          () -> {
            if (paused) {
              release(entry.key()); // waits in the journal until resumed
              return;
            }
            CompletableFuture<Outcome> outcome;
            try {
              outcome = process(entry);
            } catch (RuntimeException e) {
              outcome = CompletableFuture.completedFuture(internalError(entry, e));
            }
            outcome.whenComplete(
                (result, error) ->
                    settle(entry, error == null ? result : internalError(entry, error)));
          });
      return true;
    } catch (RejectedExecutionException e) {
      release(entry.key());
      return false;
    }
  }

  /** Runs the event's routes and delivers what they make. */
  private CompletableFuture<Outcome> process(JournalEntry entry) {
    InboundEvent event = entry.event();
    if (event.via() == InboundEvent.Via.WINDOW) {
      return router
          .named(event.topic())
          .map(
              route -> {
                if (entry.attempts() == 0) {
                  metrics.routeEvent(route.name());
                }
                return delivery.deliver(
                    entry, RouteRunner.windowResults(route, event, entry.published()));
              })
          .orElseGet(
              () ->
                  CompletableFuture.completedFuture(
                      new Outcome.Failed(
                          false,
                          "no-route",
                          "the results of a window of route "
                              + event.topic()
                              + ", which the routes no longer have",
                          entry.published())));
    }
    List<Route> routes = router.match(event.cache(), event.topic());
    if (routes.isEmpty()) {
      metrics.unrouted();
      LOG.log(
          Level.INFO,
          "unrouted event: no route for cache {0}, topic {1} (#{2})",
          new Object[] {event.cache(), event.topic(), event.sequenceNumber()});
      return CompletableFuture.completedFuture(new Outcome.Done());
    }
    if (entry.attempts() == 0) {
      routes.forEach(route -> metrics.routeEvent(route.name()));
    }
    return RouteRunner.run(routes, event, entry.published(), processorTimeout, stepTimer)
        .thenCompose(run -> delivery.deliver(entry, run));
  }

  /** Records how processing ended; the event leaves memory once that is committed. */
  private void settle(JournalEntry entry, Outcome outcome) {
    CompletableFuture<Void> recorded;
    try {
      recorded = settlement.settle(entry, outcome, System.currentTimeMillis());
    } catch (RuntimeException e) {
      recorded = CompletableFuture.failedFuture(e);
    }
    recorded.whenComplete(
        (ok, error) -> {
          if (error != null) {
            LOG.warning(
                "journal: the outcome of "
                    + entry.key()
                    + " was not recorded (it will be processed again): "
                    + error);
          }
          release(entry.key());
        });
  }

  /**
   * Forgets the keys of events too old to come again, {@link #PURGE_BATCH} per write and the next
   * batch as soon as one comes back full: small writes keep each group commit short (every
   * acknowledgement waits for one), and back to back they keep up with any rate.
   */
  private void purge(long before) {
    purging = true;
    journal
        .forgetOldKeys(before, PURGE_BATCH)
        .whenComplete(
            (deleted, error) -> {
              if (error == null && deleted >= PURGE_BATCH && running) {
                // the next batch's read on the reader, not on the writer's completion path
                if (!onReader(() -> purge(before))) {
                  purging = false;
                }
              } else {
                purging = false;
              }
            });
  }

  /**
   * Claims and reads back pending events that are not in memory: the backlog, retries that are due,
   * and the events of nodes whose heartbeat stopped.
   */
  void readBack() {
    released.clear(); // only what leaves memory during this pass matters
    try {
      long now = System.currentTimeMillis();
      if (!membership.valid()) {
        return; // the claims may be another node's by now
      }
      if (!purging && now - lastPurge >= PURGE_MILLIS && membership.holds(HOUSEKEEPING)) {
        lastPurge = now;
        purge(now - purgeAgeMillis);
      }
      int busy = inMemory.size();
      int free = maxInMemory - busy;
      if (!running || paused || free <= 0 || journal.backlog() <= busy) {
        return;
      }
      long passStart = System.nanoTime();
      offerAll(journal.ownDue(Math.min(free + busy, free + 10_000)), passStart);
      // Then, with room to spare, events no live node has: those of nobody, of a dead node.
      int room = maxInMemory - inMemory.size();
      if (running && room > 0) {
        offerAll(journal.claimDue(room), passStart);
      }
    } catch (JournalException e) {
      LOG.log(Level.WARNING, "journal: cannot read back pending events: " + e.getMessage());
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "journal: reading back pending events failed", e);
    }
  }

  /** Offers what was read back that is not in memory, while there is room. */
  private void offerAll(List<JournalEntry> entries, long passStart) {
    for (JournalEntry entry : entries) {
      if (!running || inMemory.size() >= maxInMemory) {
        return;
      }
      Long left = released.get(entry.key());
      if (inMemory.containsKey(entry.key()) || (left != null && left - passStart >= 0)) {
        continue; // in memory, or finished while this pass read it
      }
      offer(entry);
    }
  }

  private void release(EventKey key) {
    released.put(key, System.nanoTime());
    inMemory.remove(key);
    inFlight.ended();
  }

  /**
   * Stops taking events into memory and waits until those in memory are processed, at most {@code
   * max}; what is left stays in the journal for the next start.
   */
  public boolean stop(Duration max) throws InterruptedException {
    running = false;
    if (reader != null) {
      reader.shutdownNow();
      reader.awaitTermination(5, TimeUnit.SECONDS);
    }
    boolean none = inFlight.awaitNone(max);
    if (stepTimer != null) {
      stepTimer.shutdownNow(); // after the events in memory: their steps' deadlines run on it
    }
    return none;
  }

  /**
   * Stops processing: events are still accepted and journaled, and those already being processed
   * finish, but no other is begun until {@link #resume}.
   *
   * @return whether it was running unpaused until now
   */
  public boolean pause() {
    boolean was = !paused;
    paused = true;
    return was;
  }

  /**
   * Processes again: what was journaled meanwhile is read back at once.
   *
   * @return whether it was paused until now
   */
  public boolean resume() {
    boolean was = paused;
    paused = false;
    if (was && running) {
      onReader(this::readBack);
    }
    return was;
  }

  /** Runs the task on the journal's reader thread; false when it is stopping. */
  private boolean onReader(Runnable task) {
    try {
      reader.execute(task);
      return true;
    } catch (RejectedExecutionException stopping) {
      return false;
    }
  }

  public boolean paused() {
    return paused;
  }

  /** Events in memory: queued for a worker, being processed or being delivered. */
  public int inFlight() {
    return inFlight.count();
  }

  private Outcome internalError(JournalEntry entry, Throwable e) {
    LOG.log(Level.SEVERE, "processing " + entry.key() + " failed unexpectedly", e);
    return new Outcome.Failed(false, "internal-error", e.toString(), entry.published());
  }
}
