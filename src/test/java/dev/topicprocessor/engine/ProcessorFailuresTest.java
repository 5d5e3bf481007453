package dev.topicprocessor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topicprocessor.journal.DeadLetter;
import dev.topicprocessor.processor.ProcessingException;
import dev.topicprocessor.processor.Processor;
import dev.topicprocessor.processor.RetriableProcessingException;
import dev.topicprocessor.routing.Route;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Processors that fail for now, fail for good, answer later or not at all. */
class ProcessorFailuresTest {

  @TempDir Path dir;

  private static Route route(String name, Processor.Step step) {
    return new Route(
        name,
        "cache",
        "in",
        List.of(new Route.Step(name, step)),
        List.of(new ScriptedSink.Box(name)));
  }

  @Test
  void aProcessorThatFailsForNowIsRetriedUntilItSucceeds() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Processor.Step flaky =
        message -> {
          if (calls.incrementAndGet() <= 3) {
            throw new RetriableProcessingException("the price service is down");
          }
          return List.of(message.text() + " priced");
        };
    try (Engine engine = new Engine(dir, List.of(route("flaky", flaky)), Map.of())) {
      engine.intake.accept(Engine.event(1, "order"));
      assertTrue(Engine.await(() -> engine.journal.backlog() == 0), "done at last");
      assertEquals(List.of("flaky: order priced"), engine.sink.delivered());
      assertEquals(4, calls.get(), "three failures, then the success");
      assertEquals(0, engine.journal.deadLetterCount());
      assertTrue(
          engine.metrics.scrape().contains("reason=\"processor-failed\"} 3.0"),
          "three retries counted");
    }
  }

  @Test
  void aProcessorThatFailsForGoodMakesADeadLetterAtOnce() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Processor.Step broken =
        message -> {
          calls.incrementAndGet();
          throw new ProcessingException("no such customer");
        };
    try (Engine engine = new Engine(dir, List.of(route("broken", broken)), Map.of())) {
      engine.intake.accept(Engine.event(1, "order"));
      assertTrue(Engine.await(() -> engine.journal.deadLetterCount() == 1), "a dead letter");
      DeadLetter letter = engine.journal.deadLetters(0, 10).get(0);
      assertEquals("processor-failed", letter.reason());
      assertEquals("route broken: no such customer", letter.error());
      assertEquals(1, calls.get(), "not retried");
      assertTrue(engine.sink.delivered().isEmpty());
    }
  }

  @Test
  void anAsynchronousProcessorDoesNotHoldAWorkerWhileItWaits() throws Exception {
    List<CompletableFuture<List<String>>> pending =
        new java.util.concurrent.CopyOnWriteArrayList<>();
    Processor.AsyncStep later =
        message -> {
          CompletableFuture<List<String>> answer = new CompletableFuture<>();
          pending.add(answer);
          return answer.thenApply(texts -> List.of(message.text() + " " + texts.get(0)));
        };
    try (Engine engine =
        new Engine(dir, List.of(route("later", later)), Map.of("TOPIC_PROCESSOR_WORKERS", "1"))) {
      for (int i = 1; i <= 5; i++) {
        engine.intake.accept(Engine.event(i, "m" + i));
      }
      // One worker, yet all five are waiting for their answers at once.
      assertTrue(Engine.await(() -> pending.size() == 5), "five calls under way");
      pending.forEach(answer -> answer.complete(List.of("answered")));
      assertTrue(Engine.await(() -> engine.journal.backlog() == 0), "done");
      assertEquals(5, engine.sink.delivered().size());
      assertTrue(engine.sink.delivered().contains("later: m3 answered"));
    }
  }

  @Test
  void anAsynchronousProcessorThatNeverAnswersTimesOutAndIsRetried() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Processor.AsyncStep silentOnce =
        message ->
            calls.incrementAndGet() == 1
                ? new CompletableFuture<>() // never completes
                : CompletableFuture.completedFuture(List.of(message.text()));
    try (Engine engine =
        new Engine(
            dir,
            List.of(route("silent", silentOnce)),
            Map.of("TOPIC_PROCESSOR_PROCESSOR_TIMEOUT_MS", "200"))) {
      engine.intake.accept(Engine.event(1, "order"));
      assertTrue(Engine.await(() -> engine.journal.backlog() == 0), "done on the retry");
      assertEquals(List.of("silent: order"), engine.sink.delivered());
      assertEquals(2, calls.get());
      assertTrue(engine.metrics.scrape().contains("reason=\"processor-timeout\"} 1.0"));
    }
  }
}
