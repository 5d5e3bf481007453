package dev.topicprocessor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topicprocessor.journal.DeadLetter;
import dev.topicprocessor.journal.Journal;
import dev.topicprocessor.journal.JournalEntry;
import dev.topicprocessor.metrics.ProcessorMetrics;
import dev.topicprocessor.testing.Fixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Done, retry and dead, as the journal keeps them, against the embedded journal. */
class SettlementTest {

  @TempDir Path dir;
  private Journal journal;

  private Settlement cut(String retrySeconds) {
    Map<String, String> settings =
        Map.of(
            "TOPIC_PROCESSOR_RETRY_SECONDS", retrySeconds,
            "TOPIC_PROCESSOR_RETRY_INITIAL_BACKOFF_MS", "60000",
            "TOPIC_PROCESSOR_RETRY_MAX_BACKOFF_MS", "60000");
    ProcessorMetrics metrics = new ProcessorMetrics();
    journal = Fixtures.journal(dir, "settlement", settings, metrics);
    Settlement settlement = new Settlement();
    settlement.journal = journal;
    settlement.settings = Fixtures.settings(settings);
    settlement.metrics = metrics;
    settlement.configure();
    return settlement;
  }

  @AfterEach
  void close() {
    journal.close();
  }

  private JournalEntry accepted() throws Exception {
    return journal.append(Engine.event(1, "x")).get(10, TimeUnit.SECONDS);
  }

  @Test
  void aDoneEventLeavesTheBacklog() throws Exception {
    Settlement cut = cut("600");
    JournalEntry entry = accepted();
    cut.settle(entry, new Outcome.Done(), 1_000).get(10, TimeUnit.SECONDS);
    assertEquals(0, journal.backlog());
    assertEquals(List.of(), journal.ownDue(10));
  }

  @Test
  void aRetriableFailureWaitsItsBackoffWithWhatWasDelivered() throws Exception {
    Settlement cut = cut("600");
    JournalEntry entry = accepted();
    long now = System.currentTimeMillis();
    cut.settle(
            entry,
            new Outcome.Failed(true, "server-unavailable", "down", Set.of("upper:0:0")),
            now - 120_000) // settled as two minutes ago: its backoff of up to 60 s is over
        .get(10, TimeUnit.SECONDS);
    assertEquals(1, journal.backlog(), "still to be processed");
    JournalEntry again = journal.ownDue(10).get(0);
    assertEquals(1, again.attempts());
    assertEquals(now - 120_000, again.firstFailureAt());
    assertEquals(Set.of("upper:0:0"), again.published());
    assertEquals(0, journal.deadLetterCount());
  }

  @Test
  void aRetriableFailureIsNotDueBeforeItsBackoff() throws Exception {
    Settlement cut = cut("600");
    JournalEntry entry = accepted();
    cut.settle(
            entry,
            new Outcome.Failed(true, "server-unavailable", "down", Set.of()),
            System.currentTimeMillis() + 3_600_000) // an hour ahead: due no earlier than that
        .get(10, TimeUnit.SECONDS);
    assertEquals(List.of(), journal.ownDue(10));
    assertEquals(1, journal.backlog());
  }

  @Test
  void aRetriableFailurePastTheRetryBudgetIsADeadLetter() throws Exception {
    Settlement cut = cut("0");
    JournalEntry entry = accepted();
    cut.settle(entry, new Outcome.Failed(true, "server-unavailable", "down", Set.of()), 5_000)
        .get(10, TimeUnit.SECONDS);
    assertEquals(0, journal.backlog());
    DeadLetter letter = journal.deadLetters(0, 10).get(0);
    assertEquals("server-unavailable", letter.reason());
    assertTrue(letter.error().startsWith("still failing after 1 attempt(s)"), letter.error());
  }

  @Test
  void aFailureForGoodIsADeadLetterWithItsDetail() throws Exception {
    Settlement cut = cut("600");
    JournalEntry entry = accepted();
    cut.settle(entry, new Outcome.Failed(false, "too-large", "4097 bytes", Set.of("r:0:1")), 5)
        .get(10, TimeUnit.SECONDS);
    assertEquals(0, journal.backlog());
    assertEquals(1, journal.deadLetterCount());
    DeadLetter letter = journal.deadLetters(0, 10).get(0);
    assertEquals("4097 bytes", letter.error());
    assertEquals(1, letter.attempts());
    assertEquals(List.of("r:0:1"), letter.published());
  }
}
