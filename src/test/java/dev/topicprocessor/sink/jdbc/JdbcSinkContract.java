package dev.topicprocessor.sink.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.topicprocessor.sink.Delivery;
import dev.topicprocessor.sink.SinkResult;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JDBC sink against a real database: what each database's test runs. */
abstract class JdbcSinkContract {

  private static final ObjectMapper JSON = new ObjectMapper();

  private DataSource database;
  private JdbcSink cut;

  /** An empty database with table {@code orders}. */
  abstract DataSource database() throws Exception;

  @BeforeEach
  void open() throws Exception {
    database = database();
    execute("DROP TABLE IF EXISTS orders");
    execute(
        "CREATE TABLE orders (id VARCHAR(40) PRIMARY KEY, order_id VARCHAR(40) NOT NULL,"
            + " total DECIMAL(10, 2), topic VARCHAR(100), seq BIGINT, body VARCHAR(4000))");
    cut = new JdbcSink(name -> name.equals("java:comp/env/jdbc/shop") ? database : fail(name));
  }

  private static DataSource fail(String name) {
    throw new IllegalStateException("no " + name);
  }

  @AfterEach
  void close() {
    cut.stop();
  }

  private void execute(String sql) throws Exception {
    try (Connection c = database.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private List<String> rows() throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c = database.getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT * FROM orders ORDER BY id")) {
      while (r.next()) {
        BigDecimal total = r.getBigDecimal("total");
        rows.add(
            String.join(
                " ",
                r.getString("id"),
                r.getString("order_id"),
                total == null ? "null" : total.stripTrailingZeros().toPlainString(),
                r.getString("topic"),
                Long.toString(r.getLong("seq")),
                r.getString("body")));
      }
    }
    return rows;
  }

  private static JdbcDestination destination(String sql) throws Exception {
    return JdbcDestination.parse(
        JSON.readTree(
            JSON.writeValueAsString(
                java.util.Map.of(
                    "datasource",
                    "java:comp/env/jdbc/shop",
                    "sql",
                    sql,
                    "parameters",
                    java.util.Map.of("order", "/order", "total", "/total")))));
  }

  private static final String INSERT =
      "INSERT INTO orders (id, order_id, total, topic, seq, body)"
          + " VALUES (:id, :order, :total, :topic, :sequence_number, :text)";

  private static Delivery delivery(String id, String text) {
    return new Delivery(
        id, text, new Delivery.From("r", "shop", "orders", 0, 41, 1_000, 2_000, "", "webhook"));
  }

  private SinkResult write(JdbcDestination destination, Delivery delivery) {
    return cut.deliver(destination, delivery).orTimeout(30, TimeUnit.SECONDS).join();
  }

  @Test
  void writesOneRowPerOutputFromItsFieldsAndItsMetadata() throws Exception {
    String text = "{\"order\": \"A-1\", \"total\": 12.5}";
    assertInstanceOf(
        SinkResult.Delivered.class, write(destination(INSERT), delivery("out_1", text)));
    assertEquals(List.of("out_1 A-1 12.5 orders 41 " + text), rows());
  }

  @Test
  void aRepeatOfAnOutputIsAlreadyDeliveredAndWrittenOnce() throws Exception {
    String text = "{\"order\": \"A-2\", \"total\": 3}";
    assertInstanceOf(
        SinkResult.Delivered.class, write(destination(INSERT), delivery("out_2", text)));
    assertInstanceOf(
        SinkResult.Delivered.class, write(destination(INSERT), delivery("out_2", text)));
    assertEquals(1, rows().size());
  }

  @Test
  void aMissingFieldIsNullAndAConstraintItBreaksIsAFailureForGood() throws Exception {
    assertInstanceOf(
        SinkResult.Delivered.class,
        write(destination(INSERT), delivery("out_3", "{\"order\": \"A-3\"}")));
    assertTrue(rows().get(0).startsWith("out_3 A-3 null "), rows().toString());
    SinkResult.Failed failed =
        assertInstanceOf(
            SinkResult.Failed.class,
            write(destination(INSERT), delivery("out_4", "{\"total\": 1}")));
    assertFalse(failed.retriable());
    assertEquals("jdbc-23502", failed.reason(), failed.detail()); // not null
  }

  @Test
  void anOutputThatIsNotJsonIsRefusedWhenTheStatementTakesItsFields() throws Exception {
    SinkResult.Refused refused =
        assertInstanceOf(
            SinkResult.Refused.class, write(destination(INSERT), delivery("out_5", "plain")));
    assertEquals("not-json", refused.reason());
  }

  @Test
  void aStatementTheDatabaseRejectsIsAFailureForGood() throws Exception {
    SinkResult.Failed failed =
        assertInstanceOf(
            SinkResult.Failed.class,
            write(
                destination("INSERT INTO no_such_table (id, a, b) VALUES (:id, :order, :total)"),
                delivery("out_6", "{\"order\": \"x\", \"total\": 1}")));
    assertFalse(failed.retriable());
    assertTrue(failed.reason().startsWith("jdbc-42"), failed.reason());
  }

  @Test
  void anUnknownDataSourceIsWorthRetryingOnceItIsThere() throws Exception {
    JdbcDestination elsewhere =
        JdbcDestination.parse(
            JSON.readTree(
                "{\"datasource\": \"java:comp/env/jdbc/nope\", \"sql\": \"INSERT INTO orders"
                    + " (id, order_id) VALUES (:id, :topic)\"}"));
    SinkResult.Failed failed =
        assertInstanceOf(SinkResult.Failed.class, write(elsewhere, delivery("out_7", "x")));
    assertTrue(failed.retriable());
    assertEquals("no-datasource", failed.reason());
  }

  @Test
  void badDestinationsAreRefusedWithTheReason() {
    assertTrue(
        refused("{\"datasource\": \"d\", \"sql\": \"INSERT INTO t (a) VALUES (:text)\"}")
            .startsWith("\"sql\" must use :id"));
    assertTrue(
        refused("{\"datasource\": \"d\", \"sql\": \"INSERT INTO t (id, a) VALUES (:id, :amount)\"}")
            .startsWith("\":amount\" is neither an output's metadata"));
    assertEquals(
        "parameter \"amount\" is not used in \"sql\" (as :amount)",
        refused(
            "{\"datasource\": \"d\", \"sql\": \"INSERT INTO t (id) VALUES (:id)\","
                + " \"parameters\": {\"amount\": \"/amount\"}}"));
    assertTrue(refused("{\"datasource\": \"d\"}").startsWith("\"sql\" must be"));
  }

  @Test
  void quotesCommentsAndCastsAreNotParameters() throws Exception {
    JdbcDestination destination =
        JdbcDestination.parse(
            JSON.readTree(
                "{\"datasource\": \"d\", \"sql\": \"INSERT INTO t (id, a) VALUES (:id,"
                    + " ':not' || CAST(:topic AS VARCHAR)) -- :neither\"}"));
    assertEquals(
        "INSERT INTO t (id, a) VALUES (?, ':not' || CAST(? AS VARCHAR)) -- :neither",
        destination.statement());
    assertEquals("d t", destination.toString());
    assertEquals(
        "SELECT ?::text",
        JdbcDestination.parse(
                JSON.readTree("{\"datasource\": \"d\", \"sql\": \"SELECT :id::text\"}"))
            .statement());
  }

  private static String refused(String json) {
    return assertThrows(
            IllegalArgumentException.class, () -> JdbcDestination.parse(JSON.readTree(json)))
        .getMessage();
  }
}
