package dev.topicprocessor.bench;

import com.sun.net.httpserver.HttpServer;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * The other ends of the benchmark's sink routes, each in the benchmark's JVM and timing every
 * output as it arrives: an HTTP receiver, a table in PostgreSQL, a queue of an ActiveMQ Artemis
 * broker. Each is started once; a run opens it to hear its arrivals.
 */
final class SinkReceivers {

  private SinkReceivers() {}

  /** Answers 204 to every POST, after noting its body. */
  static final class Http implements EndToEnd.Receiver, AutoCloseable {

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private volatile EndToEnd.Arrivals arrivals;

    Http(int port) throws IOException {
      // Without TCP_NODELAY the JDK's server leaves each answer to Nagle's algorithm, and the
      // client's delayed acknowledgement holds it about 40 ms: that limited a first run to 820/s.
      System.setProperty("sun.net.httpserver.nodelay", "true");
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
      server.createContext(
          "/receive",
          exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            long now = System.nanoTime();
            EndToEnd.Arrivals to = arrivals;
            if (to != null) {
              to.arrived(new String(body, StandardCharsets.UTF_8), now);
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
          });
      server.setExecutor(threads);
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/receive";
    }

    @Override
    public AutoCloseable open(EndToEnd.Arrivals arrivals) {
      this.arrivals = arrivals;
      return () -> this.arrivals = null;
    }

    @Override
    public void close() {
      server.stop(0);
      threads.shutdownNow();
    }
  }

  /**
   * A table the JDBC sink inserts into; each row's arrival is PostgreSQL's {@code
   * clock_timestamp()} at its insert, read back by polling every 50 ms and put on this JVM's
   * nanoTime scale (the same machine's clock).
   */
  static final class Rows implements EndToEnd.Receiver {

    static final String INSERT = "INSERT INTO bench_rows (id, text) VALUES (:id, :text)";

    /** Rows below the highest one seen that are read again, for inserts that commit late. */
    private static final int WINDOW = 1000;

    private final DataSource database;

    Rows(DataSource database) throws SQLException {
      this.database = database;
      try (Connection c = database.getConnection();
          Statement s = c.createStatement()) {
        s.execute(
            "CREATE TABLE bench_rows (seq BIGSERIAL, id TEXT PRIMARY KEY, text TEXT NOT NULL,"
                + " arrived TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp())");
      }
    }

    /**
     * Reads rows by their sequence, from {@code WINDOW} below the highest one seen: a row whose
     * insert commits after a later one's would be missed by reading only past the highest.
     */
    @Override
    public AutoCloseable open(EndToEnd.Arrivals arrivals) throws Exception {
      Instant wall = Instant.now();
      long nanos = System.nanoTime();
      long epochNanosAtZero = wall.getEpochSecond() * 1_000_000_000L + wall.getNano() - nanos;
      Connection connection = database.getConnection();
      long[] highest = {0};
      try (Statement s = connection.createStatement();
          ResultSet r = s.executeQuery("SELECT coalesce(max(seq), 0) FROM bench_rows")) {
        r.next();
        highest[0] = r.getLong(1);
      }
      long start = highest[0];
      Set<Long> seen = new HashSet<>();
      PreparedStatement read =
          connection.prepareStatement(
              "SELECT seq, text, (extract(epoch FROM arrived) * 1000000)::bigint FROM bench_rows"
                  + " WHERE seq > ? ORDER BY seq");
      ExecutorService poller = Executors.newSingleThreadExecutor();
      poller.execute(
          () -> {
            while (!Thread.currentThread().isInterrupted()) {
              try {
                read.setLong(1, Math.max(start, highest[0] - WINDOW));
                try (ResultSet r = read.executeQuery()) {
                  while (r.next()) {
                    long seq = r.getLong(1);
                    highest[0] = Math.max(highest[0], seq);
                    if (seen.add(seq)) {
                      arrivals.arrived(r.getString(2), r.getLong(3) * 1000 - epochNanosAtZero);
                    }
                  }
                }
                Thread.sleep(50);
              } catch (InterruptedException e) {
                return;
              } catch (SQLException e) {
                throw new IllegalStateException(e);
              }
            }
          });
      return () -> {
        poller.shutdownNow();
        poller.awaitTermination(5, TimeUnit.SECONDS);
        connection.close();
      };
    }
  }

  /** A broker with one persistent queue, and a consumer on it in this JVM. */
  static final class Queue implements EndToEnd.Receiver, AutoCloseable {

    static final String NAME = "bench";

    private final EmbeddedActiveMQ broker;
    private final ActiveMQConnectionFactory factory;
    private final JMSContext context;
    private volatile EndToEnd.Arrivals arrivals;

    Queue(String url, Path data) throws Exception {
      broker =
          new EmbeddedActiveMQ()
              .setConfiguration(
                  new ConfigurationImpl()
                      .setPersistenceEnabled(true)
                      .setJournalDirectory(data.resolve("journal").toString())
                      .setBindingsDirectory(data.resolve("bindings").toString())
                      .setLargeMessagesDirectory(data.resolve("large").toString())
                      .setPagingDirectory(data.resolve("paging").toString())
                      .setSecurityEnabled(false)
                      .addAcceptorConfiguration("tcp", url)
                      .addQueueConfiguration(
                          QueueConfiguration.of(NAME).setRoutingType(RoutingType.ANYCAST)));
      broker.start();
      factory = new ActiveMQConnectionFactory(url);
      context = factory.createContext(JMSContext.AUTO_ACKNOWLEDGE);
      JMSConsumer consumer = context.createConsumer(context.createQueue(NAME));
      consumer.setMessageListener(
          message -> {
            long now = System.nanoTime();
            EndToEnd.Arrivals to = arrivals;
            if (to == null) {
              return;
            }
            try {
              to.arrived(((TextMessage) message).getText(), now);
            } catch (JMSException e) {
              throw new IllegalStateException(e);
            }
          });
    }

    @Override
    public AutoCloseable open(EndToEnd.Arrivals arrivals) {
      this.arrivals = arrivals;
      return () -> this.arrivals = null;
    }

    @Override
    public void close() throws Exception {
      context.close();
      factory.close();
      broker.stop();
    }
  }
}
