package dev.topicprocessor.engine;

import dev.topicprocessor.config.Setting;
import dev.topicprocessor.config.Settings;
import dev.topicprocessor.journal.Failure;
import dev.topicprocessor.journal.Journal;
import dev.topicprocessor.journal.JournalEntry;
import dev.topicprocessor.metrics.ProcessorMetrics;
import dev.topicprocessor.support.ThrottledLog;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;

/**
 * Records in the journal how processing an event ended: done; failed for a reason that may pass,
 * and retried with backoff (also after a restart) while the retry budget lasts; or failed for good
 * and a dead letter.
 */
@ApplicationScoped
public class Settlement {

  private static final Logger LOG = Logger.getLogger(Settlement.class.getName());
  private static final ThrottledLog retryLog = new ThrottledLog(LOG, Duration.ofSeconds(10));

  @Inject Journal journal;
  @Inject Settings settings;
  @Inject ProcessorMetrics metrics;

  private long retryForMillis;
  private RetryPolicy retries;

  @PostConstruct
  public void configure() {
    retryForMillis =
        1000L * settings.integer(Setting.TOPIC_PROCESSOR_RETRY_SECONDS, 0, Integer.MAX_VALUE);
    retries =
        new RetryPolicy(
            Integer.MAX_VALUE,
            Duration.ofMillis(
                settings.integer(Setting.TOPIC_PROCESSOR_RETRY_INITIAL_BACKOFF_MS, 1, 3_600_000)),
            Duration.ofMillis(
                settings.integer(Setting.TOPIC_PROCESSOR_RETRY_MAX_BACKOFF_MS, 1, 86_400_000)));
  }

  /** Records the outcome; the future completes once the journal has committed it. */
  public CompletableFuture<Void> settle(JournalEntry entry, Outcome outcome, long now) {
    if (outcome instanceof Outcome.Done) {
      metrics.processed();
      return journal.done(entry.key());
    }
    Outcome.Failed failed = (Outcome.Failed) outcome;
    int attempts = entry.attempts() + 1;
    long firstFailure = entry.firstFailureAt() == 0 ? now : entry.firstFailureAt();
    if (failed.retriable() && now - firstFailure < retryForMillis) {
      long next =
          now + Math.max(retries.backoff(attempts).toMillis(), failed.retryAfter().toMillis());
      metrics.eventRetried(failed.reason());
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
      return journal.retry(
          entry.key(),
          new Failure(attempts, firstFailure, failed.reason(), failed.detail(), failed.delivered()),
          next);
    }
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
    return journal.dead(
        entry.key(),
        new Failure(attempts, firstFailure, failed.reason(), detail, failed.delivered()));
  }
}
