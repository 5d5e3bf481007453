package dev.topicprocessor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.topicprocessor.testing.PostgresServer;
import dev.topicprocessor.testing.Receiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Five {@code kill -9} / restart cycles of the server (its own process, started by its own script)
 * while messages are published at a steady rate to three subscription routes: one writing each
 * message as a row into PostgreSQL (a real server started here) and into H2 through the JDBC sink,
 * one calling an HTTP service the test runs, one aggregating messages by key over 2 s windows.
 * After the last restart, every message's row is present exactly once in both databases, every
 * message was answered 2xx by the HTTP service, the counts of the windows add up to what was sent
 * (none lost, none twice), and the window open at each kill is emitted after the restart. The
 * counts are printed per cycle. The datasources are the server's own: Tomcat's pooled {@code
 * <Resource>}s (drivers in its lib), WildFly's from {@code <data-source>} in the WAR's web.xml (the
 * WAR bringing the PostgreSQL driver).
 */
class SinkCrashIT {

  private static final String SERVER = System.getProperty("it.server", "tomcat");
  private static final int HTTP_PORT = 18282;
  private static final int PLAINTEXT_PORT = 19380;
  private static final int TLS_PORT = 19943;
  private static final Path WORK = Path.of("target", "sink-crash-" + SERVER).toAbsolutePath();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int CYCLES = 5;
  private static final int WINDOW_MILLIS = 2000;
  private static final String INSERT =
      "INSERT INTO tp_rows (id, seq, body) VALUES (:id, :sequence_number, :text)";

  private static PostgresServer postgres;
  private static LocalMomentoProcess momento;
  private static ServerProcess server;
  private static Path h2File;
  private static Receiver receiver;

