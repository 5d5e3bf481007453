package dev.topicprocessor.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topicprocessor.processor.Message;
import dev.topicprocessor.processor.Origin;
import dev.topicprocessor.processor.builtin.Filter;
import dev.topicprocessor.processor.builtin.Uppercase;
import dev.topicprocessor.sink.topic.TopicDestination;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RoutesParserTest {

  private final RoutesParser cut =
      new RoutesParser(
          name ->
              Optional.ofNullable(
                  Map.of("uppercase", new Uppercase(), "filter", new Filter()).get(name)));

  private List<Route> parse(String json) {
    return cut.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test.json");
  }

  @Test
  void theBuiltInRoutesAreTheSeeds() throws Exception {
    List<Route> routes = cut.parse(Router.class.getResourceAsStream(Router.BUILT_IN), "built-in");
    assertEquals(1, routes.size());
    Route seed = routes.get(0);
    assertTrue(seed.matches("default-cache", "topic 1"));
    assertEquals(List.of(new TopicDestination("default-cache", "topic 2")), seed.outbound());
    Origin event = new Origin("default-cache", "topic 1", 1, 0, 0, 0, "", "webhook");
    assertEquals(List.of("HELLO"), seed.steps().get(0).step().apply(new Message("hello", event)));
  }

  @Test
  void outboundDefaultsToTheRouteCacheAndStepsTakeOptions() {
    Route route =
        parse(
                "{\"routes\":[{\"cache\":\"a\",\"topic\":\"in\",\"processors\":[\"uppercase\","
                    + "{\"name\":\"filter\",\"options\":{\"pattern\":\"^H\"}}],"
                    + "\"outbound\":[\"out\",{\"cache\":\"b\",\"topic\":\"copy\"}]}]}")
            .get(0);
    assertEquals("a/in", route.name());
    assertEquals(
        List.of(new TopicDestination("a", "out"), new TopicDestination("b", "copy")),
        route.outbound());
    assertEquals(
        List.of("uppercase", "filter"), route.steps().stream().map(Route.Step::processor).toList());
    assertTrue(route.matches("a", "in"));
    assertTrue(!route.matches("b", "in") && !route.matches("a", "In"));
  }

  @Test
  void aRouteTakesItsEventsByWebhookUnlessItSaysSubscription() {
    List<Route> routes =
        parse(
            "{\"routes\":[{\"name\":\"w\",\"cache\":\"a\",\"topic\":\"t\",\"outbound\":[\"o\"]},"
                + "{\"name\":\"s\",\"cache\":\"a\",\"topic\":\"u\",\"source\":\"subscription\","
                + "\"outbound\":[\"o\"]}]}");
    assertEquals(Route.Source.WEBHOOK, routes.get(0).source());
    assertEquals(Route.Source.SUBSCRIPTION, routes.get(1).source());
  }

  @Test
  void aWebhookRouteMayNameItsMomentoWebhookAndOnlyAWebhookRoute() {
    Route named =
        parse(
                "{\"routes\":[{\"name\":\"w\",\"cache\":\"a\",\"topic\":\"t\","
                    + "\"webhook\":\"orders-hook\",\"outbound\":[\"o\"]}]}")
            .get(0);
    assertEquals("orders-hook", named.webhook());
    assertEquals(
        null,
        parse("{\"routes\":[{\"cache\":\"a\",\"topic\":\"t\",\"outbound\":[\"o\"]}]}")
            .get(0)
            .webhook());
    Map<String, String> cases =
        Map.of(
            "{\"routes\":[{\"name\":\"s\",\"cache\":\"a\",\"topic\":\"t\",\"source\":"
                + "\"subscription\",\"webhook\":\"h\",\"outbound\":[\"o\"]}]}",
            "\"webhook\" names the Momento webhook of a \"source\": \"webhook\" route",
            "{\"routes\":[{\"name\":\"w\",\"cache\":\"a\",\"topic\":\"t\","
                + "\"webhook\":\"two words\",\"outbound\":[\"o\"]}]}",
            "\"webhook\" must be a Momento webhook name",
            "{\"routes\":[{\"name\":\"w\",\"cache\":\"a\",\"topic\":\"t\","
                + "\"webhook\":7,\"outbound\":[\"o\"]}]}",
            "\"webhook\" must be a non-empty string");
    cases.forEach(
        (json, expected) -> {
          InvalidRoutesException e = assertThrows(InvalidRoutesException.class, () -> parse(json));
          assertTrue(e.getMessage().contains(expected), e.getMessage());
          assertTrue(e.getMessage().contains("route #1"), e.getMessage());
        });
  }

  @Test
  void sourceMistakesAreReportedWithTheirRoute() {
    InvalidRoutesException unknown =
        assertThrows(
            InvalidRoutesException.class,
            () ->
                parse(
                    "{\"routes\":[{\"name\":\"r\",\"cache\":\"a\",\"topic\":\"t\","
                        + "\"source\":\"carrier pigeon\",\"outbound\":[\"o\"]}]}"));
    assertTrue(unknown.getMessage().contains("route #1 (\"r\")"), unknown.getMessage());
    assertTrue(unknown.getMessage().contains("\"carrier pigeon\""), unknown.getMessage());
    InvalidRoutesException mixed =
        assertThrows(
            InvalidRoutesException.class,
            () ->
                parse(
                    "{\"routes\":[{\"name\":\"w\",\"cache\":\"a\",\"topic\":\"t\",\"outbound\":[\"o\"]},"
                        + "{\"name\":\"s\",\"cache\":\"a\",\"topic\":\"t\",\"source\":\"subscription\","
                        + "\"outbound\":[\"p\"]}]}"));
    assertTrue(
        mixed.getMessage().contains("every route of an inbound topic must take it the same way"),
        mixed.getMessage());
  }

  @Test
  void mistakesAreReportedWithTheirRoute() {
    Map<String, String> cases =
        Map.of(
            "{\"routes\":[{\"name\":\"r\",\"cache\":\"a\",\"topic\":\"t\",\"processors\":[\"nope\"],\"outbound\":[\"o\"]}]}",
            "no processor is named \"nope\"",
            "{\"routes\":[{\"name\":\"r\",\"cache\":\"a\",\"topic\":\"t\",\"processors\":[{\"name\":\"filter\",\"options\":{}}],\"outbound\":[\"o\"]}]}",
            "processor \"filter\"",
            "{\"routes\":[{\"name\":\"r\",\"cache\":\"a\",\"topic\":\"t\",\"outbound\":[]}]}",
            "\"outbound\"",
            "{\"routes\":[{\"name\":\"r\",\"cache\":\"a\",\"topic\":\"t\",\"outbound\":[\"o\"]},{\"name\":\"r\",\"cache\":\"a\",\"topic\":\"u\",\"outbound\":[\"o\"]}]}",
            "used twice",
            "{\"routes\":[{\"name\":\"r\",\"cache\":\"a\",\"topic\":\"t\",\"outbound\":[\"o\"],\"colour\":1}]}",
            "unknown field \"colour\"",
            "{\"routes\":[{\"name\":\"r\",\"topic\":\"t\",\"outbound\":[\"o\"]}]}",
            "\"cache\" must be a non-empty string",
            "{\"routes\":[{\"name\":\"r\",\"cache\":\"a\",\"topic\":\""
                + "t".repeat(256)
                + "\",\"outbound\":[\"o\"]}]}",
            "\"topic\" is 256 characters long; at most 255 are allowed",
            "{\"rutes\":[]}",
            "\"routes\" array",
            "not json",
            "not valid JSON");
    cases.forEach(
        (json, expected) -> {
          InvalidRoutesException e = assertThrows(InvalidRoutesException.class, () -> parse(json));
          assertTrue(e.getMessage().contains(expected), e.getMessage() + " should say " + expected);
          assertTrue(e.getMessage().startsWith("test.json"), e.getMessage());
        });
  }

  @Test
  void eachKindOfDestinationIsKnownByItsFieldsAndAggregateEndsARoute() {
    Route route =
        parse(
                "{\"routes\":[{\"name\":\"all\",\"cache\":\"a\",\"topic\":\"t\","
                    + "\"processors\":[\"uppercase\",{\"name\":\"aggregate\",\"options\":"
                    + "{\"key\":\"/k\",\"windowSeconds\":5}}],\"outbound\":[\"o\","
                    + "{\"url\":\"https://example.test/hook?token=x\"},"
                    + "{\"datasource\":\"java:comp/env/jdbc/shop\",\"sql\":"
                    + "\"INSERT INTO orders (id) VALUES (:id)\"},"
                    + "{\"jms\":\"java:/jms/queue/orders\"}]}]}")
            .get(0);
    assertEquals(
        List.of(
            "topic a/o",
            "http https://example.test/hook",
            "jdbc java:comp/env/jdbc/shop orders",
            "jms java:/jms/queue/orders"),
        route.outbound().stream().map(d -> d.kind() + " " + d).toList());
    assertEquals(List.of("uppercase"), route.steps().stream().map(Route.Step::processor).toList());
    assertEquals(5_000, route.aggregation().windowMillis());
    assertEquals(List.of(route.aggregation()), route.stepTargets());
  }

  @Test
  void mistakesInDestinationsAndAggregationsAreReportedWithTheirRoute() {
    Map<String, String> cases =
        Map.of(
            "{\"routes\":[{\"name\":\"r\",\"cache\":\"a\",\"topic\":\"t\",\"outbound\":[{\"url\":\"ftp://x\"}]}]}",
                "outbound #1 (an HTTP destination): \"url\" must be an absolute http",
            "{\"routes\":[{\"name\":\"r\",\"cache\":\"a\",\"topic\":\"t\",\"outbound\":[{\"datasource\":\"d\",\"sql\":\"INSERT INTO x (a) VALUES (:text)\"}]}]}",
                "(a JDBC destination): \"sql\" must use :id",
            "{\"routes\":[{\"name\":\"r\",\"cache\":\"a\",\"topic\":\"t\",\"outbound\":[{\"jms\":\"\"}]}]}",
                "(a Jakarta Messaging destination)",
            "{\"routes\":[{\"name\":\"r\",\"cache\":\"a\",\"topic\":\"t\",\"outbound\":[{\"queue\":\"q\"}]}]}",
                "an outbound entry must be a topic name",
            "{\"routes\":[{\"name\":\"r\",\"cache\":\"a\",\"topic\":\"t\",\"processors\":[{\"name\":\"aggregate\",\"options\":{\"windowSeconds\":2}},\"uppercase\"],\"outbound\":[\"o\"]}]}",
                "\"aggregate\" must be the route's last processor",
            "{\"routes\":[{\"name\":\"r\",\"cache\":\"a\",\"topic\":\"t\",\"processors\":[{\"name\":\"aggregate\",\"options\":{\"windowSeconds\":0}}],\"outbound\":[\"o\"]}]}",
                "processor \"aggregate\": \"windowSeconds\" must be",
            "{\"routes\":[{\"name\":\"r\",\"cache\":\"a\",\"topic\":\"t\",\"processors\":[{\"name\":\"aggregate\",\"options\":{\"windowSeconds\":2,\"fields\":{\"count\":{\"sum\":\"/n\"}}}}],\"outbound\":[\"o\"]}]}",
                "field \"count\" is in every result already");
    cases.forEach(
        (json, expected) -> {
          InvalidRoutesException e = assertThrows(InvalidRoutesException.class, () -> parse(json));
          assertTrue(e.getMessage().contains(expected), e.getMessage() + " should say " + expected);
          assertTrue(e.getMessage().contains("route #1 (\"r\")"), e.getMessage());
        });
  }
}
