package dev.topicprocessor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.topicprocessor.testing.PostgresServer;
import grpc.cache_client.pubsub.PubsubGrpc;
import grpc.cache_client.pubsub._PublishRequest;
import grpc.cache_client.pubsub._TopicValue;
import io.grpc.ManagedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} of the server (its own process, started by its own script) while messages are
 * published at a steady rate to two subscription routes: one writing each message as a row into
 * PostgreSQL (a real server started here) and into H2 through the JDBC sink, one aggregating
 * messages by key over 2 s windows. After the restart with the same command, every message's row is
 * present exactly once in both databases, the counts of the windows add up to what was sent (none
 * lost, none twice), and the window that was open at the kill is emitted after the restart. The
 * datasources are the server's own: Tomcat's pooled {@code <Resource>}s (drivers in its lib),
 * WildFly's from {@code <data-source>} in the WAR's web.xml (the WAR bringing the PostgreSQL
 * driver).
 */
class SinkCrashIT {

  private static final String SERVER = System.getProperty("it.server", "tomcat");
  private static final int HTTP_PORT = 18282;
  private static final int PLAINTEXT_PORT = 19380;
  private static final int TLS_PORT = 19943;
  private static final Path WORK = Path.of("target", "sink-crash-" + SERVER).toAbsolutePath();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MESSAGES = 1200;
  private static final int WINDOW_MILLIS = 2000;
  private static final String INSERT =
      "INSERT INTO tp_rows (id, seq, body) VALUES (:id, :sequence_number, :text)";

  private static PostgresServer postgres;
  private static LocalMomentoProcess momento;
  private static ServerProcess server;
  private static Path h2File;

  @BeforeAll
  static void start() throws Exception {
    ServerProcess.delete(WORK);
    Files.createDirectories(WORK);
    postgres = PostgresServer.start();
    create(postgres.dataSource());
    h2File = WORK.resolve("shop");
    create(h2());
    momento =
        new LocalMomentoProcess(
            PLAINTEXT_PORT, TLS_PORT, "sinkcrash.momento.localhost", WORK.resolve("id.p12"));
    momento.start();

    boolean wildfly = "wildfly".equals(SERVER);
    String pg = wildfly ? "java:app/jdbc/ShopPg" : "java:comp/env/jdbc/ShopPg";
    String h2 = wildfly ? "java:jboss/datasources/ShopH2" : "java:comp/env/jdbc/ShopH2";
    Path routes = WORK.resolve("routes.json");
    Files.writeString(routes, routes(pg, h2));
    Map<String, String> settings = new TreeMap<>();
    settings.put("MOMENTO_LOCAL_ENDPOINT", "127.0.0.1:" + TLS_PORT);
    settings.put("LOCAL_MOMENTO_ENDPOINT", "sinkcrash.momento.localhost");
    settings.put("TOPIC_PROCESSOR_ROUTES", routes.toString());
    settings.put("TOPIC_PROCESSOR_RETRY_MAX_BACKOFF_MS", "2000");
    settings.put(
        "TOPIC_PROCESSOR_MANAGED_EXECUTOR", "java:jboss/ee/concurrency/executor/topic-processor");
    server = new ServerProcess(SERVER, WORK.resolve("server"), HTTP_PORT, settings);
    if (wildfly) {
      Path war = WORK.resolve("topic-processor.war");
      Deployments.withSettings("topic-processor.war", Map.of(), dataSources())
          // the PostgreSQL driver: the WAR brings its own (the journal's, by URL)
          .as(ZipExporter.class)
          .exportTo(war.toFile(), true);
      server.deploy(war, "topic-processor");
      wildflyH2DataSource();
    } else {
      tomcatResources();
    }
    server.start();
  }

  @AfterAll
  static void stop() throws Exception {
    try (AutoCloseable p = postgres;
        AutoCloseable m = momento;
        AutoCloseable s = server) {
      // closed in reverse order
    }
  }

