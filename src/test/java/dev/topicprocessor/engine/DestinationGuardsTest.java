package dev.topicprocessor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topicprocessor.intake.IntakeResult;
import dev.topicprocessor.sink.SinkResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Circuit breakers and the limit on deliveries at once, per destination, through the engine. */
class DestinationGuardsTest {

  @TempDir Path dir;

  private static DestinationGuards.Status status(Engine engine, String box) {
    return engine.guards.status(List.of(new ScriptedSink.Box(box))).get(0);
  }

  @Test
  void aDestinationThatKeepsFailingIsLeftAloneWhileItsEventsWaitThenEveryOutputArrives()
      throws Exception {
    try (Engine engine =
        new Engine(
            dir,
            List.of(Engine.uppercaseToAAndB()),
            Map.of("TOPIC_PROCESSOR_BREAKER_OPEN_MS", "300"))) {
      SinkResult down = new SinkResult.Failed("down", "box a is down", true);
      engine.sink.script(
          "a", IntStream.range(0, 30).mapToObj(i -> down).toArray(SinkResult[]::new));
      for (int i = 1; i <= 10; i++) {
        assertInstanceOf(
            IntakeResult.Accepted.class, engine.intake.accept(Engine.event(i, "m" + i)));
      }
      assertTrue(Engine.await(() -> status(engine, "a").breaker().equals("open")), "breaker opens");
      assertTrue(engine.journal.backlog() > 0, "events wait in the journal");
      assertEquals("closed", status(engine, "b").breaker(), "the other destination is fine");

      assertTrue(Engine.await(() -> engine.journal.backlog() == 0), "all delivered at last");
      assertEquals("closed", status(engine, "a").breaker());
      List<String> delivered = engine.sink.delivered();
      for (int i = 1; i <= 10; i++) {
        assertEquals(1, delivered.stream().filter(("a: M" + i)::equals).count(), "a: M" + i);
        assertEquals(1, delivered.stream().filter(("b: M" + i)::equals).count(), "b: M" + i);
      }
      assertEquals(0, engine.journal.deadLetterCount());
      String scrape = engine.metrics.scrape();
      assertTrue(
          scrape.contains("destination=\"box a\",kind=\"box\",to=\"open\""), "opened: " + scrape);
      assertTrue(scrape.contains("destination=\"box a\",kind=\"box\",to=\"closed\""), "closed");
      assertEquals(30, status(engine, "a").failed(), "every scripted failure was an attempt");
      assertEquals(10, status(engine, "a").delivered());
    }
  }

  @Test
  void noMoreThanTheLimitOfDeliveriesToOneDestinationAreUnderWayAtOnce() throws Exception {
    try (Engine engine =
        new Engine(
            dir,
            List.of(Engine.uppercaseToAAndB()),
            Map.of("TOPIC_PROCESSOR_DESTINATION_CONCURRENCY", "2"))) {
      engine.sink.hold();
      for (int i = 1; i <= 5; i++) {
        engine.intake.accept(Engine.event(i, "m" + i));
      }
      assertTrue(Engine.await(() -> engine.sink.heldCount() == 4), "two per destination");
      Thread.sleep(300);
      assertEquals(4, engine.sink.heldCount());
      assertEquals(2, status(engine, "a").inFlight());
      assertEquals(3, status(engine, "a").waiting());
      engine.sink.release();
      // each delivery that ends lets the next one in
      assertTrue(
          Engine.await(
              () -> {
                engine.sink.release();
                return engine.journal.backlog() == 0;
              }),
          "all delivered");
      assertEquals(10, engine.sink.delivered().size());
      assertEquals(0, status(engine, "a").inFlight());
    }
  }
}
