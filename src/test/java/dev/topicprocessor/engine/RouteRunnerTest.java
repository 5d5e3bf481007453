package dev.topicprocessor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.topicprocessor.event.InboundEvent;
import dev.topicprocessor.processor.ProcessingException;
import dev.topicprocessor.processor.builtin.Envelope;
import dev.topicprocessor.processor.builtin.Split;
import dev.topicprocessor.processor.builtin.Uppercase;
import dev.topicprocessor.routing.Route;
import dev.topicprocessor.sink.topic.TopicDestination;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouteRunnerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TopicDestination TOPIC_2 = new TopicDestination("default-cache", "topic 2");
  private static final TopicDestination OTHER = new TopicDestination("other", "topic 3");

  private static InboundEvent event(String text) {
    return InboundEvent.fromWebhook("default-cache", "topic 1", 9, 1_000, 2_000, "tok", text);
  }

  private static Route.Step step(String name, dev.topicprocessor.processor.Processor processor)
      throws Exception {
    return step(name, processor, "{}");
  }

  private static Route.Step step(
      String name, dev.topicprocessor.processor.Processor processor, String options)
      throws Exception {
    return new Route.Step(name, processor.configure(JSON.readTree(options)));
  }

  private static Route route(String name, List<Route.Step> steps, TopicDestination... outbound) {
    return new Route(name, "default-cache", "topic 1", steps, List.of(outbound));
  }

  @Test
  void theSeedRouteMakesOneUppercasedOutputPerDestination() throws Exception {
    Route seed = route("seed", List.of(step("uppercase", new Uppercase())), TOPIC_2, OTHER);
    RouteRunner.Run run = RouteRunner.run(List.of(seed), event("hello"), Set.of());
    assertEquals(
        List.of("seed:0:0 default-cache/topic 2 HELLO", "seed:0:1 other/topic 3 HELLO"),
        run.outputs().stream().map(o -> o.id() + " " + o.destination() + " " + o.text()).toList());
    assertTrue(run.failures().isEmpty());
  }

  @Test
  void eachOutputHasADeliveryIdStableAcrossAttemptsAndUniqueAcrossOutputsAndEvents()
      throws Exception {
    Route seed = route("seed", List.of(step("uppercase", new Uppercase())), TOPIC_2, OTHER);
    List<String> first =
        RouteRunner.run(List.of(seed), event("hello"), Set.of()).outputs().stream()
            .map(RouteRunner.Output::deliveryId)
            .toList();
    List<String> again =
        RouteRunner.run(List.of(seed), event("hello"), Set.of()).outputs().stream()
            .map(RouteRunner.Output::deliveryId)
            .toList();
    InboundEvent next =
        InboundEvent.fromWebhook("default-cache", "topic 1", 10, 1_000, 2_000, "tok", "hello");
    List<String> other =
        RouteRunner.run(List.of(seed), next, Set.of()).outputs().stream()
            .map(RouteRunner.Output::deliveryId)
            .toList();
    assertEquals(first, again);
    assertEquals(2, Set.copyOf(first).size());
    assertTrue(first.get(0).matches("out_[0-9a-f]{32}"), first.get(0));
    assertTrue(java.util.Collections.disjoint(first, other));
  }

  @Test
  void everyMessageAStepMakesGoesThroughTheNextAndGetsItsOwnId() throws Exception {
    Route route =
        route(
            "split",
            List.of(step("split", new Split()), step("uppercase", new Uppercase())),
            TOPIC_2);
    RouteRunner.Run run = RouteRunner.run(List.of(route), event("[\"a\", \"b\", \"c\"]"), Set.of());
    assertEquals(
        List.of("split:0:0 A", "split:1:0 B", "split:2:0 C"),
        run.outputs().stream().map(o -> o.id() + " " + o.text()).toList());
  }

  @Test
  void outputsDeliveredByAnEarlierAttemptAreLeftOut() throws Exception {
    Route seed = route("seed", List.of(step("uppercase", new Uppercase())), TOPIC_2, OTHER);
    RouteRunner.Run run = RouteRunner.run(List.of(seed), event("hello"), Set.of("seed:0:0"));
    assertEquals(List.of("seed:0:1"), run.outputs().stream().map(RouteRunner.Output::id).toList());
  }

  @Test
  void aFailingProcessorFailsItsRouteForGoodAndLeavesTheOthersAlone() throws Exception {
    Route.Step failing =
        new Route.Step(
            "picky",
            message -> {
              throw new ProcessingException("not for me: " + message.text());
            });
    Route.Step nulls = new Route.Step("broken", message -> null);
    Route good = route("good", List.of(step("uppercase", new Uppercase())), TOPIC_2);
    RouteRunner.Run run =
        RouteRunner.run(
            List.of(
                route("picky", List.of(failing), TOPIC_2),
                good,
                route("broken", List.of(nulls), OTHER)),
            event("x"),
            Set.of());
    assertEquals(List.of("good:0:0"), run.outputs().stream().map(RouteRunner.Output::id).toList());
    assertEquals(2, run.failures().size());
    Outcome.Failed picky = run.failures().get(0);
    assertFalse(picky.retriable());
    assertEquals("processor-failed", picky.reason());
    assertEquals("route picky: not for me: x", picky.detail());
    assertTrue(
        run.failures().get(1).detail().contains("\"broken\" returned null"),
        run.failures().get(1).detail());
  }

  @Test
  void processorsSeeWhereTheEventCameFrom() throws Exception {
    Route route = route("wrapped", List.of(step("envelope", new Envelope())), TOPIC_2);
    String text = RouteRunner.run(List.of(route), event("hi"), Set.of()).outputs().get(0).text();
    JsonNode source = JSON.readTree(text).get("source");
    assertEquals("default-cache", source.get("cache").asText());
    assertEquals("topic 1", source.get("topic").asText());
    assertEquals(9, source.get("topic_sequence_number").asLong());
    assertEquals(1_000, source.get("publish_timestamp").asLong());
    assertEquals(2_000, source.get("event_timestamp").asLong());
    assertEquals("tok", source.get("token_id").asText());
    assertEquals("hi", JSON.readTree(text).get("text").asText());
  }

  @Test
  void aRouteWithNoStepsPassesTheTextOn() {
    RouteRunner.Run run =
        RouteRunner.run(List.of(route("plain", List.of(), TOPIC_2)), event("as is"), Set.of());
    assertEquals("as is", run.outputs().get(0).text());
  }
}
