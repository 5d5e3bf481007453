package dev.topicprocessor.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.topicprocessor.event.FieldLimits;
import dev.topicprocessor.processor.Processor;
import dev.topicprocessor.sink.Destination;
import dev.topicprocessor.sink.http.HttpDestination;
import dev.topicprocessor.sink.jdbc.JdbcDestination;
import dev.topicprocessor.sink.jms.JmsDestination;
import dev.topicprocessor.sink.topic.TopicDestination;
import dev.topicprocessor.support.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a routes file:
 *
 * <pre>{@code
 * {"routes": [
 *   {"name": "seed", "cache": "default-cache", "topic": "topic 1", "source": "webhook",
 *    "processors": ["uppercase", {"name": "filter", "options": {"pattern": "^[A-Z]"}}],
 *    "outbound": ["topic 2", {"cache": "other-cache", "topic": "topic 3"}]}
 * ]}
 * }</pre>
 *
 * An outbound destination without a cache is in the route's cache. {@code source} is how the events
 * come in: {@code "webhook"} (the default) or {@code "subscription"}; every route of one inbound
 * topic takes it the same way. Every mistake is reported with the route it is in.
 */
public final class RoutesParser {

  private static final ObjectMapper JSON = Json.mapper();

  private final Function<String, Optional<Processor>> processors;

  /**
   * @param processors finds a processor by name
   */
  public RoutesParser(Function<String, Optional<Processor>> processors) {
    this.processors = processors;
  }