  private static String routes(String pg, String h2) throws Exception {
    Map<String, Object> rows =
        Map.of(
            "name", "rows",
            "cache", "default-cache",
            "topic", "rows in",
            "source", "subscription",
            "outbound",
                java.util.List.of(
                    Map.of("datasource", pg, "sql", INSERT),
                    Map.of("datasource", h2, "sql", INSERT)));
    Map<String, Object> counts =
        Map.of(
            "name", "counts",
            "cache", "default-cache",
            "topic", "agg in",
            "source", "subscription",
            "processors",
                java.util.List.of(
                    Map.of(
                        "name",
                        "aggregate",
                        "options",
                        Map.of(
                            "key",
                            "/k",
                            "windowSeconds",
                            WINDOW_MILLIS / 1000,
                            "graceMs",
                            500,
                            "fields",
                            Map.of("total", Map.of("sum", "/n"))))),
            "outbound", java.util.List.of("agg out"));
    return JSON.writeValueAsString(Map.of("routes", java.util.List.of(rows, counts)));
  }

  /** WildFly: the datasources as the WAR's own resource definitions (drivers in WEB-INF/lib). */
  private static String dataSources() {
    return "  <data-source>\n"
        + "    <name>java:app/jdbc/ShopPg</name>\n"
        + "    <class-name>org.postgresql.ds.PGSimpleDataSource</class-name>\n"
        + "    <server-name>127.0.0.1</server-name>\n"
        + "    <port-number>"
        + postgres.port()
        + "</port-number>\n"
        + "    <database-name>postgres</database-name>\n"
        + "    <user>tp</user>\n"
        + "    <transactional>false</transactional>\n"
        + "  </data-source>\n";
  }

  /**
   * WildFly: H2 through a datasource of the server (its own H2 module), beside the journal's in
   * standalone.xml, as {@code server-config/wildfly/topic-processor.cli} makes that one.
   */
  private static void wildflyH2DataSource() throws Exception {
    Path config = server.base().resolve("configuration/standalone.xml");
    String xml = Files.readString(config);
    String anchor = "<datasource jndi-name=\"java:jboss/datasources/ExampleDS\"";
    assertTrue(xml.contains(anchor), "standalone.xml has the example datasource");
    Files.writeString(
        config,
        xml.replace(
            anchor,
            "<datasource jndi-name=\"java:jboss/datasources/ShopH2\" pool-name=\"ShopH2\""
                + " jta=\"false\"><connection-url>"
                + h2Url()
                + "</connection-url><driver>h2</driver>"
                + "<security user-name=\"sa\" password=\"sa\"/></datasource>\n"
                + anchor));
  }

  /** Tomcat: pooled Resources in the application's context file, the drivers in its lib. */
  private static void tomcatResources() throws Exception {
    Path base = server.base();
    Files.createDirectories(base.resolve("lib"));
    for (Class<?> driver : new Class<?>[] {org.postgresql.Driver.class, org.h2.Driver.class}) {
      Path jar = jarOf(driver);
      Files.copy(jar, base.resolve("lib").resolve(jar.getFileName()));
    }
    Path contexts = base.resolve("conf/Catalina/localhost");
    Files.createDirectories(contexts);
    Files.writeString(
        contexts.resolve("topic-processor.xml"),
        "<Context>\n"
            + "  <Resource name=\"jdbc/ShopPg\" auth=\"Container\" type=\"javax.sql.DataSource\""
            + " driverClassName=\"org.postgresql.Driver\" url=\"jdbc:postgresql://127.0.0.1:"
            + postgres.port()
            + "/postgres\" username=\"tp\" password=\"\" maxTotal=\"8\" maxWaitMillis=\"5000\"/>\n"
            + "  <Resource name=\"jdbc/ShopH2\" auth=\"Container\" type=\"javax.sql.DataSource\""
            + " driverClassName=\"org.h2.Driver\" url=\""
            + h2Url()
            + "\" username=\"sa\" password=\"sa\" maxTotal=\"8\" maxWaitMillis=\"5000\"/>\n"
            + "</Context>\n");
  }

