package dev.topicprocessor.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topicprocessor.event.InboundEvent;
import dev.topicprocessor.journal.Journal;
import dev.topicprocessor.journal.JournalEntry;
import dev.topicprocessor.metrics.ProcessorMetrics;
import dev.topicprocessor.testing.Fixtures;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every source gets from the intake, against the embedded journal. */
class IntakeTest {

  @TempDir Path dir;
  private Journal journal;
  private Intake cut;
  private final List<JournalEntry> handedOver = new CopyOnWriteArrayList<>();
  private final ProcessorMetrics metrics = new ProcessorMetrics();

  @BeforeEach
  void open() {
    Map<String, String> settings = Map.of("TOPIC_PROCESSOR_JOURNAL_BACKLOG_LIMIT", "3");
    journal = Fixtures.journal(dir, "intake", settings, metrics);
    cut = new Intake(journal, Fixtures.settings(settings), metrics);
    cut.open(handedOver::add);
  }

  @AfterEach
  void close() {
    journal.close();
  }

  private static InboundEvent event(long sequence) {
    return InboundEvent.fromWebhook("cache", "topic", sequence, 1_000 + sequence, 0, "", "t");
  }

  @Test
  void anAcceptedEventIsCommittedAndHandedToTheEngine() throws Exception {
    assertInstanceOf(IntakeResult.Accepted.class, cut.accept(event(1)));
    assertEquals(1, journal.backlog());
    assertTrue(Fixtures.await(() -> handedOver.size() == 1, Duration.ofSeconds(5)));
    assertEquals(event(1).key(), handedOver.get(0).key());
    assertEquals(1.0, metrics.summary().get("received"));
  }

  @Test
  void theSameEventAgainIsADuplicateAndNotHandedOver() throws Exception {
    cut.accept(event(1));
    assertInstanceOf(IntakeResult.Duplicate.class, cut.accept(event(1)));
    Thread.sleep(200);
    assertEquals(1, handedOver.size());
    assertEquals(1.0, metrics.summary().get("duplicates"));
  }

  @Test
  void pastTheBacklogLimitEventsAreRefusedAsOverloaded() {
    for (int i = 1; i <= 3; i++) {
      assertInstanceOf(IntakeResult.Accepted.class, cut.accept(event(i)));
    }
    IntakeResult.Overloaded refused =
        assertInstanceOf(IntakeResult.Overloaded.class, cut.accept(event(4)));
    assertTrue(refused.reason().contains("backlog of 3"), refused.reason());
    assertTrue(cut.full());
    assertEquals(3, journal.backlog(), "nothing recorded for the refused one");
  }

  @Test
  void onceClosedItTakesNothingMore() {
    cut.close();
    IntakeResult.Overloaded refused =
        assertInstanceOf(IntakeResult.Overloaded.class, cut.accept(event(1)));
    assertEquals("the processor is stopping", refused.reason());
    assertEquals(0, journal.backlog());
  }

  @Test
  void aJournalThatCannotWriteMakesItUnavailable() throws Exception {
    // The same database, from outside the journal: shut down under it.
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:h2:file:" + dir.resolve("intake").resolve("journal").toAbsolutePath(),
                "topic-processor",
                "");
        Statement s = c.createStatement()) {
      s.execute("SHUTDOWN");
    }
    IntakeResult.Unavailable refused =
        assertInstanceOf(IntakeResult.Unavailable.class, cut.accept(event(1)));
    assertTrue(refused.reason().contains("could not be recorded"), refused.reason());
    assertEquals(0, handedOver.size());
  }
}
