package dev.topicprocessor.sink.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.topicprocessor.sink.BlockingDeliveries;
import dev.topicprocessor.sink.Delivery;
import dev.topicprocessor.sink.Destination;
import dev.topicprocessor.sink.Sink;
import dev.topicprocessor.sink.SinkResult;
import dev.topicprocessor.support.Json;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientException;
import java.sql.Types;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * Writes each output with one statement through a container's {@code DataSource}, on threads of its
 * own (JDBC blocks; the workers do not wait for it). A unique-key violation means the output's row
 * is there already: delivered. Lost connections, timeouts, deadlocks and serialization failures are
 * worth retrying; any other SQL error is a failure for good.
 */
@ApplicationScoped
public class JdbcSink implements Sink {

  /** How long one statement may run; past it the delivery fails and is retried. */
  static final int STATEMENT_TIMEOUT_SECONDS = 30;

  /** SQLSTATE of a unique-key violation (PostgreSQL, H2 and the standard). */
  static final String UNIQUE_VIOLATION = "23505";

  private static final ObjectMapper JSON = Json.mapper();
  private static final java.util.logging.Logger LOG =
      java.util.logging.Logger.getLogger(JdbcSink.class.getName());

  private final BlockingDeliveries threads = new BlockingDeliveries("topic-processor-jdbc-sink");
  private final Map<String, DataSource> dataSources = new ConcurrentHashMap<>();
  private final Function<String, DataSource> lookup;

  public JdbcSink() {
    this(JdbcSink::jndi);
  }

  /** A sink finding data sources by name with {@code lookup} (tests). */
  public JdbcSink(Function<String, DataSource> lookup) {
    this.lookup = lookup;
  }

  @PreDestroy
  public void stop() {
    threads.close();
  }

  @Override
  public boolean accepts(Destination destination) {
    return destination instanceof JdbcDestination;
  }

  @Override
  public void prepare(Destination destination) {
    String name = ((JdbcDestination) destination).datasource();
    try {
      dataSources.computeIfAbsent(name, lookup);
    } catch (RuntimeException e) {
      LOG.warning(
          "JDBC destination "
              + destination
              + ": no DataSource "
              + name
              + " yet ("
              + e.getMessage()
              + "); deliveries to it wait in the journal until there is");
    }
  }

  @Override
  public CompletableFuture<SinkResult> deliver(Destination destination, Delivery delivery) {
    return threads.run(() -> write((JdbcDestination) destination, delivery));
  }

  private SinkResult write(JdbcDestination destination, Delivery delivery) {
    JsonNode json = null;
    boolean needsJson = destination.parameters().stream().anyMatch(p -> p.pointer() != null);
    if (needsJson) {
      try {
        json = JSON.readTree(delivery.text());
      } catch (IOException e) {
        json = null;
      }
      if (json == null) {
        return new SinkResult.Refused(
            "not-json", "the statement takes fields of the output, which is not JSON");
      }
    }
    DataSource dataSource;
    try {
      dataSource = dataSources.computeIfAbsent(destination.datasource(), lookup);
    } catch (RuntimeException e) {
      return new SinkResult.Failed(
          "no-datasource",
          "no DataSource " + destination.datasource() + ": " + e.getMessage(),
          true);
    }
    Connection connection;
    try {
      connection = dataSource.getConnection();
    } catch (SQLException e) {
      // the database or the pool cannot give a connection now: worth retrying, whatever it says
      return new SinkResult.Failed(
          "jdbc-connection", "no connection: " + firstLine(e.getMessage()), true);
    }
    try (connection;
        PreparedStatement statement = connection.prepareStatement(destination.statement())) {
      statement.setQueryTimeout(STATEMENT_TIMEOUT_SECONDS); // a lock held elsewhere: retried
      int index = 1;
      for (JdbcDestination.Parameter parameter : destination.parameters()) {
        bind(statement, index++, parameter, delivery, json);
      }
      statement.executeUpdate();
      if (!connection.getAutoCommit()) {
        connection.commit();
      }
      return new SinkResult.Delivered();
    } catch (SQLException e) {
      return result(e);
    }
  }

  private static void bind(
      PreparedStatement statement,
      int index,
      JdbcDestination.Parameter parameter,
      Delivery delivery,
      JsonNode json)
      throws SQLException {
    if (parameter.pointer() != null) {
      JsonNode value = json.at(parameter.pointer());
      if (value.isMissingNode() || value.isNull()) {
        statement.setNull(index, Types.NULL);
      } else if (value.isTextual()) {
        statement.setString(index, value.textValue());
      } else if (value.isIntegralNumber() && value.canConvertToLong()) {
        statement.setLong(index, value.longValue());
      } else if (value.isNumber()) {
        statement.setBigDecimal(index, value.decimalValue());
      } else if (value.isBoolean()) {
        statement.setBoolean(index, value.booleanValue());
      } else {
        statement.setString(index, value.toString()); // an object or array, as JSON
      }
      return;
    }
    Delivery.From from = delivery.from();
    switch (parameter.name()) {
      case "id" -> statement.setString(index, delivery.id());
      case "text" -> statement.setString(index, delivery.text());
      case "route" -> statement.setString(index, from.route());
      case "cache" -> statement.setString(index, from.cache());
      case "topic" -> statement.setString(index, from.topic());
      case "sequence_page" -> statement.setLong(index, from.sequencePage());
      case "sequence_number" -> statement.setLong(index, from.sequenceNumber());
      case "publish_timestamp" -> statement.setLong(index, from.publishTimestamp());
      case "event_timestamp" -> statement.setLong(index, from.eventTimestamp());
      case "token_id" -> statement.setString(index, from.tokenId());
      case "via" -> statement.setString(index, from.via());
      default -> throw new IllegalStateException("unknown parameter " + parameter.name());
    }
  }

  static SinkResult result(SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    if (state.equals(UNIQUE_VIOLATION)) {
      return new SinkResult.Delivered(); // the row of this output is there already
    }
    boolean retriable =
        e instanceof SQLTransientException
            || e instanceof SQLRecoverableException
            || e instanceof SQLTimeoutException
            || state.startsWith("08") // connection
            || state.startsWith("40") // serialization failure, deadlock
            || state.startsWith("53") // insufficient resources
            || state.startsWith("57") // operator intervention (shutdown)
            || state.startsWith("HYT"); // timeout
    return new SinkResult.Failed(
        "jdbc-" + (state.isEmpty() ? "error" : state),
        "SQLSTATE " + state + ": " + firstLine(e.getMessage()),
        retriable);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    String line = message.strip().split("\n", 2)[0];
    return line.length() > 300 ? line.substring(0, 300) + "…" : line;
  }

  private static DataSource jndi(String name) {
    try {
      Object found = new InitialContext().lookup(name);
      if (found instanceof DataSource dataSource) {
        return dataSource;
      }
      throw new IllegalStateException(name + " is a " + found.getClass().getName());
    } catch (NamingException e) {
      throw new IllegalStateException(e.toString(), e);
    }
  }
}
