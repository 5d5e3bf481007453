package dev.topicprocessor.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topicprocessor.config.Settings;
import dev.topicprocessor.event.Checkpoint;
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

  private static InboundEvent taken(long page, long sequence) {
    return new InboundEvent(
        InboundEvent.Via.SUBSCRIPTION,
        "cache",
        "in",
        page,
        sequence,
        0,
        System.currentTimeMillis(),
        "",
        ("item " + sequence).getBytes(java.nio.charset.StandardCharsets.UTF_8),
        false);
  }

  @Test
  void aSubscriptionsCheckpointMovesOnlyFromTheItemBeforeAndNeverPastOneNotRecorded()
      throws Exception {
    Journal journal = open();
    try {
      Checkpoint start = journal.checkpoint("cache", "in");
      assertEquals(0, start.sequenceNumber());
      Checkpoint one = new Checkpoint("cache", "in", 7, 1);
      assertNotNull(journal.appendTaken(taken(7, 1), start).get(10, TimeUnit.SECONDS));
      assertEquals(one, journal.checkpoint("cache", "in"));

      // item 2 was refused (not recorded); item 3, recorded, must not move the checkpoint past it
      Checkpoint two = new Checkpoint("cache", "in", 7, 2);
      assertNotNull(journal.appendTaken(taken(7, 3), two).get(10, TimeUnit.SECONDS));
      assertEquals(
          one, journal.checkpoint("cache", "in"), "still at the last item with all before");
      assertEquals(2, journal.backlog(), "item 3 is recorded all the same");

      // item 2 taken in again, then the subscriber sets the checkpoint to the last item read
      assertNotNull(journal.appendTaken(taken(7, 2), one).get(10, TimeUnit.SECONDS));
      assertEquals(two, journal.checkpoint("cache", "in"));
      journal.saveCheckpoint(new Checkpoint("cache", "in", 7, 3)).get(10, TimeUnit.SECONDS);

      // a duplicate (read again after a reconnect) is not recorded twice, but moves the checkpoint
      Checkpoint three = new Checkpoint("cache", "in", 7, 3);
      journal.saveCheckpoint(two).get(10, TimeUnit.SECONDS);
      assertNull(journal.appendTaken(taken(7, 3), two).get(10, TimeUnit.SECONDS), "a duplicate");
      assertEquals(three, journal.checkpoint("cache", "in"));
      assertEquals(3, journal.backlog());
    } finally {
      journal.close();
    }
  }
}
