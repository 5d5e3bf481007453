package dev.topicprocessor.engine;

import dev.topicprocessor.config.Setting;
import dev.topicprocessor.config.Settings;
import dev.topicprocessor.journal.EventKey;
import dev.topicprocessor.journal.Failure;
import dev.topicprocessor.journal.Journal;
import dev.topicprocessor.journal.JournalEntry;
import dev.topicprocessor.journal.JournalException;
import dev.topicprocessor.journal.JournalStore;
import dev.topicprocessor.metrics.ProcessorMetrics;
import dev.topicprocessor.momento.WebhookEvent;
import dev.topicprocessor.problem.ProblemException;
import dev.topicprocessor.processor.Message;
import dev.topicprocessor.processor.Origin;
import dev.topicprocessor.processor.ProcessingException;
import dev.topicprocessor.routing.Route;
import dev.topicprocessor.routing.Router;
import dev.topicprocessor.sink.topic.PublishResult;
import dev.topicprocessor.sink.topic.Publisher;
import dev.topicprocessor.sink.topic.RetryPolicy;
import dev.topicprocessor.source.webhook.WebhookEventParser;
import dev.topicprocessor.support.DaemonThreads;
import dev.topicprocessor.support.InFlight;
import dev.topicprocessor.support.ThrottledLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What happens to an accepted event. It is committed to the {@link Journal} before its webhook is
 * answered; then its routes run and every resulting message is published to every outbound topic.
 * Events wait in the journal, not in memory: at most {@code TOPIC_PROCESSOR_QUEUE_CAPACITY} are
 * held in memory, and the rest are read back as workers free up. An event that fails for a reason
 * that may pass (Momento unreachable) is retried with backoff, across restarts; one that fails for
 * good becomes a dead letter.
 */
@ApplicationScoped
public class EventPipeline {

  private static final Logger LOG = Logger.getLogger(EventPipeline.class.getName());

  /** How long a webhook waits for its event to be committed before it is answered 503. */
  static final Duration COMMIT_WAIT = Duration.ofSeconds(4);

  private static final long POLL_MILLIS = 200;
  private static final long PURGE_MILLIS = 60_000;

  /** Rows one purge write deletes at most. */
  static final int PURGE_BATCH = 500;

  private static final ThrottledLog retryLog = new ThrottledLog(LOG, Duration.ofSeconds(10));

  @Inject Router router;
  @Inject Publisher publisher;
  @Inject ProcessingExecutor executor;
  @Inject ProcessorMetrics metrics;
  @Inject Journal journal;
  @Inject Settings settings;

  private final InFlight inFlight = new InFlight();

  /** Events in memory (queued, running or publishing), so the journal's reader skips them. */
  private final Map<EventKey, Boolean> inMemory = new ConcurrentHashMap<>();

  /** Events that left memory, with when (nanoTime), for the reader's current pass. */
  private final Map<EventKey, Long> released = new ConcurrentHashMap<>();

  private ScheduledExecutorService reader;
  private volatile boolean running;
  private int maxInMemory;
  private long backlogLimit;
  private long retryForMillis;
  private long purgeAgeMillis;
  private RetryPolicy retries;
  private long lastPurge;
  private volatile boolean purging;

  /** Creates the executor and the publisher, and starts reading back the journal's backlog. */
  public synchronized void start() {
    maxInMemory = settings.integer(Setting.TOPIC_PROCESSOR_QUEUE_CAPACITY, 1, 1_000_000);
    backlogLimit =
        settings.integer(Setting.TOPIC_PROCESSOR_JOURNAL_BACKLOG_LIMIT, 1, Integer.MAX_VALUE);
    retryForMillis =
        1000L * settings.integer(Setting.TOPIC_PROCESSOR_RETRY_SECONDS, 0, Integer.MAX_VALUE);
    retries =
        new RetryPolicy(
            Integer.MAX_VALUE,
            Duration.ofMillis(
                settings.integer(Setting.TOPIC_PROCESSOR_RETRY_INITIAL_BACKOFF_MS, 1, 3_600_000)),
            Duration.ofMillis(
                settings.integer(Setting.TOPIC_PROCESSOR_RETRY_MAX_BACKOFF_MS, 1, 86_400_000)));
    purgeAgeMillis =
        1000L
            * (settings.integer(Setting.TOPIC_PROCESSOR_FRESHNESS_SECONDS, 1, 86_400)
                + settings.integer(Setting.TOPIC_PROCESSOR_FUTURE_TOLERANCE_SECONDS, 0, 86_400)
                + 60);
    executor.waiting();
    publisher.toString();
    running = true;
    reader =
        Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("topic-processor-journal-reader"));
    reader.scheduleWithFixedDelay(this::readBack, 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
  }

