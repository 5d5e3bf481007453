package dev.topicprocessor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topicprocessor.intake.IntakeResult;
import dev.topicprocessor.journal.Journal;
import dev.topicprocessor.metrics.ProcessorMetrics;
import dev.topicprocessor.sink.SinkResult;
import dev.topicprocessor.testing.Fixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Admission into memory, read-back from the journal, retries and dead letters, end to end. */
class DispatcherTest {

  @TempDir Path dir;

  @Test
  void anAcceptedEventIsProcessedDeliveredEverywhereAndDone() throws Exception {
    try (Engine engine = new Engine(dir, List.of(Engine.uppercaseToAAndB()), Map.of())) {
      assertInstanceOf(IntakeResult.Accepted.class, engine.intake.accept(Engine.event(1, "hello")));
      assertTrue(Engine.await(() -> engine.journal.backlog() == 0), "done");
      assertEquals(List.of("a: HELLO", "b: HELLO"), sorted(engine.sink.delivered()));
      assertEquals(1.0, engine.metrics.summary().get("received"));
      assertEquals(2.0, engine.metrics.summary().get("published"));
      assertEquals(0, engine.dispatcher.inFlight());
    }
  }

  @Test
  void whilePausedEventsAreAcceptedAndJournaledButNoneIsProcessedUntilResumed() throws Exception {
    try (Engine engine = new Engine(dir, List.of(Engine.uppercaseToAAndB()), Map.of())) {
      assertTrue(engine.dispatcher.pause(), "it was running");
      assertFalse(engine.dispatcher.pause(), "paused already");
      for (int i = 1; i <= 5; i++) {
        assertInstanceOf(
            IntakeResult.Accepted.class, engine.intake.accept(Engine.event(i, "held " + i)));
      }
      Thread.sleep(1_000); // five passes of the journal's reader
      assertEquals(List.of(), engine.sink.delivered(), "nothing processed while paused");
      assertEquals(5, engine.journal.backlog(), "all five journaled");
      assertEquals(5.0, engine.metrics.summary().get("received"));
      assertEquals(0, engine.metrics.route("upper").events());

      assertTrue(engine.dispatcher.resume(), "it was paused");
      assertTrue(Engine.await(() -> engine.journal.backlog() == 0), "the held events processed");
      assertEquals(10, engine.sink.delivered().size(), engine.sink.delivered().toString());
      assertEquals(new ProcessorMetrics.RouteCounts(5, 10, 0), engine.metrics.route("upper"));
      assertFalse(engine.dispatcher.resume(), "not paused any more");
    }
  }

  @Test
  void atMostQueueCapacityEventsAreInMemoryAndTheRestAreReadBackLater() throws Exception {
    try (Engine engine =
        new Engine(
            dir,
            List.of(Engine.uppercaseToAAndB()),
            Map.of("TOPIC_PROCESSOR_QUEUE_CAPACITY", "2"))) {
      engine.sink.hold();
      for (int i = 1; i <= 6; i++) {
        assertInstanceOf(
            IntakeResult.Accepted.class, engine.intake.accept(Engine.event(i, "m" + i)));
      }
      assertTrue(Engine.await(() -> engine.sink.heldCount() == 4), "2 events, 2 outputs each");
      Thread.sleep(1_000); // five passes of the journal's reader
      assertEquals(2, engine.dispatcher.inFlight(), "no more than the capacity in memory");
      assertEquals(4, engine.sink.heldCount());
      assertEquals(6, engine.journal.backlog(), "all six wait in the journal");

      engine.sink.release();
      assertTrue(Engine.await(() -> engine.journal.backlog() == 0), "the rest read back");
      assertEquals(
          IntStream.rangeClosed(1, 6)
              .boxed()
              .flatMap(i -> List.of("a: M" + i, "b: M" + i).stream())
              .sorted()
              .toList(),
          sorted(engine.sink.delivered()),
          "each output delivered once");
    }
  }

