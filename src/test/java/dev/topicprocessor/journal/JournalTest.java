package dev.topicprocessor.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topicprocessor.config.Settings;
import dev.topicprocessor.event.InboundEvent;
import dev.topicprocessor.metrics.ProcessorMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal as the application opens it: the embedded database in its data directory. */
class JournalTest {

  @TempDir Path dir;

  private Journal open() {
    Journal journal = new Journal();
    journal.settings =
        new Settings(
            name -> null, Map.of("TOPIC_PROCESSOR_DATA_DIR", dir.toString())::get, n -> null);
    journal.metrics = new ProcessorMetrics();
    journal.open("shop");
    return journal;
  }

  private static InboundEvent event(long sequence) {
    return InboundEvent.fromWebhook(
        "cache", "topic", sequence, 1000 + sequence, 1, "", "text " + sequence);
  }

  @Test
  void whatWasAcceptedIsStillThereAfterARestartAndDuplicatesAreRecognised() throws Exception {
    Journal journal = open();
    assertTrue(Files.isRegularFile(dir.resolve("shop").resolve("journal.mv.db")));
    JournalEntry first = journal.append(event(1)).get(10, TimeUnit.SECONDS);
    assertNotNull(first);
    assertNotNull(journal.append(event(2)).get(10, TimeUnit.SECONDS));
    assertNull(journal.append(event(1)).get(10, TimeUnit.SECONDS), "a duplicate");
    journal.done(first.key()).get(10, TimeUnit.SECONDS);
    assertEquals(1, journal.backlog());
    journal.close();

    Journal again = open();
    try {
      assertEquals(1, again.backlog(), "event 2 is still to be processed");
      assertEquals(2, again.ownDue(10).get(0).key().sequenceNumber());
      assertEquals("text 2", again.ownDue(10).get(0).event().text());
      assertNull(again.append(event(1)).get(10, TimeUnit.SECONDS), "still a duplicate");
      JournalEntry second = JournalEntry.fresh(event(2));
      again
          .dead(second.key(), new Failure(1, 5, "too-large", "4097 bytes", Set.of()))
          .get(10, TimeUnit.SECONDS);
      assertEquals(0, again.backlog());
      assertEquals(1, again.deadLetterCount());
      long id = again.deadLetters(0, 10).get(0).id();
      assertEquals(1, again.replay(id));
      assertEquals(1, again.backlog());
      assertEquals(0, again.deadLetterCount());
      assertTrue(again.description().contains("embedded H2"), again.description());
    } finally {
      again.close();
    }
  }
}
