package dev.topicprocessor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Fault tests with every part in its own process, as in production: the server (Tomcat or WildFly,
 * started by its own script), Local Momento ({@code local-momento.jar}), signed webhooks from
 * several concurrent clients and messages for a subscription route, all going on while the server
 * is killed and started five times, or while Local Momento is away for a minute. What is checked is
 * what an operator cares about: every event that was answered 2xx, and every message published to
 * the subscription's topic, reaches its outbound topic, counted by a subscriber; and while Momento
 * is away the publish path's breaker bounds the attempts and the log stays readable.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrashAndOutageIT {

  private static final String SERVER = System.getProperty("it.server", "tomcat");
  private static final int HTTP_PORT = 18181;
  private static final int PLAINTEXT_PORT = 19280;
  private static final int TLS_PORT = 19743;

  /**
   * The secret of the webhook the routes name ("it-hook"), which the processor made in its Local
   * Momento at its first start; read from there, as a Momento user reads it in the console.
   */
  private static String secret;

  private static final Path WORK = Path.of("target", "fault-" + SERVER);
  private static final int CYCLES = 5;
  private static final Duration OUTAGE = Duration.ofSeconds(60);

  // The publish path's breaker as the processor is configured here (the defaults).
  private static final int DESTINATION_CONCURRENCY = 32;
  private static final int BREAKER_WINDOW = 20;
  private static final int BREAKER_TRIALS = 3;
  private static final long BREAKER_OPEN_MS = 5000;

  /** What an operator can read through a minute of Momento away. */
  private static final int MAX_LINES_PER_MINUTE = 60;

  private static final String TOPIC_2 = "destination=\"default-cache/topic 2\",kind=\"topic\"";
  private static final String FAILED_ATTEMPTS =
      "topic_processor_destination_attempts_total{" + TOPIC_2 + ",outcome=\"failed\"}";
  private static final String BREAKER_OPENED =
      "topic_processor_destination_breaker_transitions_total{" + TOPIC_2 + ",to=\"open\"}";
  private static final String BREAKER_STATE =
      "topic_processor_destination_breaker_state{" + TOPIC_2 + "}";

  private static LocalMomentoProcess momento;
  private static ServerProcess server;
  private static ResumingSubscriber subscriber;

  @BeforeAll
  static void start() throws Exception {
    ServerProcess.delete(WORK);
    Files.createDirectories(WORK);
    momento =
        new LocalMomentoProcess(
            PLAINTEXT_PORT, TLS_PORT, "fault.momento.localhost", WORK.resolve("identity.p12"));
    // Five restarts at 100 messages/s: the subscriptions' backlog may pass Momento's 10,000.
    momento.keeping(100_000).start();
    Map<String, String> settings = new TreeMap<>();
    settings.put("MOMENTO_LOCAL_ENDPOINT", "127.0.0.1:" + TLS_PORT);
    settings.put("LOCAL_MOMENTO_ENDPOINT", "fault.momento.localhost");
    settings.put("TOPIC_PROCESSOR_BASE_URL", "http://127.0.0.1:" + HTTP_PORT + "/topic-processor");
    settings.put("TOPIC_PROCESSOR_OPERATOR_TOKEN", "fault-operator");
    settings.put("TOPIC_PROCESSOR_RETRY_MAX_BACKOFF_MS", "2000");
    settings.put(
        "TOPIC_PROCESSOR_MANAGED_EXECUTOR", "java:jboss/ee/concurrency/executor/topic-processor");
    // The seed's webhook route, and a subscription route ("sub in" -> "sub out").
    settings.put("TOPIC_PROCESSOR_ROUTES", Deployments.testResource("it-routes-both.json"));
    // No journal setting: the default location, inside the server's instance directory.
    server = new ServerProcess(SERVER, WORK.resolve("server"), HTTP_PORT, settings);
    server.start();
    secret = LocalMomentoProcess.webhookSecret(PLAINTEXT_PORT, "default-cache", "it-hook");
    subscriber = new ResumingSubscriber(PLAINTEXT_PORT, "default-cache", "topic 2");
    subscriber.awaitLive();
  }

  @AfterAll
  static void stop() throws Exception {
    try (AutoCloseable s = subscriber;
        AutoCloseable p = server;
        AutoCloseable m = momento) {
      // closed in reverse order
    }
  }

  @Test
  @Order(1)
  void fiveKillDashNineCyclesUnderLoadOnBothWaysInLoseNothingAcknowledged() throws Exception {
    Http health = new Http(server.url().toURL());
    health.awaitConnected("sub in", Duration.ofSeconds(60));
    List<KillCycles.Cycle> cycles;
    SteadyPublisher published;
    WebhookLoad burst;
    AtomicReference<TopicMark> mark = new AtomicReference<>();
    try (ResumingSubscriber out =
        new ResumingSubscriber(PLAINTEXT_PORT, "default-cache", "sub out")) {
      out.awaitLive();
      try (WebhookLoad webhooks = new WebhookLoad(server.url(), secret, "kill", 4, 10);
          SteadyPublisher publisher =
              new SteadyPublisher(
                  PLAINTEXT_PORT,
                  "default-cache",
                  List.of("sub in"),
                  100,
                  List.of(i -> String.format("sub-%05d", i)))) {
        published = publisher;
        burst = webhooks;
        cycles =
            KillCycles.run(
                server,
                CYCLES,
                Duration.ofSeconds(4),
                () -> {},
                n -> {
                  if (n == CYCLES) {
                    mark.set(
                        TopicMark.publishLater(
                            PLAINTEXT_PORT,
                            "default-cache",
                            "topic 2",
                            "A SECOND AFTER THE LAST DEATH",
                            Duration.ofSeconds(1)));
                  }
                });
        Thread.sleep(3000); // the load goes on after the last restart too
      }
      Report report = awaitPublished(burst, Duration.ofSeconds(180));
      Set<String> expected = new TreeSet<>();
      for (int i = 0; i < published.published(); i++) {
        expected.add(String.format("SUB-%05d", i));
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
      while (!out.counts().keySet().containsAll(expected) && System.nanoTime() < deadline) {
        Thread.sleep(250);
      }
      Map<String, Integer> counts = out.counts();
      Set<String> missing = new TreeSet<>(expected);
      missing.removeAll(counts.keySet());
      long twice = counts.values().stream().filter(n -> n > 1).count();
      JsonNode subscription = health.subscription("sub in");

      // The counts per cycle: what was acknowledged (webhooks) and published (subscription)
      // from the cycle's start up to its kill, and what of it never arrived.
      int[] acked = new int[CYCLES + 1];
      int[] unanswered = new int[CYCLES + 1];
      int[] lostWebhooks = new int[CYCLES + 1];
      int[] sent = new int[CYCLES + 1];
      int[] lostMessages = new int[CYCLES + 1];
      burst.acknowledged.forEach((text, at) -> acked[KillCycles.cycleOf(cycles, at)]++);
      burst.unanswered.forEach((text, at) -> unanswered[KillCycles.cycleOf(cycles, at)]++);
      report.missing.forEach(
          text -> lostWebhooks[KillCycles.cycleOf(cycles, burst.acknowledged.get(text))]++);
      for (int i = 0; i < published.published(); i++) {
        int cycle = KillCycles.cycleOf(cycles, published.publishedAt(i));
        sent[cycle]++;
        if (missing.contains(String.format("SUB-%05d", i))) {
          lostMessages[cycle]++;
        }
      }
      StringBuilder lines = new StringBuilder();
      for (KillCycles.Cycle cycle : cycles) {
        int n = cycle.number();
        lines.append(
            String.format(
                "kill -9 cycle %d of %d (%s): down %.1f s; webhooks acknowledged %d, unanswered"
                    + " %d, lost %d; subscription messages published %d, lost %d%n",
                n,
                CYCLES,
                SERVER,
                cycle.downSeconds(),
                acked[n],
                unanswered[n],
                lostWebhooks[n],
                sent[n],
                lostMessages[n]));
      }
      lines.append(
          String.format(
              "after the last cycle (%s): webhooks acknowledged %d, lost %d; subscription"
                  + " messages published %d, lost %d%n",
              SERVER, acked[0], lostWebhooks[0], sent[0], lostMessages[0]));
      report(lines.toString());
      report.print(CYCLES + " kill -9 cycles, webhooks (" + SERVER + ")");
      report(
          String.format(
              "%d kill -9 cycles, subscription (%s): published %d at 100/s, processed %d"
                  + " distinct, %d twice, %d missing; gaps %s%n",
              CYCLES,
              SERVER,
              published.published(),
              counts.size(),
              twice,
              missing.size(),
              subscription == null ? "?" : subscription.get("gaps").asText()));

      assertEquals(Set.of(), report.missing, "acknowledged webhook events never published");
      assertEquals(Set.of(), missing, "published messages never processed");
      assertEquals(0, subscription.get("gaps").asLong(), "Local Momento still had them all");
      // A second copy is what a killed JVM's publish, made before it was gone but not yet marked
      // done, costs. Momento took its first copy before a mark the test published a second after
      // the last JVM was gone (a kill takes a while: the JVM runs on until the signal lands).
      // Sequence numbers, not arrival times: the test's subscriber may lag under load.
      long markSequence = mark.get().sequence(subscriber);
      for (String copy : report.duplicates) {
        Long first = subscriber.firstSequence(copy);
        assertTrue(
            first != null && first < markSequence,
            copy
                + " was published twice, the first time by no JVM that was then killed (first"
                + " copy "
                + (first == null ? "never seen" : "#" + first + ", the mark #" + markSequence)
                + ")");
      }
      for (KillCycles.Cycle cycle : cycles) {
        assertTrue(acked[cycle.number()] > 0, "webhooks were acknowledged in cycle " + cycle);
        assertTrue(sent[cycle.number()] > 0, "messages were published in cycle " + cycle);
      }
      assertTrue(burst.unanswered.size() > 0, "events were sent to a killed server");
    }
    assertTrue(
        server.base().resolve("data/topic-processor").toFile().isDirectory(),
        "the journal is in the server's instance directory");
  }

  @Test
  @Order(2)
  void localMomentoDownForAMinuteUnderLoadOpensTheBreakerAndLosesNothing() throws Exception {
    Http operator = new Http(server.url().toURL());
    double attemptsBefore = operator.metric(FAILED_ATTEMPTS);
    double opensBefore = operator.metric(BREAKER_OPENED);
    long linesBefore;
    long linesDuring;
    long stoppedAt;
    long startedAt;
    WebhookLoad burst;
    try (WebhookLoad load = new WebhookLoad(server.url(), secret, "outage", 2, 20)) {
      burst = load;
      Thread.sleep(3000);
      linesBefore = lines(server.consoleLog());
      momento.stop();
      stoppedAt = System.currentTimeMillis();
      Thread.sleep(OUTAGE.toMillis());
      linesDuring = lines(server.consoleLog()) - linesBefore;
      momento.start(); // same ports, same TLS identity; an empty Momento otherwise
      startedAt = System.currentTimeMillis();
      Thread.sleep(3000);
    }
    double attempts = operator.metric(FAILED_ATTEMPTS) - attemptsBefore;
    double opened = operator.metric(BREAKER_OPENED) - opensBefore;
    long acceptedDuring =
        burst.acknowledged.values().stream()
            .filter(at -> at >= stoppedAt && at < startedAt)
            .count();
    Report report = awaitPublished(burst, Duration.ofSeconds(180));
    double minutes = (startedAt - stoppedAt) / 60_000.0;
    report(
        String.format(
            "Local Momento stopped %.0f s under load (%s): %d events accepted meanwhile; %.0f"
                + " failed publish attempts, breaker opened %.0f times; %d lines logged (%.1f a"
                + " minute)%n",
            (startedAt - stoppedAt) / 1000.0,
            SERVER,
            acceptedDuring,
            attempts,
            opened,
            linesDuring,
            linesDuring / minutes));
    report.print("Local Momento stopped " + OUTAGE.toSeconds() + " s under load (" + SERVER + ")");
    assertEquals(Map.of(), burst.unanswered, "the processor accepts events while Momento is down");
    assertEquals(Set.of(), report.missing, "accepted events that were never published");
    assertTrue(opened >= 1, "the publish path's breaker opened");
    // Without the breaker every event accepted would be attempted, and again at each retry.
    // With it: what was under way and what the breaker judges by before it opens, then its
    // trials after each open period.
    long bound =
        DESTINATION_CONCURRENCY
            + BREAKER_WINDOW
            + BREAKER_TRIALS * (OUTAGE.toMillis() / BREAKER_OPEN_MS + 2);
    assertTrue(acceptedDuring > 10 * bound, "the load went on: " + acceptedDuring);
    assertTrue(attempts <= bound, attempts + " failed attempts, more than " + bound);
    assertTrue(
        linesDuring / minutes <= MAX_LINES_PER_MINUTE,
        linesDuring + " lines logged in " + minutes + " minutes");
    assertEquals(
        0.0, operator.metric(BREAKER_STATE), "the breaker closed by itself once Momento was back");
    JsonNode dead =
        Http.json(
            operator.send("GET", "api/dead-letters", "Authorization", "Bearer fault-operator"));
    assertEquals(0, dead.get("total").asInt(), "nothing is a dead letter: " + dead);
  }

  private static long lines(Path log) throws IOException {
    try (java.util.stream.Stream<String> lines = Files.lines(log)) {
      return lines.count();
    }
  }

  /** Waits until every acknowledged event arrived uppercased, at most {@code max}. */
  private static Report awaitPublished(WebhookLoad burst, Duration max)
      throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    Report report = report(burst);
    while (!report.missing.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(250);
      report = report(burst);
    }
    Thread.sleep(1000); // late second copies, if any, arrive too
    return report(burst);
  }

  private static Report report(WebhookLoad burst) {
    Map<String, Integer> counts = subscriber.counts();
    Report report = new Report(burst);
    for (String text : burst.acknowledged.keySet()) {
      if (!counts.containsKey(text.toUpperCase(Locale.ROOT))) {
        report.missing.add(text);
      }
    }
    String prefix =
        burst.acknowledged.keySet().stream()
            .findAny()
            .map(t -> t.substring(0, t.indexOf('-') + 1))
            .orElse("?");
    counts.forEach(
        (text, count) -> {
          if (text.startsWith(prefix.toUpperCase(Locale.ROOT))) {
            report.published++;
            if (count > 1) {
              report.duplicates.add(text);
            }
          }
        });
    return report;
  }

  private static final class Report {
    final WebhookLoad burst;
    final Set<String> missing = new java.util.TreeSet<>();
    final Set<String> duplicates = new java.util.TreeSet<>();
    int published;

    Report(WebhookLoad burst) {
      this.burst = burst;
    }

    void print(String what) throws IOException {
      String line =
          String.format(
              "%s: sent %d, acknowledged %d, refused %d %s, unanswered %d; published %d distinct,"
                  + " %d twice, %d acknowledged but missing%n",
              what,
              burst.acknowledged.size() + burst.unanswered.size() + burst.refused.size(),
              burst.acknowledged.size(),
              burst.refused.size(),
              new TreeMap<>(
                  burst.refused.values().stream()
                      .collect(
                          java.util.stream.Collectors.groupingBy(
                              s -> s, java.util.stream.Collectors.counting()))),
              burst.unanswered.size(),
              published,
              duplicates.size(),
              missing.size());
      report(line);
    }
  }

  /** Prints a line of the report and adds it to {@code target/fault-<server>/report.txt}. */
  private static void report(String line) throws IOException {
    System.out.print(line);
    Files.writeString(
        WORK.resolve("report.txt"),
        line,
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
  }
}