  @BeforeAll
  static void start() throws Exception {
    ServerProcess.delete(WORK);
    Files.createDirectories(WORK);
    receiver = Receiver.start(0);
    postgres = PostgresServer.start();
    create(postgres.dataSource());
    h2File = WORK.resolve("shop");
    create(h2());
    momento =
        new LocalMomentoProcess(
            PLAINTEXT_PORT, TLS_PORT, "sinkcrash.momento.localhost", WORK.resolve("id.p12"));
    // Five restarts at 100 messages/s: the subscriptions' backlog may pass Momento's 10,000.
    momento.keeping(100_000).start();

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
    try (AutoCloseable r = receiver;
        AutoCloseable p = postgres;
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
    Map<String, Object> calls =
        Map.of(
            "name", "calls",
            "cache", "default-cache",
            "topic", "http in",
            "source", "subscription",
            "outbound", java.util.List.of(Map.of("url", receiver.url("/calls"))));
    return JSON.writeValueAsString(Map.of("routes", java.util.List.of(rows, counts, calls)));
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
  void fiveKillDashNineCyclesLeaveEveryRowEveryCallAndEveryCountInItsWindow() throws Exception {
    Http health = new Http(server.url().toURL());
    for (String topic : List.of("rows in", "agg in", "http in")) {
      health.awaitConnected(topic, Duration.ofSeconds(60));
    }
    List<KillCycles.Cycle> cycles;
    SteadyPublisher published;
    try (ResumingSubscriber results =
        new ResumingSubscriber(PLAINTEXT_PORT, "default-cache", "agg out")) {
      results.awaitLive();
      try (SteadyPublisher publisher =
          new SteadyPublisher(
              PLAINTEXT_PORT,
              "default-cache",
              List.of("rows in", "agg in", "http in"),
              100,
              List.of(
                  SinkCrashIT::row,
                  i -> "{\"k\": \"k" + (i % 3) + "\", \"n\": 2, \"i\": " + i + "}",
                  SinkCrashIT::call))) {
        published = publisher;
        // Windows go by arrival: kill in the middle of one, so that it holds a second of
        // messages accepted before the kill.
        cycles =
            KillCycles.run(
                server,
                CYCLES,
                Duration.ofSeconds(3),
                () -> {
                  while (Math.floorMod(System.currentTimeMillis(), WINDOW_MILLIS)
                      < WINDOW_MILLIS / 2) {
                    Thread.sleep(5);
                  }
                });
        Thread.sleep(3000); // the load goes on after the last restart too
      }
      int messages = published.published();
      Map<String, Integer> sentPerKey = new HashMap<>();
      for (int i = 0; i < messages; i++) {
        sentPerKey.merge("k" + (i % 3), 1, Integer::sum);
      }
      Set<String> rowsSent = new HashSet<>();
      Set<String> callsSent = new HashSet<>();
      for (int i = 0; i < messages; i++) {
        rowsSent.add(row(i));
        callsSent.add(call(i));
      }
      assertTrue(
          awaitRows(postgres.dataSource(), rowsSent, Duration.ofSeconds(180)),
          () -> {
            try {
              return "every row in PostgreSQL within 180 s: "
                  + rows(postgres.dataSource()).size()
                  + " of "
                  + rowsSent.size()
                  + "; health "
                  + health.get("api/health").body();
            } catch (Exception e) {
              return "every row in PostgreSQL within 180 s (" + e + ")";
            }
          });
      long calledBy = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!calls().keySet().containsAll(callsSent) && System.nanoTime() < calledBy) {
        Thread.sleep(250);
      }
      Map<String, Integer> counted = new HashMap<>();
      Map<String, Integer> totals = new HashMap<>();
      Set<String> windows = new HashSet<>();
      int[] openAtKill = new int[CYCLES + 1];
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      do {
        counted.clear();
        totals.clear();
        windows.clear();
        java.util.Arrays.fill(openAtKill, 0);
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
          for (KillCycles.Cycle cycle : cycles) {
            if (start <= cycle.killedAt() && cycle.killedAt() < result.get("window_end").asLong()) {
              openAtKill[cycle.number()]++;
            }
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

      Map<String, Integer> pg = rows(postgres.dataSource());
      Map<String, Integer> h2 = rows(h2());
      Map<String, Integer> called = calls();
      StringBuilder lines = new StringBuilder();
      for (KillCycles.Cycle cycle : cycles) {
        int n = cycle.number();
        int sent = 0;
        int[] lost = new int[3];
        for (int i = 0; i < messages; i++) {
          if (KillCycles.cycleOf(cycles, published.publishedAt(i)) == n) {
            sent++;
            lost[0] += pg.containsKey(row(i)) ? 0 : 1;
            lost[1] += h2.containsKey(row(i)) ? 0 : 1;
            lost[2] += called.containsKey(call(i)) ? 0 : 1;
          }
        }
        lines.append(
            String.format(
                "kill -9 cycle %d of %d with JDBC, HTTP and aggregating routes (%s): down %.1f s;"
                    + " published %d to each topic; lost: PostgreSQL rows %d, H2 rows %d, HTTP"
                    + " calls %d; %d result(s) of the window open at the kill%n",
                n,
                CYCLES,
                SERVER,
                cycle.downSeconds(),
                sent,
                lost[0],
                lost[1],
                lost[2],
                openAtKill[n]));
      }
      lines.append(
          String.format(
              "%d kill -9 cycles with JDBC, HTTP and aggregating routes (%s): published %d to"
                  + " each at 100/s; PostgreSQL %d rows (%d distinct), H2 %d rows (%d distinct);"
                  + " HTTP %d calls answered 2xx (%d distinct); windows counted %s of %s sent%n",
              CYCLES,
              SERVER,
              messages,
              total(pg),
              pg.size(),
              total(h2),
              h2.size(),
              total(called),
              called.size(),
              new TreeMap<>(counted),
              new TreeMap<>(sentPerKey)));
      System.out.print(lines);
      Files.writeString(WORK.resolve("report.txt"), lines);
      assertEquals(rowsSent, pg.keySet(), "PostgreSQL: every message");
      assertEquals(messages, total(pg), "PostgreSQL: one row per message");
      assertEquals(rowsSent, h2.keySet(), "H2: every message");
      assertEquals(messages, total(h2), "H2: one row per message");
      assertEquals(callsSent, called.keySet(), "HTTP: every message called");
      Map<String, Set<String>> ids = new HashMap<>();
      for (Receiver.Request request : receiver.requests("/calls")) {
        ids.computeIfAbsent(request.body(), b -> new HashSet<>()).add(request.header("webhook-id"));
      }
      ids.forEach(
          (body, of) -> assertEquals(1, of.size(), "a call made again has its first's id: " + of));
      assertEquals(sentPerKey, counted, "every message counted once, in one window");
      sentPerKey.forEach((key, n) -> assertEquals(2 * n, totals.get(key), "sum of " + key));
      // Every window is whole (the counts above); a kill with messages in its open window shows
      // that window emitted after the restart. Not every kill has one: on a slow start the
      // subscriptions may not be reading yet when the next kill comes.
      assertTrue(
          java.util.Arrays.stream(openAtKill).sum() >= 1,
          "a window open at a kill was emitted after the restart: " + lines);
    }
  }

  private static String row(int i) {
    return String.format("row-%05d", i);
  }

  private static String call(int i) {
    return String.format("{\"call\": %d}", i);
  }

  /** The bodies the HTTP service answered 2xx, and how many times each. */
  private static Map<String, Integer> calls() {
    Map<String, Integer> calls = new HashMap<>();
    for (Receiver.Request request : receiver.requests("/calls")) {
      if (request.answered() / 100 == 2) {
        calls.merge(request.body(), 1, Integer::sum);
      }
    }
    return calls;
  }

  private static int total(Map<String, Integer> counts) {
    return counts.values().stream().mapToInt(Integer::intValue).sum();
  }

  private static boolean awaitRows(DataSource database, Set<String> rows, Duration max)
      throws Exception {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      if (rows(database).keySet().containsAll(rows)) {
        return true;
      }
      Thread.sleep(500);
    }
    return false;
  }

  /** The rows' bodies, and how many rows each is in. */
  private static Map<String, Integer> rows(DataSource database) throws Exception {
    Map<String, Integer> rows = new HashMap<>();
    try (Connection c = database.getConnection();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT body, COUNT(*) FROM tp_rows WHERE body LIKE 'row-%' GROUP BY body")) {
      while (r.next()) {
        rows.put(r.getString(1), r.getInt(2));
      }
    }
    return rows;
  }
}
