package dev.topicprocessor.operations;

import dev.topicprocessor.journal.Journal;
import dev.topicprocessor.metrics.ProcessorMetrics;
import dev.topicprocessor.support.DaemonThreads;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The last ten minutes for the console's charts, one point every {@link #STEP_MILLIS}: events in
 * and out per second, the 99th percentiles of acknowledgement and of publish-to-delivery, and the
 * backlog. Kept on the server, so that a page opened now shows what came before it.
 */
@ApplicationScoped
public class ConsoleHistory {

  private static final Logger LOG = Logger.getLogger(ConsoleHistory.class.getName());
  static final long STEP_MILLIS = 2_000;
  static final int POINTS = (int) (600_000 / STEP_MILLIS);

  @Inject ProcessorMetrics metrics;
  @Inject Journal journal;

  private final Deque<Point> points = new ArrayDeque<>();
  private ProcessorMetrics.Sample last;
  private ScheduledExecutorService timer;

  /**
   * One point of the charts.
   *
   * @param at its end (epoch ms)
   * @param inPerSecond events accepted per second over the step
   * @param outPerSecond outputs delivered per second over the step
   * @param ackP99Millis the 99th percentile of webhook acknowledgements, or -1 with none
   * @param endToEndP99Millis the 99th percentile from publish to delivery, or -1 with none
   * @param backlog events accepted and not yet done at its end
   */
  public record Point(
      long at,
      double inPerSecond,
      double outPerSecond,
      double ackP99Millis,
      double endToEndP99Millis,
      long backlog) {}

  /** Starts taking a point every step. */
  public synchronized void start() {
    if (timer != null) {
      return;
    }
    timer =
        Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("topic-processor-console-history"));
    timer.scheduleAtFixedRate(this::sample, 0, STEP_MILLIS, TimeUnit.MILLISECONDS);
  }

  public void stop() throws InterruptedException {
    ScheduledExecutorService stopping;
    synchronized (this) {
      stopping = timer;
      timer = null;
    }
    if (stopping != null) {
      stopping.shutdownNow();
      stopping.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  void sample() {
    try {
      ProcessorMetrics.Sample now = metrics.sample();
      long backlog = journal.backlog();
      synchronized (this) {
        if (last != null) {
          points.addLast(
              new Point(
                  now.at(),
                  now.receivedPerSecond(last),
                  now.publishedPerSecond(last),
                  now.ackP99Millis(last),
                  now.endToEndP99Millis(last),
                  backlog));
          while (points.size() > POINTS) {
            points.removeFirst();
          }
        }
        last = now;
      }
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "console history: no point this time", e);
    }
  }

  /** The points of the last ten minutes, oldest first. */
  public synchronized List<Point> points() {
    return List.copyOf(points);
  }
}
