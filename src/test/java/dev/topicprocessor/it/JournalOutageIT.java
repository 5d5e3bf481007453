package dev.topicprocessor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.topicprocessor.testing.PostgresServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The journal's own database goes away under load: the PostgreSQL server the processor's journal is
 * in (started here) is stopped for 30 s while signed webhooks arrive and messages are published to
 * a subscription route, then started again. The server, Local Momento and PostgreSQL each run as
 * their own process. While the database is down, webhooks are answered 503 (never 2xx for an event
 * not committed), the subscription pauses without moving its checkpoint, and health says why; once
 * it is back, everything resumes by itself, and every event acknowledged and every message
 * published is processed.
 */
class JournalOutageIT {

  private static final String SERVER = System.getProperty("it.server", "tomcat");
  private static final int HTTP_PORT = 18682;
  private static final int PLAINTEXT_PORT = 19680;
  private static final int TLS_PORT = 20043;

  /**
   * The secret of the webhook the routes name ("it-hook"), which the processor made in its Local
   * Momento at its first start; read from there, as a Momento user reads it in the console.
   */
  private static String secret;

  private static final String PASSWORD = "journal-outage-password-not-logged";
  private static final Duration OUTAGE = Duration.ofSeconds(30);

  /** By when health says the journal is away: a heartbeat (3 s) and a connection's wait (5 s). */
  private static final Duration NOTICED = Duration.ofSeconds(9);

  /**
   * By when a subscription shows paused: what it had in flight refused together after one wait for
   * a connection (5 s), with a margin.
   */
  private static final Duration PAUSED_BY = Duration.ofSeconds(16);

  private static final Path WORK = Path.of("target", "journal-outage-" + SERVER).toAbsolutePath();

  private static PostgresServer postgres;
  private static LocalMomentoProcess momento;
  private static ServerProcess server;

  @BeforeAll
  static void start() throws Exception {
    ServerProcess.delete(WORK);
    Files.createDirectories(WORK);
    postgres = PostgresServer.start();
    postgres.createDatabase("journal");
    momento =
        new LocalMomentoProcess(
            PLAINTEXT_PORT, TLS_PORT, "outage.momento.localhost", WORK.resolve("identity.p12"));
    momento.start();
    Map<String, String> settings = new TreeMap<>();
    settings.put("MOMENTO_LOCAL_ENDPOINT", "127.0.0.1:" + TLS_PORT);
    settings.put("LOCAL_MOMENTO_ENDPOINT", "outage.momento.localhost");
    settings.put("TOPIC_PROCESSOR_BASE_URL", "http://127.0.0.1:" + HTTP_PORT + "/topic-processor");
    settings.put("TOPIC_PROCESSOR_RETRY_MAX_BACKOFF_MS", "2000");
    settings.put("TOPIC_PROCESSOR_JOURNAL_URL", postgres.url("journal"));
    settings.put("TOPIC_PROCESSOR_JOURNAL_USER", "tp");
    settings.put(
        "TOPIC_PROCESSOR_MANAGED_EXECUTOR", "java:jboss/ee/concurrency/executor/topic-processor");
    settings.put("TOPIC_PROCESSOR_ROUTES", Deployments.testResource("it-routes-both.json"));
    server = new ServerProcess(SERVER, WORK.resolve("server"), HTTP_PORT, settings);
    server.environment("TOPIC_PROCESSOR_JOURNAL_PASSWORD", PASSWORD);
    server.start();
    secret = LocalMomentoProcess.webhookSecret(PLAINTEXT_PORT, "default-cache", "it-hook");
  }

  @AfterAll
  static void stop() throws Exception {
    try (AutoCloseable p = postgres;
        AutoCloseable m = momento;
        AutoCloseable s = server) {
      // closed in reverse order
    }
  }

