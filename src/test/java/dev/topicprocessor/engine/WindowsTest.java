package dev.topicprocessor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.topicprocessor.event.InboundEvent;
import dev.topicprocessor.intake.IntakeResult;
import dev.topicprocessor.routing.Aggregation;
import dev.topicprocessor.routing.Route;
import dev.topicprocessor.sink.Delivery;
import dev.topicprocessor.sink.SinkResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Aggregation by key over tumbling windows, kept in the journal's database. */
class WindowsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private static Route aggregating(String options) throws Exception {
    return new Route(
        "totals",
        "cache",
        "in",
        Route.Source.WEBHOOK,
        List.of(),
        List.of(new ScriptedSink.Box("out")),
        Aggregation.parse("totals", JSON.readTree(options)));
  }

  private static final String BY_CUSTOMER =
      "{\"key\": \"/customer\", \"windowSeconds\": 2, \"graceMs\": 100, \"fields\": {"
          + "\"total\": {\"sum\": \"/amount\"}, \"largest\": {\"max\": \"/amount\"},"
          + " \"first\": {\"first\": \"/id\"}, \"ids\": {\"collect\": \"/id\", \"limit\": 3}}}";

  private static long sequence;

  /** An event sent at {@code sentAt} (its event timestamp). */
  private static InboundEvent order(long sentAt, String customer, int amount, int id) {
    return InboundEvent.fromWebhook(
        "cache",
        "in",
        ++sequence,
        System.currentTimeMillis(),
        sentAt,
        "",
        "{\"customer\": \"" + customer + "\", \"amount\": " + amount + ", \"id\": " + id + "}");
  }

  /** The results delivered to box "out", by key and window start. */
  private static Map<String, JsonNode> results(Engine engine) throws Exception {
    Map<String, JsonNode> results = new HashMap<>();
    for (String line : engine.sink.delivered()) {
      JsonNode result = JSON.readTree(line.substring("out: ".length()));
      results.put(result.get("key").asText() + "@" + result.get("window_start").asLong(), result);
    }
    return results;
  }

  @Test
  void countsSumsAndValuesPerKeyAndWindowMatchWhatWasSent() throws Exception {
    Route route = aggregating(BY_CUSTOMER);
    long first = route.aggregation().windowStart(System.currentTimeMillis()) - 6_000;
    long second = first + 2_000;
    try (Engine engine = new Engine(dir, List.of(route), Map.of())) {
      int id = 0;
      List<InboundEvent> events = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        events.add(order(first + 10 + i, "ann", i, ++id)); // 0 + 1 + ... + 29 = 435
      }
      for (int i = 0; i < 20; i++) {
        events.add(order(first + 1_500 + i, "bob", 2, ++id));
      }
      for (int i = 0; i < 10; i++) {
        events.add(order(second + i, "ann", 5, ++id));
      }
      for (InboundEvent event : events) {
        assertInstanceOf(IntakeResult.Accepted.class, engine.intake.accept(event));
      }
      assertTrue(Engine.await(() -> engine.sink.delivered().size() == 3), "three results");
      Map<String, JsonNode> results = results(engine);
      JsonNode ann = results.get("ann@" + first);
      assertEquals(30, ann.get("count").asInt());
      assertEquals(435, ann.get("total").asInt());
      assertEquals(29, ann.get("largest").asInt());
      // In the order they were counted (workers run in parallel): the first three of ann's first
      // window, and the first of them is "first".
      JsonNode ids = ann.get("ids");
      assertEquals(3, ids.size(), "collected up to the limit");
      java.util.Set<Integer> distinct = new java.util.HashSet<>();
      ids.forEach(i -> distinct.add(i.asInt()));
      assertEquals(3, distinct.size(), ids.toString());
      distinct.forEach(i -> assertTrue(i >= 1 && i <= 30, ids.toString()));
      assertEquals(ids.get(0), ann.get("first"));
      assertEquals(first + 2_000, ann.get("window_end").asLong());
      JsonNode bob = results.get("bob@" + first);
      assertEquals(20, bob.get("count").asInt());
      assertEquals(40, bob.get("total").asInt());
      JsonNode later = results.get("ann@" + second);
      assertEquals(10, later.get("count").asInt());
      assertEquals(50, later.get("total").asInt());
      assertTrue(Engine.await(() -> engine.journal.backlog() == 0), "all done");
      assertTrue(engine.windows.open().isEmpty(), "nothing left in the windows");
    }
  }

  @Test
  void aWindowIsEmittedOnlyAfterItsEndAndByTopicWhenNoKeyIsGiven() throws Exception {
    Route route = aggregating("{\"windowSeconds\": 2, \"graceMs\": 0}");
    try (Engine engine = new Engine(dir, List.of(route), Map.of())) {
      long now = System.currentTimeMillis();
      long start = route.aggregation().windowStart(now);
      for (int i = 0; i < 5; i++) {
        engine.intake.accept(order(now, "x", 1, i));
      }
      assertTrue(Engine.await(() -> !engine.windows.open().isEmpty()), "counting");
      assertTrue(engine.sink.delivered().isEmpty() || System.currentTimeMillis() >= start + 2_000);
      assertTrue(Engine.await(() -> engine.sink.delivered().size() == 1), "emitted at its end");
      JsonNode result = results(engine).get("cache/in@" + start);
      assertEquals(5, result.get("count").asInt(), results(engine).toString());
      assertTrue(System.currentTimeMillis() >= start + 2_000);
    }
  }

  @Test
  void aMessageCountedAgainIsCountedOnce() throws Exception {
    Route route = aggregating(BY_CUSTOMER);
    try (Engine engine = new Engine(dir, List.of(), Map.of())) {
      WindowSink sink = new WindowSink(engine.journal);
      Delivery delivery =
          new Delivery(
              "out_0123",
              "{\"customer\": \"ann\", \"amount\": 3, \"id\": 1}",
              new Delivery.From("totals", "cache", "in", 0, 1, 1_000, 5_000, "", "webhook"));
      assertInstanceOf(
          SinkResult.Delivered.class, sink.deliver(route.aggregation(), delivery).join());
      assertInstanceOf(
          SinkResult.Delivered.class, sink.deliver(route.aggregation(), delivery).join());
      assertEquals(1, engine.journal.windowItems("totals", 4_000).size());
      SinkResult.Refused noKey =
          assertInstanceOf(
              SinkResult.Refused.class,
              sink.deliver(
                      route.aggregation(),
                      new Delivery("out_4567", "{\"amount\": 3}", delivery.from()))
                  .join());
      assertEquals("no-key", noKey.reason());
    }
  }

  @Test
  void aWindowThatEndedWhileTheProcessorWasStoppedIsEmittedAtTheNextStart() throws Exception {
    Route route = aggregating(BY_CUSTOMER);
    long now = System.currentTimeMillis();
    long start = route.aggregation().windowStart(now);
    try (Engine engine = new Engine(dir, List.of(route), Map.of())) {
      for (int i = 0; i < 7; i++) {
        engine.intake.accept(order(now, "ann", 1, i));
      }
      assertTrue(
          Engine.await(() -> engine.windows.open().stream().anyMatch(w -> w.messages() == 7)),
          "counted");
    } // stopped before the window ends
    Thread.sleep(Math.max(0, start + 2_200 - System.currentTimeMillis()));
    try (Engine engine = new Engine(dir, List.of(route), Map.of())) {
      assertTrue(Engine.await(() -> engine.sink.delivered().size() == 1), "emitted after start");
      assertEquals(7, results(engine).get("ann@" + start).get("count").asInt());
    }
  }
}
