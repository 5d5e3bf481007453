package dev.topicprocessor.sink.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topicprocessor.sink.Delivery;
import dev.topicprocessor.sink.SinkResult;
import dev.topicprocessor.testing.StartedPostgres;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JDBC sink into PostgreSQL (a real server, started here). */
class PostgresJdbcSinkTest extends JdbcSinkContract {

  @RegisterExtension static final StartedPostgres postgres = new StartedPostgres();

  @Override
  DataSource database() {
    return postgres.server().dataSource();
  }

  @Test
  void aDatabaseThatCannotBeReachedIsWorthRetrying() throws Exception {
    int closed;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    org.postgresql.ds.PGSimpleDataSource gone = new org.postgresql.ds.PGSimpleDataSource();
    gone.setServerNames(new String[] {"127.0.0.1"});
    gone.setPortNumbers(new int[] {closed});
    JdbcSink sink = new JdbcSink(name -> gone);
    try {
      JdbcDestination destination =
          JdbcDestination.parse(
              new com.fasterxml.jackson.databind.ObjectMapper()
                  .readTree(
                      "{\"datasource\": \"d\", \"sql\": \"INSERT INTO orders (id, order_id)"
                          + " VALUES (:id, :topic)\"}"));
      SinkResult.Failed failed =
          assertInstanceOf(
              SinkResult.Failed.class,
              sink.deliver(
                      destination,
                      new Delivery(
                          "out_9",
                          "x",
                          new Delivery.From("r", "c", "t", 0, 1, 1, 1, "", "webhook")))
                  .join());
      assertTrue(failed.retriable(), failed.toString());
      assertEquals("jdbc-connection", failed.reason());
    } finally {
      sink.stop();
    }
  }
}