  /**
   * Records an accepted event in the journal and returns once it is committed; processing follows
   * on a worker.
   *
   * @return false when the journal already had this event (a duplicate delivery: not processed)
   * @throws RejectedExecutionException when the journal's backlog is at its limit
   * @throws JournalException when the event could not be recorded
   */
  public boolean accept(WebhookEvent event, byte[] body) {
    if (!running) {
      throw new RejectedExecutionException("the processor is stopping");
    }
    if (journal.backlog() >= backlogLimit) {
      throw new RejectedExecutionException(
          "the journal's backlog of " + backlogLimit + " events is full");
    }
    CompletableFuture<JournalEntry> recorded = journal.append(event, body);
    // Dispatch on commit, even if this request stops waiting: a committed event is processed.
    recorded.thenAccept(
        entry -> {
          if (entry != null) {
            dispatch(entry);
          }
        });
    try {
      JournalEntry entry = recorded.get(COMMIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      if (entry == null) {
        metrics.duplicate();
        return false;
      }
      return true;
    } catch (ExecutionException e) {
      throw e.getCause() instanceof JournalException j
          ? j
          : new JournalException("the event could not be recorded", e.getCause());
    } catch (TimeoutException e) {
      throw new JournalException(
          "the journal did not commit within " + COMMIT_WAIT.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JournalException("interrupted while recording the event");
    }
  }

  /** Takes an event into memory and onto a worker, unless memory is full or it is there already. */
  private boolean dispatch(JournalEntry entry) {
    if (!running || inMemory.size() >= maxInMemory) {
      return false; // it waits in the journal
    }
    if (inMemory.putIfAbsent(entry.key(), Boolean.TRUE) != null) {
      return false;
    }
    inFlight.started();
    try {
      executor.submit(
          () -> {
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

  /**
   * Deletes processed events too old to come again, {@link #PURGE_BATCH} per write and the next
   * batch as soon as one comes back full: small writes keep each group commit short (every
   * acknowledgement waits for one), and back to back they keep up with any rate.
   */
  private void purge(long before) {
    purging = true;
    journal
        .purgeDone(before, PURGE_BATCH)
        .whenComplete(
            (deleted, error) -> {
              if (error == null && deleted >= PURGE_BATCH && running) {
                purge(before);
              } else {
                purging = false;
              }
            });
  }

  /** Reads back pending events that are not in memory: the backlog, retries that are due. */
  private void readBack() {
    released.clear(); // only what leaves memory during this pass matters
    try {
      long now = System.currentTimeMillis();
      if (!purging && now - lastPurge >= PURGE_MILLIS) {
        lastPurge = now;
        purge(now - purgeAgeMillis);
      }
      int busy = inMemory.size();
      int free = maxInMemory - busy;
      if (!running || free <= 0 || journal.backlog() <= busy) {
        return;
      }
      long passStart = System.nanoTime();
      for (JournalStore.Stored row : journal.due(Math.min(free + busy, free + 10_000))) {
        if (!running || inMemory.size() >= maxInMemory) {
          break;
        }
        Long left = released.get(row.key());
        if (inMemory.containsKey(row.key()) || (left != null && left - passStart >= 0)) {
          continue; // in memory, or finished while this pass read it
        }
        WebhookEvent event;
        try {
          event = WebhookEventParser.parse(row.body());
        } catch (ProblemException e) {
          LOG.warning("journal: the stored event " + row.key() + " cannot be read: " + e);
          continue;
        }
        dispatch(
            new JournalEntry(
                row.key(),
                event,
                row.attempts(),
                row.firstFailureAt(),
                new HashSet<>(row.published())));
      }
    } catch (JournalException e) {
      LOG.log(Level.WARNING, "journal: cannot read back pending events: " + e.getMessage());
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "journal: reading back pending events failed", e);
    }
  }

  /** Records how processing ended; the event leaves memory once that is committed. */
  private void settle(JournalEntry entry, Outcome outcome) {
    CompletableFuture<Void> recorded;
    long now = System.currentTimeMillis();
    if (outcome instanceof Outcome.Done) {
      metrics.processed();
      recorded = journal.done(entry.key());
    } else {
      Outcome.Failed failed = (Outcome.Failed) outcome;
      int attempts = entry.attempts() + 1;
      long firstFailure = entry.firstFailureAt() == 0 ? now : entry.firstFailureAt();
      if (failed.retriable() && now - firstFailure < retryForMillis) {
        long next = now + retries.backoff(attempts).toMillis();
        metrics.eventRetried(failed.reason());
        Failure failure =
            new Failure(
                attempts, firstFailure, failed.reason(), failed.detail(), failed.published());
        retryLog.warn(
            () ->
                "event "
                    + entry.key()
                    + " failed ("
                    + failed.reason()
                    + ": "
                    + failed.detail()
                    + "); attempt "
                    + attempts
                    + ", retrying in "
                    + (next - now)
                    + " ms");
        recorded = journal.retry(entry.key(), failure, next);
      } else {
        String detail =
            failed.retriable()
                ? "still failing after "
                    + attempts
                    + " attempt(s) over "
                    + (now - firstFailure) / 1000
                    + " s: "
                    + failed.detail()
                : failed.detail();
        LOG.warning(
            "event " + entry.key() + " is now a dead letter (" + failed.reason() + "): " + detail);
        recorded =
            journal.dead(
                entry.key(),
                new Failure(attempts, firstFailure, failed.reason(), detail, failed.published()));
      }
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
    return inFlight.awaitNone(max);
  }

  /** Events in memory: queued for a worker, being processed or being published. */
  public int inFlight() {
    return inFlight.count();
  }

  /** Processes one event; the future completes with the outcome when every publish has ended. */
  CompletableFuture<Outcome> process(JournalEntry entry) {
    WebhookEvent event = entry.event();
    List<Route> routes = router.match(event.cache(), event.topic());
    if (routes.isEmpty()) {
      metrics.unrouted();
      LOG.log(
          Level.INFO,
          "unrouted event: no route for cache {0}, topic {1} (#{2})",
          new Object[] {event.cache(), event.topic(), event.topicSequenceNumber()});
      return CompletableFuture.completedFuture(new Outcome.Done());
    }
    Set<String> published = ConcurrentHashMap.newKeySet();
    published.addAll(entry.published());
    List<Outcome.Failed> failures = new ArrayList<>();
    List<CompletableFuture<PublishResult>> publishing = new ArrayList<>();
    for (Route route : routes) {
      List<String> results;
      try {
        results = run(route, event);
      } catch (RuntimeException e) {
        failures.add(
            new Outcome.Failed(
                false, "processor-failed", "route " + route.name() + ": " + describe(e), Set.of()));
        continue;
      }
      for (int i = 0; i < results.size(); i++) {
        for (int d = 0; d < route.outbound().size(); d++) {
          String output = route.name() + ":" + i + ":" + d;
          if (published.contains(output)) {
            continue; // published by an earlier attempt
          }
          publishing.add(
              publisher
                  .publish(route.outbound().get(d), results.get(i), event.publishTimestamp())
                  .thenApply(
                      result -> {
                        if (result instanceof PublishResult.Published) {
                          published.add(output);
                        }
                        return result;
                      }));
        }
      }
    }
    return CompletableFuture.allOf(publishing.toArray(CompletableFuture[]::new))
        .thenApply(
            ignored -> {
              for (CompletableFuture<PublishResult> done : publishing) {
                if (done.join() instanceof PublishResult.Failed f) {
                  failures.add(
                      new Outcome.Failed(
                          f.retriable(),
                          f.reason(),
                          "publish to "
                              + f.destination()
                              + " failed"
                              + (f.attempts() > 0 ? " after " + f.attempts() + " attempt(s)" : "")
                              + ": "
                              + f.detail(),
                          Set.of()));
                }
              }
              if (failures.isEmpty()) {
                return new Outcome.Done();
              }
              // A failure for good decides: retrying would not help the event as a whole.
              Outcome.Failed first =
                  failures.stream().filter(f -> !f.retriable()).findFirst().orElse(failures.get(0));
              return new Outcome.Failed(
                  first.retriable(), first.reason(), first.detail(), Set.copyOf(published));
            });
  }

  private static List<String> run(Route route, WebhookEvent event) {
    Origin origin =
        new Origin(
            event.cache(),
            event.topic(),
            event.topicSequenceNumber(),
            0,
            event.publishTimestamp(),
            event.eventTimestamp(),
            event.tokenId(),
            "webhook");
    List<Message> messages = List.of(new Message(event.text(), origin));
    for (Route.Step step : route.steps()) {
      List<Message> next = new ArrayList<>();
      for (Message message : messages) {
        List<String> out = step.step().apply(message);
        if (out == null) {
          throw new ProcessingException("processor \"" + step.processor() + "\" returned null");
        }
        for (String text : out) {
          next.add(new Message(text, origin));
        }
      }
      messages = next;
    }
    return messages.stream().map(Message::text).toList();
  }

  private Outcome internalError(JournalEntry entry, Throwable e) {
    LOG.log(Level.SEVERE, "processing " + entry.key() + " failed unexpectedly", e);
    return new Outcome.Failed(false, "internal-error", e.toString(), entry.published());
  }

  private static String describe(RuntimeException e) {
    return e instanceof ProcessingException ? e.getMessage() : e.toString();
  }

  /** How processing an event ended. */
  sealed interface Outcome {
    record Done() implements Outcome {}

    /**
     * @param retriable whether a later attempt may succeed
     * @param reason a short stable name (the metrics label)
     * @param published the outputs published so far, never published again
     */
    record Failed(boolean retriable, String reason, String detail, Set<String> published)
        implements Outcome {}
  }
}
