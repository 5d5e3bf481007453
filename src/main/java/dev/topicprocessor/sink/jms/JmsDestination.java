package dev.topicprocessor.sink.jms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.topicprocessor.sink.Destination;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A Jakarta Messaging queue (or topic) that each output is sent to as a text message: {@code
 * {"jms": "java:/jms/queue/orders", "connectionFactory": "java:/ConnectionFactory", "properties":
 * {"kind": "order"}}} in a route.
 *
 * @param queue the JNDI name of the queue
 * @param connectionFactory the JNDI name of its connection factory
 * @param properties set on every message (strings, numbers, booleans)
 */
public record JmsDestination(String queue, String connectionFactory, Map<String, Object> properties)
    implements Destination {

  /** The connection factory every Jakarta EE server has. */
  public static final String DEFAULT_CONNECTION_FACTORY = "java:comp/DefaultJMSConnectionFactory";

  public JmsDestination {
    properties = Map.copyOf(properties);
  }

  /**
   * Reads a route's entry.
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  public static JmsDestination parse(JsonNode node) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!Set.of("jms", "connectionFactory", "properties").contains(field)) {
        throw new IllegalArgumentException(
            "unknown field \"" + field + "\"; known: [jms, connectionFactory, properties]");
      }
    }
    String queue = node.path("jms").asText("");
    if (!node.path("jms").isTextual() || queue.isBlank()) {
      throw new IllegalArgumentException(
          "\"jms\" must be the JNDI name of a queue, e.g. java:/jms/queue/orders");
    }
    String factory = DEFAULT_CONNECTION_FACTORY;
    if (node.has("connectionFactory")) {
      factory = node.path("connectionFactory").asText("");
      if (!node.path("connectionFactory").isTextual() || factory.isBlank()) {
        throw new IllegalArgumentException(
            "\"connectionFactory\" must be the JNDI name of a ConnectionFactory");
      }
    }
    Map<String, Object> properties = new LinkedHashMap<>();
    JsonNode given = node.path("properties");
    if (!given.isMissingNode()) {
      if (!given.isObject()) {
        throw new IllegalArgumentException("\"properties\" must be an object");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = given.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> each = it.next();
        String name = each.getKey();
        String upper = name.toUpperCase(Locale.ROOT);
        if (!name.matches("[A-Za-z_$][A-Za-z0-9_$]*")
            || upper.startsWith("JMS")
            || upper.startsWith("TP_")
            || upper.startsWith("_AMQ")) {
          throw new IllegalArgumentException(
              "property \""
                  + name
                  + "\" must be a Java identifier not starting with JMS, tp_ or _AMQ");
        }
        JsonNode value = each.getValue();
        if (value.isTextual()) {
          properties.put(name, value.textValue());
        } else if (value.isIntegralNumber() && value.canConvertToLong()) {
          properties.put(name, value.longValue());
        } else if (value.isNumber()) {
          properties.put(name, value.doubleValue());
        } else if (value.isBoolean()) {
          properties.put(name, value.booleanValue());
        } else {
          throw new IllegalArgumentException(
              "property \"" + name + "\" must be a string, a number or a boolean");
        }
      }
    }
    return new JmsDestination(queue, factory, properties);
  }

  @Override
  public String kind() {
    return "jms";
  }

  @Override
  public String toString() {
    return queue;
  }
}
