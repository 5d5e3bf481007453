package dev.topicprocessor.sink.jdbc;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.topicprocessor.sink.Destination;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A table written through a {@code DataSource}: {@code {"datasource": "java:comp/env/jdbc/orders",
 * "sql": "INSERT INTO orders (id, total) VALUES (:id, :total)", "parameters": {"total":
 * "/amount"}}} in a route. Each {@code :name} in the statement is an output's metadata ({@link
 * #METADATA}) or a JSON Pointer into the output named in {@code parameters}.
 *
 * @param statement the SQL with each {@code :name} made a {@code ?}
 * @param parameters what each {@code ?} is, in order
 */
public record JdbcDestination(
    String datasource, String sql, String statement, List<Parameter> parameters)
    implements Destination {

  /** The names every statement may use. */
  public static final Set<String> METADATA =
      Set.of(
          "id",
          "text",
          "route",
          "cache",
          "topic",
          "sequence_page",
          "sequence_number",
          "publish_timestamp",
          "event_timestamp",
          "token_id",
          "via");

  /**
   * One {@code ?} of the statement.
   *
   * @param pointer into the output (then JSON), or null for metadata
   */
  public record Parameter(String name, JsonPointer pointer) {}

  public JdbcDestination {
    parameters = List.copyOf(parameters);
  }

  /**
   * Reads a route's entry.
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  public static JdbcDestination parse(JsonNode node) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!Set.of("datasource", "sql", "parameters").contains(field)) {
        throw new IllegalArgumentException(
            "unknown field \"" + field + "\"; known: [datasource, sql, parameters]");
      }
    }
    String datasource = node.path("datasource").asText("");
    if (!node.path("datasource").isTextual() || datasource.isBlank()) {
      throw new IllegalArgumentException(
          "\"datasource\" must be the JNDI name of a DataSource, e.g. java:comp/env/jdbc/orders");
    }
    String sql = node.path("sql").asText("");
    if (!node.path("sql").isTextual() || sql.isBlank()) {
      throw new IllegalArgumentException("\"sql\" must be a statement");
    }
    Map<String, JsonPointer> pointers = new LinkedHashMap<>();
    JsonNode given = node.path("parameters");
    if (!given.isMissingNode()) {
      if (!given.isObject()) {
        throw new IllegalArgumentException(
            "\"parameters\" must map names to JSON Pointers, e.g. {\"total\": \"/amount\"}");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = given.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> each = it.next();
        if (METADATA.contains(each.getKey())) {
          throw new IllegalArgumentException(
              "parameter \"" + each.getKey() + "\" is an output's metadata; choose another name");
        }
        try {
          pointers.put(each.getKey(), JsonPointer.compile(each.getValue().asText("")));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "parameter \"" + each.getKey() + "\" is not a JSON Pointer (like /a/b)");
        }
      }
    }
    List<Parameter> parameters = new ArrayList<>();
    String statement = NamedParameters.replace(sql, parameters, pointers);
    if (parameters.stream().noneMatch(p -> p.name().equals("id"))) {
      throw new IllegalArgumentException(
          "\"sql\" must use :id, the output's stable id, as a unique key: a repeat of an output"
              + " is then recognised and not written twice");
    }
    for (String name : pointers.keySet()) {
      if (parameters.stream().noneMatch(p -> p.name().equals(name))) {
        throw new IllegalArgumentException(
            "parameter \"" + name + "\" is not used in \"sql\" (as :" + name + ")");
      }
    }
    return new JdbcDestination(datasource, sql, statement, parameters);
  }

  @Override
  public String kind() {
    return "jdbc";
  }

  @Override
  public String toString() {
    return datasource + " " + table();
  }

  /** The word after INTO, UPDATE or MERGE INTO, to name the destination; else the statement. */
  private String table() {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(?i)\\b(?:into|update)\\s+([\\w.\"]+)").matcher(sql);
    return m.find() ? m.group(1) : "(" + sql.strip().split("\\s+")[0] + ")";
  }
}
