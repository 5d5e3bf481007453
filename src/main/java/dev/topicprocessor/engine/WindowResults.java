package dev.topicprocessor.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.topicprocessor.journal.JournalStore;
import dev.topicprocessor.routing.Aggregation;
import dev.topicprocessor.support.Json;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A window's results, one per key in the order the keys first came: {@code {"key", "window_start",
 * "window_end", "count", …fields}}. Pure. {@code sum}, {@code min} and {@code max} take the numbers
 * among the values (others are left out; no number: {@code sum} 0, {@code min} and {@code max}
 * null); {@code first} and {@code last} the first and last value given; {@code collect} the values
 * up to its limit.
 */
final class WindowResults {

  private static final ObjectMapper JSON = Json.mapper();

  private WindowResults() {}

  /** The results as a JSON array. */
  static ArrayNode of(
      Aggregation aggregation, long windowStart, List<JournalStore.WindowItem> items) {
    Map<String, List<JsonNode>> byKey = new LinkedHashMap<>();
    for (JournalStore.WindowItem item : items) {
      byKey.computeIfAbsent(item.groupKey(), k -> new java.util.ArrayList<>()).add(values(item));
    }
    ArrayNode results = JSON.createArrayNode();
    byKey.forEach(
        (key, values) -> {
          ObjectNode result = results.addObject();
          result.put("key", key);
          result.put("window_start", windowStart);
          result.put("window_end", windowStart + aggregation.windowMillis());
          result.put("count", values.size());
          aggregation
              .fields()
              .forEach((name, field) -> result.set(name, field(field, name, values)));
        });
    return results;
  }

  private static JsonNode field(Aggregation.Field field, String name, List<JsonNode> all) {
    List<JsonNode> values =
        all.stream().map(v -> v.get(name)).filter(v -> v != null && !v.isNull()).toList();
    switch (field.function()) {
      case "sum" -> {
        BigDecimal sum = BigDecimal.ZERO;
        for (JsonNode value : values) {
          if (value.isNumber()) {
            sum = sum.add(value.decimalValue());
          }
        }
        return number(sum);
      }
      case "min", "max" -> {
        BigDecimal best = null;
        for (JsonNode value : values) {
          if (value.isNumber()) {
            BigDecimal v = value.decimalValue();
            boolean better =
                best == null
                    || (field.function().equals("min")
                        ? v.compareTo(best) < 0
                        : v.compareTo(best) > 0);
            best = better ? v : best;
          }
        }
        return best == null ? JSON.nullNode() : number(best);
      }
      case "first" -> {
        return values.isEmpty() ? JSON.nullNode() : values.get(0);
      }
      case "last" -> {
        return values.isEmpty() ? JSON.nullNode() : values.get(values.size() - 1);
      }
      default -> {
        ArrayNode collected = JSON.createArrayNode();
        values.stream().limit(field.limit()).forEach(collected::add);
        return collected;
      }
    }
  }

  private static JsonNode number(BigDecimal value) {
    BigDecimal plain = value.stripTrailingZeros();
    if (plain.scale() <= 0 && plain.precision() - plain.scale() < 19) {
      return JSON.getNodeFactory().numberNode(plain.longValueExact());
    }
    return JSON.getNodeFactory().numberNode(plain);
  }

  private static JsonNode values(JournalStore.WindowItem item) {
    try {
      return JSON.readTree(item.values());
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }
}
