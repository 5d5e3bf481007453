package dev.topicprocessor.intake;

import dev.topicprocessor.config.Setting;
import dev.topicprocessor.config.Settings;
import dev.topicprocessor.event.Checkpoint;
import dev.topicprocessor.event.InboundEvent;
import dev.topicprocessor.journal.Journal;
import dev.topicprocessor.journal.JournalEntry;
import dev.topicprocessor.journal.JournalException;
import dev.topicprocessor.journal.JournalStore;
import dev.topicprocessor.metrics.ProcessorMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The one way in for every source: an event is committed to the journal before {@link #accept}
 * returns, so that "accepted" means it will be processed, also after a crash. Once committed it is
 * handed to the engine, even if the source stopped waiting.
 */
@ApplicationScoped
public class Intake {

  /** The largest payload the journal keeps, in bytes: a source takes in nothing larger. */
  public static final int MAX_PAYLOAD_BYTES = JournalStore.MAX_BODY_BYTES;

  /** How long a source waits for its event to be committed before it is told "unavailable". */
  static final Duration COMMIT_WAIT = Duration.ofSeconds(4);

  @Inject Journal journal;
  @Inject Settings settings;
  @Inject ProcessorMetrics metrics;

  private volatile Consumer<JournalEntry> committed;

  /**
   * Items a subscription handed over ({@link #submit}) and not yet committed or refused: they count
   * as backlog, so that the items a source keeps in flight cannot overshoot its limit. (A webhook
   * waits for its own commit; concurrent ones are not counted, as before.)
   */
  private final AtomicInteger submitted = new AtomicInteger();

  private long backlogLimit;

  public Intake() {}

  /** An intake outside CDI (tests); {@link #open} it. */
  public Intake(Journal journal, Settings settings, ProcessorMetrics metrics) {
    this.journal = journal;
    this.settings = settings;
    this.metrics = metrics;
  }

  /** Starts taking events in; each committed one goes to {@code committed} (the engine). */
  public synchronized void open(Consumer<JournalEntry> committed) {
    backlogLimit =
        settings.integer(Setting.TOPIC_PROCESSOR_JOURNAL_BACKLOG_LIMIT, 1, Integer.MAX_VALUE);
    this.committed = committed;
  }

  /** Stops taking events in: every later one is refused as overloaded. */
  public synchronized void close() {
    committed = null;
  }

  /** Whether the journal's backlog is at its limit: a source that can wait should. */
  public boolean full() {
    return journal.backlog() + submitted.get() >= backlogLimit;
  }

  /** Where the subscription to this topic stands, to resume from. */
  public Checkpoint checkpoint(String cache, String topic) {
    return journal.checkpoint(cache, topic);
  }

  /** Records the event in the journal and returns once that is committed. */
  public IntakeResult accept(InboundEvent event) {
    CompletableFuture<IntakeResult> result = record(event, journal::append, false);
    try {
      return result.get(COMMIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      return unavailable(e.getCause());
    } catch (TimeoutException e) {
      return new IntakeResult.Unavailable(
          "the journal did not commit within " + COMMIT_WAIT.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new IntakeResult.Unavailable("interrupted while recording the event", e);
    }
  }

  /**
   * Records an item a subscription took in, without waiting: the result completes once it is
   * committed (never exceptionally). The subscription's checkpoint moves to it in the same
   * transaction if it stands at {@code previous}, the item before it on the stream; so a source may
   * have several items in flight and the checkpoint never passes one that was refused.
   */
  public CompletableFuture<IntakeResult> submit(InboundEvent event, Checkpoint previous) {
    return record(event, e -> journal.appendTaken(e, previous), true);
  }

  /**
   * Sets a subscription's checkpoint, for a source that knows every item up to {@code at} is
   * recorded (after it took in again items refused before); false if the journal could not.
   */
  public boolean saveCheckpoint(Checkpoint at) {
    try {
      journal.saveCheckpoint(at).get(COMMIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException | TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private CompletableFuture<IntakeResult> record(
      InboundEvent event,
      Function<InboundEvent, CompletableFuture<JournalEntry>> append,
      boolean inFlight) {
    Consumer<JournalEntry> engine = committed;
    if (engine == null) {
      return CompletableFuture.completedFuture(
          new IntakeResult.Overloaded("the processor is stopping"));
    }
    if (full()) {
      return CompletableFuture.completedFuture(
          new IntakeResult.Overloaded(
              "the journal's backlog of " + backlogLimit + " events is full"));
    }
    CompletableFuture<JournalEntry> recorded;
    if (inFlight) {
      submitted.incrementAndGet();
      recorded = append.apply(event).whenComplete((entry, error) -> submitted.decrementAndGet());
    } else {
      recorded = append.apply(event);
    }
    // Hand over on commit, even if the source stops waiting: a committed event is processed.
    recorded.thenAccept(
        entry -> {
          if (entry != null) {
            engine.accept(entry);
          }
        });
    return recorded.handle(
        (entry, error) -> {
          if (error != null) {
            return unavailable(error instanceof CompletionException ? error.getCause() : error);
          }
          if (entry == null) {
            metrics.duplicate();
            return new IntakeResult.Duplicate();
          }
          metrics.received();
          return new IntakeResult.Accepted();
        });
  }

  private static IntakeResult unavailable(Throwable cause) {
    return new IntakeResult.Unavailable(
        cause instanceof JournalException ? cause.getMessage() : "the event could not be recorded",
        cause);
  }
}
