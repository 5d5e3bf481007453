package dev.topicprocessor.engine;

import dev.topicprocessor.event.InboundEvent;
import dev.topicprocessor.journal.Journal;
import dev.topicprocessor.journal.JournalException;
import dev.topicprocessor.journal.JournalStore;
import dev.topicprocessor.journal.Membership;
import dev.topicprocessor.routing.Aggregation;
import dev.topicprocessor.routing.Route;
import dev.topicprocessor.routing.Router;
import dev.topicprocessor.support.DaemonThreads;
import dev.topicprocessor.support.ThrottledLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Closes the windows of aggregating routes. A window closes once its end is {@code graceMs} past
 * and no event of the route's inbound topic sent before its end still waits for its first attempt
 * (so a restart's backlog is counted before the windows it belongs to close). Closing records the
 * window's results as one event to deliver and forgets its messages, in one transaction; the
 * dispatcher then delivers the results like any event's outputs. Windows that ended while the
 * application was down close at the next start. Of the nodes sharing the journal, the one holding
 * the lease {@link #LEASE} closes windows.
 */
@ApplicationScoped
public class Windows {

  private static final Logger LOG = Logger.getLogger(Windows.class.getName());
  private static final ThrottledLog failures = new ThrottledLog(LOG, Duration.ofSeconds(30));

  /** The cache name of window results in the journal: no Momento cache has it. */
  public static final String RESULTS_CACHE = "#windows";

  static final long POLL_MILLIS = 200;

  /** The lease that lets one node at a time close windows. */
  public static final String LEASE = "task windows";

  @Inject Journal journal;
  @Inject Router router;
  @Inject Membership membership;

  private ScheduledExecutorService closer;

  public Windows() {}

  /** Windows of these routes in this journal, outside CDI (tests). */
  public Windows(Journal journal, Router router, Membership membership) {
    this.journal = journal;
    this.router = router;
    this.membership = membership;
  }

  /**
   * Starts closing windows, if any route aggregates, on the node that holds the lease to: one
   * closes them at a time, and another takes over when its heartbeat stops.
   */
  public void start() {
    if (!router.aggregating().isEmpty()) {
      membership.hold(LEASE, "task", this::startClosing, this::stopClosing);
    }
  }

  private synchronized void startClosing() {
    if (closer != null) {
      return;
    }
    closer =
        Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("topic-processor-window-closer"));
    closer.scheduleWithFixedDelay(this::closeDue, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Stops closing windows without waiting: a window being closed is closed in one commit. */
  private synchronized void stopClosing() {
    if (closer != null) {
      closer.shutdownNow();
      closer = null;
    }
  }

  /** Stops closing windows and waits for a close under way to end. */
  public void stop() throws InterruptedException {
    ScheduledExecutorService stopping;
    synchronized (this) {
      stopping = closer;
      closer = null;
    }
    if (stopping != null) {
      stopping.shutdownNow();
      stopping.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** The windows with messages not yet emitted. */
  public List<JournalStore.OpenWindow> open() {
    return journal.openWindows();
  }

  /** Closes every window that is due. */
  void closeDue() {
    try {
      long now = System.currentTimeMillis();
      for (JournalStore.OpenWindow window : journal.openWindows()) {
        Optional<Route> route = router.named(window.route());
        if (route.isEmpty() || route.get().aggregation() == null) {
          failures.warn(
              () ->
                  "windows of route "
                      + window.route()
                      + " wait: the routes no longer aggregate by that name");
          continue;
        }
        close(route.get(), window.windowStart(), now);
      }
    } catch (JournalException | java.util.concurrent.CompletionException e) {
      failures.warn(() -> "windows: the journal cannot be read or written now: " + e.getMessage());
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "windows: closing failed", e);
    }
  }

  private void close(Route route, long windowStart, long now) {
    Aggregation aggregation = route.aggregation();
    long end = windowStart + aggregation.windowMillis();
    if (now < end + aggregation.graceMillis()
        || journal.untriedBefore(route.cache(), route.topic(), end)) {
      return;
    }
    List<JournalStore.WindowItem> items = journal.windowItems(route.name(), windowStart);
    if (items.isEmpty()) {
      return;
    }
    long lastId = items.get(items.size() - 1).id();
    byte[] results =
        WindowResults.of(aggregation, windowStart, items)
            .toString()
            .getBytes(StandardCharsets.UTF_8);
    InboundEvent event =
        new InboundEvent(
            InboundEvent.Via.WINDOW,
            RESULTS_CACHE,
            route.name(),
            windowStart,
            lastId,
            0,
            end,
            "",
            results,
            false);
    journal.closeWindow(event, route.name(), windowStart, lastId).join();
    LOG.fine(() -> "window " + windowStart + " of route " + route.name() + " closed");
  }
}