  private static Path jarOf(Class<?> type) throws Exception {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  /** The shop's H2 database, durable at each commit (H2 by default writes them 0.5 s later). */
  private static String h2Url() {
    return "jdbc:h2:" + h2File + ";WRITE_DELAY=0";
  }

  /**
   * The shop's H2 database as the test opens it: with the server's H2 (WildFly's module is of
   * another version than the tests').
   */
  private static DataSource h2() throws Exception {
    if (!"wildfly".equals(SERVER)) {
      JdbcDataSource dataSource = new JdbcDataSource();
      dataSource.setURL(h2Url());
      dataSource.setUser("sa");
      dataSource.setPassword("sa");
      return dataSource;
    }
    Path module =
        Path.of(
            System.getProperty("it.wildfly.home"),
            "modules/system/layers/base/com/h2database/h2/main");
    Path jar;
    try (java.util.stream.Stream<Path> files = Files.list(module)) {
      jar = files.filter(f -> f.toString().endsWith(".jar")).findFirst().orElseThrow();
    }
    ClassLoader loader =
        new java.net.URLClassLoader(
            new java.net.URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
    Class<?> type = Class.forName("org.h2.jdbcx.JdbcDataSource", true, loader);
    Object dataSource = type.getConstructor().newInstance();
    type.getMethod("setURL", String.class).invoke(dataSource, h2Url());
    type.getMethod("setUser", String.class).invoke(dataSource, "sa");
    type.getMethod("setPassword", String.class).invoke(dataSource, "sa");
    return (DataSource) dataSource;
  }

  private static void create(DataSource database) throws Exception {
    try (Connection c = database.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE tp_rows (id VARCHAR(40) PRIMARY KEY, seq BIGINT NOT NULL,"
              + " body VARCHAR(100) NOT NULL)");
    }
  }

  @Test
  void killDashNineMidBurstLeavesEveryRowOnceAndEveryCountInItsWindow() throws Exception {
    Http health = new Http(server.url().toURL());
    health.awaitConnected("rows in", Duration.ofSeconds(60));
    health.awaitConnected("agg in", Duration.ofSeconds(60));
    AtomicInteger published = new AtomicInteger();
    Map<String, Integer> sentPerKey = new HashMap<>();
    for (int i = 0; i < MESSAGES; i++) {
      sentPerKey.merge("k" + (i % 3), 1, Integer::sum);
    }
    ManagedChannel channel = LocalMomentoProcess.plaintextChannel(PLAINTEXT_PORT);
    try (ResumingSubscriber results =
        new ResumingSubscriber(PLAINTEXT_PORT, "default-cache", "agg out")) {
      results.awaitLive();
      PubsubGrpc.PubsubBlockingStub pubsub = PubsubGrpc.newBlockingStub(channel);
      Thread publisher =
          new Thread(
              () -> {
                long start = System.nanoTime();
                for (int i = 0; i < MESSAGES; i++) {
                  long wait = start + i * 10_000_000L - System.nanoTime(); // 100/s
                  if (wait > 0) {
                    LockSupport.parkNanos(wait);
                  }
                  publish(pubsub, "rows in", String.format("row-%04d", i));
                  publish(
                      pubsub,
                      "agg in",
                      "{\"k\": \"k" + (i % 3) + "\", \"n\": 2, \"i\": " + i + "}");
                  published.incrementAndGet();
                }
              },
              "steady-publisher");
      publisher.start();
      awaitCount(published, 500);
      // Windows go by arrival: kill in the middle of one, so that it holds a second of messages
      // accepted before the kill.
      while (Math.floorMod(System.currentTimeMillis(), WINDOW_MILLIS) < WINDOW_MILLIS / 2) {
        Thread.sleep(5);
      }
      long killedAt = System.currentTimeMillis();
      server.kill();
      awaitCount(published, 800); // about 3 s down, longer than a window
      server.start();
      long upAt = System.currentTimeMillis();
      publisher.join();

      assertTrue(
          awaitRows(postgres.dataSource(), Duration.ofSeconds(120)), "every row in PostgreSQL");
      Map<String, Integer> counted = new HashMap<>();
      Map<String, Integer> totals = new HashMap<>();
      Set<String> windows = new HashSet<>();
      long[] openAtKill = {0};
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      do {
        counted.clear();
        totals.clear();
        windows.clear();
        openAtKill[0] = 0;
        for (String text : results.counts().keySet()) {
          JsonNode result = JSON.readTree(text);
          String key = result.get("key").asText();
          counted.merge(
              key, result.get("count").asInt() * results.counts().get(text), Integer::sum);
          totals.merge(key, result.get("total").asInt(), Integer::sum);
          assertTrue(
              windows.add(key + "@" + result.get("window_start").asLong()),
              "one result per key and window: " + text);
          long start = result.get("window_start").asLong();
          if (start <= killedAt && killedAt < result.get("window_end").asLong()) {
            openAtKill[0]++;
          }
        }
        if (counted.equals(sentPerKey)) {
          break;
        }
        Thread.sleep(200);
      } while (System.nanoTime() < deadline);
      // Every event done (rows written to both databases), then kill -9 again: the H2 file is
      // the test's to read once the server is gone.
      long drained = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (Http.json(health.get("api/health")).path("backlog").asLong() > 0
          && System.nanoTime() < drained) {
        Thread.sleep(200);
      }
      server.close();

      int[] pg = rows(postgres.dataSource());
      int[] h2 = rows(h2());
      String line =
          String.format(
              "kill -9 with JDBC and aggregating routes (%s): published %d to each at 100/s, down"
                  + " %.1f s; PostgreSQL %d rows (%d distinct), H2 %d rows (%d distinct);"
                  + " windows counted %s of %s sent, %d result(s) of the window open at the kill%n",
              SERVER,
              published.get(),
              (upAt - killedAt) / 1000.0,
              pg[0],
              pg[1],
              h2[0],
              h2[1],
              new TreeMap<>(counted),
              new TreeMap<>(sentPerKey),
              openAtKill[0]);
      System.out.print(line);
      Files.writeString(WORK.resolve("report.txt"), line);
      assertEquals(MESSAGES, pg[0], "PostgreSQL: one row per message");
      assertEquals(MESSAGES, pg[1], "PostgreSQL: every message");
      assertEquals(MESSAGES, h2[0], "H2: one row per message");
      assertEquals(MESSAGES, h2[1], "H2: every message");
      assertEquals(sentPerKey, counted, "every message counted once, in one window");
      sentPerKey.forEach((key, n) -> assertEquals(2 * n, totals.get(key), "sum of " + key));
      assertTrue(openAtKill[0] >= 1, "the window open at the kill was emitted: " + line);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static void publish(PubsubGrpc.PubsubBlockingStub pubsub, String topic, String text) {
    pubsub
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .publish(
            _PublishRequest.newBuilder()
                .setCacheName("default-cache")
                .setTopic(topic)
                .setValue(_TopicValue.newBuilder().setText(text))
                .build());
  }

  private static boolean awaitRows(DataSource database, Duration max) throws Exception {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      if (rows(database)[1] >= MESSAGES) {
        return true;
      }
      Thread.sleep(500);
    }
    return false;
  }

  /** Rows, and distinct bodies among them that are messages that were sent. */
  private static int[] rows(DataSource database) throws Exception {
    try (Connection c = database.getConnection();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT COUNT(*), COUNT(DISTINCT body) FROM tp_rows WHERE body LIKE 'row-%'")) {
      r.next();
      return new int[] {r.getInt(1), r.getInt(2)};
    }
  }

  private static void awaitCount(AtomicInteger count, int atLeast) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (count.get() < atLeast && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertTrue(count.get() >= atLeast, "published " + count.get() + " of " + atLeast);
  }
}
