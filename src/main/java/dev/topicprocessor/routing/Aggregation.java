package dev.topicprocessor.routing;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.topicprocessor.sink.Destination;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A route's {@code aggregate} step: its messages are counted into tumbling windows by key, kept in
 * the journal's database, and each window's result (one message per key) is delivered to the
 * route's outbound destinations when the window ends. To the engine it is where the route's steps
 * deliver: a destination.
 *
 * @param route the route's name
 * @param key a JSON Pointer into the message, or null to group by the inbound topic
 * @param windowMillis the windows' length; they start at multiples of it (epoch ms)
 * @param graceMillis how long after its end a window waits for messages sent before the end
 * @param fields what each result holds besides its key, window and count, by name
 */
public record Aggregation(
    String route, JsonPointer key, long windowMillis, long graceMillis, Map<String, Field> fields)
    implements Destination {

  /** Values {@code collect} keeps per key and window at most. */
  public static final int MAX_COLLECT = 1000;

  /** What every result holds. */
  static final Set<String> FIXED = Set.of("key", "window_start", "window_end", "count");

  public Aggregation {
    fields = Map.copyOf(new LinkedHashMap<>(fields));
  }

  /**
   * One field of the results: {@code sum}, {@code min}, {@code max}, {@code first}, {@code last} or
   * {@code collect} of the values at {@code pointer}.
   *
   * @param limit for {@code collect}: how many values at most
   */
  public record Field(String function, JsonPointer pointer, int limit) {}

  /**
   * Reads the step's options.
   *
   * @throws IllegalArgumentException saying what is wrong with them
   */
  public static Aggregation parse(String route, JsonNode options) {
    allowOnly(options, "", "key", "windowSeconds", "graceMs", "fields");
    JsonPointer key = null;
    if (options.has("key")) {
      String value = options.get("key").asText("");
      if (!value.equals("topic")) {
        key = pointer("key", value);
      }
    }
    JsonNode seconds = options.path("windowSeconds");
    if (!seconds.isIntegralNumber() || seconds.asLong() < 1 || seconds.asLong() > 86_400) {
      throw new IllegalArgumentException(
          "\"windowSeconds\" must be a whole number of seconds from 1 to 86400");
    }
    long grace = 1000;
    if (options.has("graceMs")) {
      JsonNode ms = options.get("graceMs");
      if (!ms.isIntegralNumber() || ms.asLong() < 0 || ms.asLong() > 3_600_000) {
        throw new IllegalArgumentException("\"graceMs\" must be from 0 to 3600000");
      }
      grace = ms.asLong();
    }
    Map<String, Field> fields = new LinkedHashMap<>();
    JsonNode given = options.path("fields");
    if (!given.isMissingNode()) {
      if (!given.isObject()) {
        throw new IllegalArgumentException(
            "\"fields\" must be an object, e.g. {\"total\": {\"sum\": \"/amount\"}}");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = given.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> each = it.next();
        fields.put(each.getKey(), field(each.getKey(), each.getValue()));
      }
    }
    return new Aggregation(route, key, seconds.asLong() * 1000, grace, fields);
  }

  private static Field field(String name, JsonNode spec) {
    if (FIXED.contains(name)) {
      throw new IllegalArgumentException("field \"" + name + "\" is in every result already");
    }
    if (!spec.isObject()) {
      throw new IllegalArgumentException(
          "field \""
              + name
              + "\" must be {\"sum\" | \"min\" | \"max\" | \"first\" | \"last\" | \"collect\":"
              + " JSON Pointer}");
    }
    String where = "field \"" + name + "\"";
    allowOnly(spec, where + ": ", "sum", "min", "max", "first", "last", "collect", "limit");
    String function = null;
    for (String each : new String[] {"sum", "min", "max", "first", "last", "collect"}) {
      if (spec.has(each)) {
        if (function != null) {
          throw new IllegalArgumentException(where + " takes one function, not several");
        }
        function = each;
      }
    }
    if (function == null) {
      throw new IllegalArgumentException(where + " names no function");
    }
    int limit = 100;
    if (spec.has("limit")) {
      if (!function.equals("collect")) {
        throw new IllegalArgumentException(where + ": \"limit\" is for collect only");
      }
      JsonNode value = spec.get("limit");
      if (!value.isIntegralNumber() || value.asInt() < 1 || value.asInt() > MAX_COLLECT) {
        throw new IllegalArgumentException(where + ": \"limit\" must be from 1 to " + MAX_COLLECT);
      }
      limit = value.asInt();
    }
    return new Field(function, pointer(where, spec.get(function).asText("")), limit);
  }

  private static JsonPointer pointer(String what, String value) {
    if (!value.startsWith("/")) {
      throw new IllegalArgumentException(
          what + " must be \"topic\" or a JSON Pointer like /customer, got \"" + value + "\"");
    }
    return JsonPointer.compile(value);
  }

  private static void allowOnly(JsonNode node, String where, String... names) {
    if (!node.isObject()) {
      throw new IllegalArgumentException("options must be a JSON object");
    }
    Set<String> allowed = Set.of(names);
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!allowed.contains(name)) {
        throw new IllegalArgumentException(where + "unknown option \"" + name + "\"");
      }
    }
  }

  /** Where a message sent at {@code timestamp} is counted. */
  public long windowStart(long timestamp) {
    return Math.floorDiv(timestamp, windowMillis) * windowMillis;
  }

  @Override
  public String kind() {
    return "window";
  }

  @Override
  public String toString() {
    return "windows of " + route;
  }
}