  @Test
  void journalDatabaseStoppedForThirtySecondsUnderLoadLosesNothingAndResumesByItself()
      throws Exception {
    Http health = new Http(server.url().toURL());
    health.awaitConnected("sub in", Duration.ofSeconds(60));
    List<JsonNode> downHealth = new ArrayList<>();
    List<Integer> downStatus = new ArrayList<>();
    List<JsonNode> held = new ArrayList<>();
    long stoppedAt;
    long startedAt;
    WebhookLoad webhooks;
    SteadyPublisher published;
    try (ResumingSubscriber topic2 =
            new ResumingSubscriber(PLAINTEXT_PORT, "default-cache", "topic 2");
        ResumingSubscriber subOut =
            new ResumingSubscriber(PLAINTEXT_PORT, "default-cache", "sub out")) {
      topic2.awaitLive();
      subOut.awaitLive();
      try (WebhookLoad load = new WebhookLoad(server.url(), secret, "pg", 2, 20);
          SteadyPublisher publisher =
              new SteadyPublisher(
                  PLAINTEXT_PORT,
                  "default-cache",
                  List.of("sub in"),
                  100,
                  List.of(i -> String.format("pg-%05d", i)))) {
        webhooks = load;
        published = publisher;
        Thread.sleep(3000);
        postgres.halt();
        stoppedAt = System.currentTimeMillis();
        Thread.sleep(1000);
        long until = stoppedAt + OUTAGE.toMillis() - 1000;
        while (System.currentTimeMillis() < until) {
          HttpResponse<String> answer = health.get("api/health");
          JsonNode subscription = health.subscription("sub in");
          // Health finds out at the next heartbeat (a tenth of the lease, 3 s) that cannot get a
          // connection (5 s); so does the subscription's first item that cannot be recorded.
          if (System.currentTimeMillis() > stoppedAt + NOTICED.toMillis()) {
            downStatus.add(answer.statusCode());
            downHealth.add(Http.json(answer));
            // The subscription, while it is there: once its heartbeat has failed for a lease,
            // the node lets it go, to take it again when the journal is back.
            if (subscription != null) {
              held.add(subscription);
            }
          }
          Thread.sleep(1000);
        }
        postgres.resume();
        startedAt = System.currentTimeMillis();
        Thread.sleep(5000); // the load goes on after the database is back
      }

      Set<String> expectedWebhooks = new TreeSet<>();
      webhooks.acknowledged.keySet().forEach(t -> expectedWebhooks.add(t.toUpperCase(Locale.ROOT)));
      Set<String> expectedMessages = new TreeSet<>();
      for (int i = 0; i < published.published(); i++) {
        expectedMessages.add(String.format("PG-%05d", i));
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
      while ((!topic2.counts().keySet().containsAll(expectedWebhooks)
              || !subOut.counts().keySet().containsAll(expectedMessages))
          && System.nanoTime() < deadline) {
        Thread.sleep(250);
      }
      Set<String> lostWebhooks = new TreeSet<>(expectedWebhooks);
      lostWebhooks.removeAll(topic2.counts().keySet());
      Set<String> lostMessages = new TreeSet<>(expectedMessages);
      lostMessages.removeAll(subOut.counts().keySet());

      long ackedWhileDown =
          webhooks.acknowledged.values().stream()
              .filter(at -> at > stoppedAt + 1000 && at < startedAt)
              .count();
      long refusedWhileDown =
          webhooks.refusedAt.values().stream()
              .filter(at -> at >= stoppedAt && at < startedAt + 1000)
              .count();
      HttpResponse<String> after = health.get("api/health");
      JsonNode subscription = health.subscription("sub in");
      String line =
          String.format(
              "the journal's PostgreSQL stopped %.1f s under load (%s): webhooks acknowledged %d"
                  + " (%d while it was down), refused %s (%d while down), unanswered %d, lost %d;"
                  + " subscription messages published %d at 100/s, taken in while down %d,"
                  + " lost %d, gaps %s (shown paused in %d of %d health samples while"
                  + " down); health while down %s, after %d%n",
              (startedAt - stoppedAt) / 1000.0,
              SERVER,
              webhooks.acknowledged.size(),
              ackedWhileDown,
              new TreeMap<>(
                  webhooks.refused.values().stream()
                      .collect(
                          java.util.stream.Collectors.groupingBy(
                              s -> s, java.util.stream.Collectors.counting()))),
              refusedWhileDown,
              webhooks.unanswered.size(),
              lostWebhooks.size(),
              published.published(),
              held.isEmpty()
                  ? -1
                  : held.get(held.size() - 1).path("taken").asLong()
                      - held.get(0).path("taken").asLong(),
              lostMessages.size(),
              subscription.path("gaps").asText(),
              held.stream().filter(h -> h.path("paused").asBoolean()).count(),
              downHealth.size(),
              new TreeSet<>(downStatus),
              after.statusCode());
      System.out.print(line);
      Files.writeString(WORK.resolve("report.txt"), line);

      assertEquals(0, ackedWhileDown, "no event acknowledged while the journal was down");
      assertTrue(refusedWhileDown > 0, "webhooks were refused while the journal was down");
      assertEquals(
          Set.of(503), Set.copyOf(webhooks.refused.values()), "refusals are 503s: " + line);
      JsonNode problem = Http.JSON.readTree(webhooks.refusal.get(503));
      assertTrue(
          problem.path("type").asText().endsWith("journal-unavailable"),
          "a 503 says the journal is unavailable: " + problem);
      assertEquals(Map.of(), webhooks.unanswered, "every webhook was answered");
      assertEquals(Set.of(503), Set.copyOf(downStatus), "health is 503 while the journal is down");
      JsonNode down = downHealth.get(downHealth.size() - 1);
      assertTrue(
          down.path("journal").asText().toLowerCase(Locale.ROOT).contains("unavailable"),
          "health says the journal is unavailable: " + down);
      assertTrue(!held.isEmpty(), "health showed the subscription while the journal was down");
      // Paused: it takes nothing in (what it read waits in memory, at most 256 items, or is
      // read again from its checkpoint), and its checkpoint does not move. It shows paused once
      // what it had in flight comes back refused, within PAUSED_BY of the stop, and stays so.
      int first = 0;
      while (first < held.size() && !held.get(first).path("paused").asBoolean()) {
        first++;
      }
      assertTrue(
          first < held.size() && first <= (PAUSED_BY.toSeconds() - NOTICED.toSeconds()),
          "health shows it paused within " + PAUSED_BY + ": " + held);
      for (JsonNode paused : held.subList(first, held.size())) {
        assertTrue(paused.path("paused").asBoolean(), "health shows it paused: " + paused);
      }
      for (JsonNode paused : held) {
        assertEquals(
            held.get(0).path("lastSequence").asLong(),
            paused.path("lastSequence").asLong(),
            "the subscription's checkpoint did not move while the journal was down: " + paused);
        assertEquals(
            held.get(0).path("taken").asLong(),
            paused.path("taken").asLong(),
            "the subscription took nothing in while the journal was down: " + paused);
      }
      assertEquals(Set.of(), lostWebhooks, "acknowledged webhook events never published");
      assertEquals(Set.of(), lostMessages, "published messages never processed");
      assertEquals(0, subscription.path("gaps").asLong(), "Local Momento still had them all");
      assertEquals(200, after.statusCode(), "health is UP again by itself: " + after.body());
      assertTrue(
          !Files.readString(server.consoleLog()).contains(PASSWORD),
          "the journal's password is in no log");
    }
  }
}