  public List<Route> parse(InputStream in, String origin) {
    JsonNode root;
    try {
      root = JSON.readTree(in);
    } catch (IOException e) {
      throw new InvalidRoutesException(origin + " is not valid JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject() || !root.path("routes").isArray()) {
      throw new InvalidRoutesException(origin + " must be an object with a \"routes\" array");
    }
    allowOnly(root, origin, "routes");
    List<Route> routes = new ArrayList<>();
    Set<String> names = new HashSet<>();
    int index = 0;
    for (JsonNode node : root.get("routes")) {
      String where = origin + ", route #" + (++index);
      if (!node.isObject()) {
        throw new InvalidRoutesException(where + " must be an object");
      }
      Route route = route(node, where);
      for (Route other : routes) {
        if (other.cache().equals(route.cache())
            && other.topic().equals(route.topic())
            && other.source() != route.source()) {
          throw new InvalidRoutesException(
              where
                  + " (\""
                  + route.name()
                  + "\"): "
                  + route.cache()
                  + "/"
                  + route.topic()
                  + " comes by "
                  + route.source().label()
                  + " here but by "
                  + other.source().label()
                  + " in route \""
                  + other.name()
                  + "\"; every route of an inbound topic must take it the same way");
        }
      }
      if (!names.add(route.name())) {
        throw new InvalidRoutesException(
            where + ": the name \"" + route.name() + "\" is used twice");
      }
      routes.add(route);
    }
    return List.copyOf(routes);
  }

  private Route route(JsonNode node, String where) {
    allowOnly(node, where, "name", "cache", "topic", "source", "webhook", "processors", "outbound");
    String cache = name(node, "cache", where);
    String topic = name(node, "topic", where);
    String name = node.has("name") ? text(node, "name", where) : cache + "/" + topic;
    where = where + " (\"" + name + "\")";
    Route.Source source = source(node, where);
    String webhook = webhook(node, source, where);
    List<Route.Step> steps = new ArrayList<>();
    JsonNode processorList = node.path("processors");
    if (!processorList.isMissingNode() && !processorList.isArray()) {
      throw new InvalidRoutesException(where + ": \"processors\" must be an array");
    }
    Aggregation aggregation = null;
    int position = 0;
    for (JsonNode step : processorList) {
      position++;
      if (isAggregate(step)) {
        if (position != processorList.size()) {
          throw new InvalidRoutesException(
              where + ": \"aggregate\" must be the route's last processor");
        }
        JsonNode options = step.path("options");
        if (step.isObject()) {
          allowOnly(step, where + ", processor", "name", "options");
        }
        try {
          aggregation =
              Aggregation.parse(
                  name, options.isMissingNode() ? JsonNodeFactory.instance.objectNode() : options);
        } catch (IllegalArgumentException e) {
          throw new InvalidRoutesException(
              where + ": processor \"aggregate\": " + e.getMessage(), e);
        }
        continue;
      }
      steps.add(step(step, where));
    }

    JsonNode outboundList = node.path("outbound");
    if (!outboundList.isArray() || outboundList.isEmpty()) {
      throw new InvalidRoutesException(
          where + ": \"outbound\" must be an array of at least one topic");
    }
    List<Destination> outbound = new ArrayList<>();
    int entry = 0;
    for (JsonNode destination : outboundList) {
      outbound.add(destination(destination, cache, where + ", outbound #" + (++entry)));
    }
    return new Route(name, cache, topic, source, steps, outbound, aggregation, webhook);
  }

  private static boolean isAggregate(JsonNode step) {
    return (step.isTextual() && step.textValue().equals("aggregate"))
        || (step.isObject() && "aggregate".equals(step.path("name").asText()));
  }

  /**
   * One entry of {@code outbound}: a topic name, or an object whose fields say its kind ({@code
   * topic}).
   */
  private static Destination destination(JsonNode node, String cache, String where) {
    if (node.isTextual() && !node.textValue().isBlank()) {
      return new TopicDestination(cache, node.textValue());
    }
    if (node.isObject() && node.has("url")) {
      return kind(where, "an HTTP destination", () -> HttpDestination.parse(node));
    }
    if (node.isObject() && node.has("datasource")) {
      return kind(where, "a JDBC destination", () -> JdbcDestination.parse(node));
    }
    if (node.isObject() && node.has("jms")) {
      return kind(where, "a Jakarta Messaging destination", () -> JmsDestination.parse(node));
    }
    if (node.isObject() && node.has("topic")) {
      allowOnly(node, where, "cache", "topic");
      return new TopicDestination(
          node.has("cache") ? text(node, "cache", where) : cache, text(node, "topic", where));
    }
    throw new InvalidRoutesException(
        where
            + ": an outbound entry must be a topic name, {\"cache\", \"topic\"}, {\"url\", …}, {\"datasource\", \"sql\", …} or {\"jms\", …}");
  }

  private static Destination kind(
      String where, String what, java.util.function.Supplier<Destination> parse) {
    try {
      return parse.get();
    } catch (IllegalArgumentException e) {
      throw new InvalidRoutesException(where + " (" + what + "): " + e.getMessage(), e);
    }
  }

  /** The Momento webhook a webhook route names, whose secret is read from Momento; or null. */
  private static String webhook(JsonNode node, Route.Source source, String where) {
    if (!node.has("webhook")) {
      return null;
    }
    if (source != Route.Source.WEBHOOK) {
      throw new InvalidRoutesException(
          where + ": \"webhook\" names the Momento webhook of a \"source\": \"webhook\" route");
    }
    String name = text(node, "webhook", where);
    if (name.length() > 128 || !name.chars().allMatch(c -> c > 32 && c < 127)) {
      throw new InvalidRoutesException(
          where
              + ": \"webhook\" must be a Momento webhook name: 1 to 128 printable characters"
              + " without blanks");
    }
    return name;
  }

  private static Route.Source source(JsonNode node, String where) {
    if (!node.has("source")) {
      return Route.Source.WEBHOOK;
    }
    String value = text(node, "source", where);
    for (Route.Source source : Route.Source.values()) {
      if (source.label().equals(value)) {
        return source;
      }
    }
    throw new InvalidRoutesException(
        where + ": \"source\" must be \"webhook\" or \"subscription\", got \"" + value + "\"");
  }

  private Route.Step step(JsonNode node, String where) {
    String name;
    JsonNode options;
    if (node.isTextual()) {
      name = node.textValue();
      options = JsonNodeFactory.instance.objectNode();
    } else if (node.isObject()) {
      allowOnly(node, where + ", processor", "name", "options");
      name = text(node, "name", where + ", processor");
      options = node.has("options") ? node.get("options") : JsonNodeFactory.instance.objectNode();
    } else {
      throw new InvalidRoutesException(
          where + ": a processor must be a name or {\"name\", \"options\"}");
    }
    Processor processor =
        processors
            .apply(name)
            .orElseThrow(
                () ->
                    new InvalidRoutesException(where + ": no processor is named \"" + name + "\""));
    try {
      return new Route.Step(name, processor.configure(options));
    } catch (IllegalArgumentException e) {
      throw new InvalidRoutesException(
          where + ": processor \"" + name + "\": " + e.getMessage(), e);
    }
  }

  /** An inbound cache or topic name: a non-empty string the journal can keep. */
  private static String name(JsonNode node, String field, String where) {
    String name = text(node, field, where);
    FieldLimits.nameProblem(name)
        .ifPresent(
            why -> {
              throw new InvalidRoutesException(where + ": \"" + field + "\" " + why);
            });
    return name;
  }

  private static String text(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.textValue().isBlank()) {
      throw new InvalidRoutesException(where + ": \"" + field + "\" must be a non-empty string");
    }
    return value.textValue();
  }

  private static void allowOnly(JsonNode node, String where, String... fields) {
    Set<String> allowed = Set.of(fields);
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!allowed.contains(field)) {
        throw new InvalidRoutesException(
            where + ": unknown field \"" + field + "\"; known: " + allowed);
      }
    }
  }
}