  @Test
  void theBacklogAnEarlierRunLeftIsProcessedAtStart() throws Exception {
    Journal before = Fixtures.journal(dir, "engine", Map.of(), new ProcessorMetrics());
    for (int i = 1; i <= 3; i++) {
      before.append(Engine.event(i, "left " + i)).get(10, TimeUnit.SECONDS);
    }
    before.close();

    try (Engine engine = new Engine(dir, List.of(Engine.uppercaseToAAndB()), Map.of())) {
      assertTrue(Engine.await(() -> engine.journal.backlog() == 0), "read back and processed");
      assertEquals(6, engine.sink.delivered().size(), engine.sink.delivered().toString());
    }
  }

  @Test
  void aRetriableFailureIsRetriedFromTheJournalAndOnlyTheOutputThatFailedAgain() throws Exception {
    try (Engine engine = new Engine(dir, List.of(Engine.uppercaseToAAndB()), Map.of())) {
      SinkResult.Failed down = new SinkResult.Failed("server-unavailable", "down", true);
      engine.sink.script("b", down, down, down, down, down); // 3 in memory, then from the journal
      engine.intake.accept(Engine.event(1, "again"));
      assertTrue(Engine.await(() -> engine.journal.backlog() == 0), "delivered in the end");
      assertEquals(List.of("a: AGAIN", "b: AGAIN"), sorted(engine.sink.delivered()));
      assertEquals(1 + 6, engine.sink.attempts(), "a once; b 5 times failing, then delivered");
      assertEquals(0, engine.journal.deadLetterCount());
    }
  }

  @Test
  void aFailureForGoodIsADeadLetterAtOnceWithWhatWasDelivered() throws Exception {
    try (Engine engine = new Engine(dir, List.of(Engine.uppercaseToAAndB()), Map.of())) {
      engine.sink.script("b", new SinkResult.Failed("rejected", "no such box", false));
      engine.intake.accept(Engine.event(1, "once"));
      assertTrue(Engine.await(() -> engine.journal.deadLetterCount() == 1), "dead");
      var letter = engine.journal.deadLetters(0, 10).get(0);
      assertEquals("rejected", letter.reason());
      assertTrue(letter.error().contains("box b"), letter.error());
      assertEquals(List.of("upper:0:0"), letter.published(), "box a got it");
      assertEquals(0, engine.journal.backlog());
    }
  }

  @Test
  void aDuplicateIsAcknowledgedAndNotProcessedAgain() throws Exception {
    try (Engine engine = new Engine(dir, List.of(Engine.uppercaseToAAndB()), Map.of())) {
      var event = Engine.event(1, "twice");
      assertInstanceOf(IntakeResult.Accepted.class, engine.intake.accept(event));
      assertInstanceOf(IntakeResult.Duplicate.class, engine.intake.accept(event));
      assertTrue(Engine.await(() -> engine.journal.backlog() == 0));
      Thread.sleep(500);
      assertEquals(List.of("a: TWICE", "b: TWICE"), sorted(engine.sink.delivered()));
    }
  }

  @Test
  void anEventNoRouteTakesIsDoneAndCounted() throws Exception {
    try (Engine engine = new Engine(dir, List.of(Engine.uppercaseToAAndB()), Map.of())) {
      engine.intake.accept(
          dev.topicprocessor.event.InboundEvent.fromWebhook(
              "cache", "elsewhere", 1, System.currentTimeMillis(), 0, "", "x"));
      assertTrue(Engine.await(() -> engine.journal.backlog() == 0));
      assertEquals(List.of(), engine.sink.delivered());
      assertEquals(1.0, engine.metrics.summary().get("unrouted"));
      assertEquals(1.0, engine.metrics.summary().get("processed"));
    }
  }

  private static List<String> sorted(List<String> items) {
    return items.stream().sorted().toList();
  }
}
