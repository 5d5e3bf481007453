package dev.topicprocessor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.topicprocessor.momento.WebhookSignature;
import grpc.cache_client.pubsub.PubsubGrpc;
import grpc.cache_client.pubsub._PublishRequest;
import grpc.cache_client.pubsub._TopicValue;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Fault tests with every part in its own process, as in production: the server (Tomcat or WildFly,
 * started by its own script), Local Momento ({@code local-momento.jar}), and signed webhooks from
 * several concurrent clients or messages for a subscription route. What is checked is what an
 * operator cares about: every event that was answered 2xx reaches the outbound topic, counted by a
 * subscriber.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrashAndOutageIT {

  private static final String SERVER = System.getProperty("it.server", "tomcat");
  private static final int HTTP_PORT = 18181;
  private static final int PLAINTEXT_PORT = 19280;
  private static final int TLS_PORT = 19743;
  private static final String SECRET = "fault-secret";
  private static final Path WORK = Path.of("target", "fault-" + SERVER);

  private static LocalMomentoProcess momento;
  private static ServerProcess server;
  private static ResumingSubscriber subscriber;
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  @BeforeAll
  static void start() throws Exception {
    ServerProcess.delete(WORK);
    Files.createDirectories(WORK);
    momento =
        new LocalMomentoProcess(
            PLAINTEXT_PORT, TLS_PORT, "fault.momento.localhost", WORK.resolve("identity.p12"));
    momento.start();
    Map<String, String> settings = new TreeMap<>();
    settings.put("MOMENTO_LOCAL_ENDPOINT", "127.0.0.1:" + TLS_PORT);
    settings.put("LOCAL_MOMENTO_ENDPOINT", "fault.momento.localhost");
    settings.put("MOMENTO_WEBHOOK_SECRETS", SECRET);
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
  void killDashNineMidBurstLosesNothingThatWasAcknowledged() throws Exception {
    AtomicInteger acknowledged = new AtomicInteger();
    long[] killedAt = new long[1];
    Burst burst =
        send(
            "kill",
            2400,
            8,
            0,
            acks -> {
              if (acks == 1200) {
                try {
                  server.kill();
                  killedAt[0] = System.currentTimeMillis();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
            },
            acknowledged);
    assertTrue(killedAt[0] > 0, "the server was killed during the burst");
    long restartAt = System.currentTimeMillis();
    server.start(); // the same command, the same instance directory
    Report report = awaitPublished(burst, Duration.ofSeconds(120));
    // A second copy is allowed only for events the killed JVM was publishing: their first copy
    // arrived before the server was started again.
    for (String twice : report.duplicates) {
      Long first = subscriber.firstArrival(twice);
      assertTrue(
          first != null && first < restartAt, twice + " was published twice after the restart");
    }
    report.print("kill -9 mid-burst (" + SERVER + ")");
    assertEquals(Set.of(), report.missing, "acknowledged events that were never published");
    assertTrue(burst.acknowledged.size() >= 1200, "the burst went on until the kill");
    assertTrue(burst.unanswered.size() > 0, "events were sent to the killed server");
    assertTrue(
        server
            .base()
            .resolve(SERVER.equals("wildfly") ? "data/topic-processor" : "data/topic-processor")
            .toFile()
            .isDirectory(),
        "the journal is in the server's instance directory");
  }

  @Test
  @Order(2)
  void localMomentoDownForThirtySecondsDuringABurst() throws Exception {
    Http operator = new Http(server.url().toURL());
    long[] stoppedAt = new long[1];
    Thread outage =
        new Thread(
            () -> {
              try {
                momento.stop();
                stoppedAt[0] = System.currentTimeMillis();
                Thread.sleep(30_000);
                momento.start(); // same ports, same TLS identity; an empty Momento otherwise
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            },
            "outage");
    Burst burst =
        send(
            "outage",
            2000,
            4,
            10, // paced: about 400 events/s, so the burst runs on while Momento is down
            acks -> {
              if (acks == 400) {
                outage.start();
              }
            },
            new AtomicInteger());
    outage.join();
    assertTrue(stoppedAt[0] > 0, "Local Momento was stopped during the burst");
    assertEquals(Set.of(), burst.unanswered, "the processor accepts events while Momento is down");
    Report report = awaitPublished(burst, Duration.ofSeconds(120));
    report.print("Local Momento stopped 30 s mid-burst (" + SERVER + ")");
    assertEquals(Set.of(), report.missing, "accepted events that were never published");
    JsonNode dead =
        Http.json(
            operator.send("GET", "api/dead-letters", "Authorization", "Bearer fault-operator"));
    assertEquals(0, dead.get("total").asInt(), "nothing is a dead letter: " + dead);
  }

  @Test
  @Order(3)
  void killDashNineWhileMessagesArePublishedToASubscriptionRouteLosesNone() throws Exception {
    Http health = new Http(server.url().toURL());
    health.awaitConnected("sub in", Duration.ofSeconds(60));
    int total = 3000;
    AtomicInteger published = new AtomicInteger();
    ManagedChannel channel = LocalMomentoProcess.plaintextChannel(PLAINTEXT_PORT);
    try (ResumingSubscriber out =
        new ResumingSubscriber(PLAINTEXT_PORT, "default-cache", "sub out")) {
      out.awaitLive();
      PubsubGrpc.PubsubBlockingStub pubsub = PubsubGrpc.newBlockingStub(channel);
      // A steady 100 messages/s for 30 s, whatever the server does meanwhile.
      Thread publisher =
          new Thread(
              () -> {
                long start = System.nanoTime();
                for (int i = 0; i < total; i++) {
                  long due = start + i * 10_000_000L;
                  long wait = due - System.nanoTime();
                  if (wait > 0) {
                    LockSupport.parkNanos(wait);
                  }
                  pubsub
                      .withDeadlineAfter(10, TimeUnit.SECONDS)
                      .publish(
                          _PublishRequest.newBuilder()
                              .setCacheName("default-cache")
                              .setTopic("sub in")
                              .setValue(
                                  _TopicValue.newBuilder().setText(String.format("sub-%04d", i)))
                              .build());
                  published.incrementAndGet();
                }
              },
              "steady-publisher");
      publisher.start();
      awaitCount(published, 1000);
      server.kill();
      long killedAt = System.currentTimeMillis();
      awaitCount(published, 1500); // about 5 s down
      server.start(); // the same command; meanwhile the publisher goes on
      long upAt = System.currentTimeMillis();
      int publishedWhenUp = published.get();
      publisher.join();

      Set<String> expected = new java.util.TreeSet<>();
      for (int i = 0; i < total; i++) {
        expected.add(String.format("SUB-%04d", i));
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (!out.counts().keySet().containsAll(expected) && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      Map<String, Integer> counts = out.counts();
      Set<String> missing = new java.util.TreeSet<>(expected);
      missing.removeAll(counts.keySet());
      long twice = counts.values().stream().filter(n -> n > 1).count();
      JsonNode subscription = health.subscription("sub in");
      String line =
          String.format(
              "kill -9 while publishing to a subscription route (%s): published %d at 100/s,"
                  + " down %.1f s (killed after #1000, up again after #%d, restart included);"
                  + " processed %d distinct,"
                  + " %d twice, %d missing; gaps %s%n",
              SERVER,
              published.get(),
              (upAt - killedAt) / 1000.0,
              publishedWhenUp,
              counts.size(),
              twice,
              missing.size(),
              subscription == null ? "?" : subscription.get("gaps").asText());
      report(line);
      assertEquals(Set.of(), missing, "published messages never processed");
      assertEquals(0, subscription.get("gaps").asLong(), "Local Momento still had them all");
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static void awaitCount(AtomicInteger count, int atLeast) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (count.get() < atLeast && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertTrue(count.get() >= atLeast, "published " + count.get() + " of " + atLeast);
  }

  /** Signed events from concurrent clients; what each got back. */
  private static Burst send(
      String run, int events, int clients, int pauseMillis, IntConsumer onAck, AtomicInteger acks)
      throws Exception {
    Burst burst = new Burst();
    URI webhook = server.url().resolve("api/webhooks/momento");
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Future<?>> done = new ArrayList<>();
    AtomicInteger next = new AtomicInteger();
    long base = System.nanoTime() & 0xffffffL;
    for (int c = 0; c < clients; c++) {
      done.add(
          pool.submit(
              () -> {
                for (int i; (i = next.getAndIncrement()) < events; ) {
                  String text = run + "-" + i;
                  byte[] body =
                      Http.JSON.writeValueAsBytes(
                          Map.of(
                              "cache",
                              "default-cache",
                              "topic",
                              "topic 1",
                              "event_timestamp",
                              System.currentTimeMillis(),
                              "publish_timestamp",
                              System.currentTimeMillis(),
                              "topic_sequence_number",
                              base + i,
                              "token_id",
                              "",
                              "text",
                              text));
                  try {
                    HttpResponse<String> response =
                        Answers.send(
                            CLIENT,
                            HttpRequest.newBuilder(webhook)
                                .timeout(Duration.ofSeconds(10))
                                .header(
                                    WebhookSignature.HEADER, WebhookSignature.sign(SECRET, body))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build());
                    if (response.statusCode() / 100 == 2) {
                      burst.acknowledged.add(text);
                      onAck.accept(acks.incrementAndGet());
                    } else {
                      burst.refused.put(text, response.statusCode());
                    }
                  } catch (IOException e) {
                    burst.unanswered.add(text);
                  }
                  if (pauseMillis > 0) {
                    Thread.sleep(pauseMillis);
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get(10, TimeUnit.MINUTES);
    }
    pool.shutdown();
    return burst;
  }

  /** Waits until every acknowledged event arrived uppercased, at most {@code max}. */
  private static Report awaitPublished(Burst burst, Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    Report report = report(burst);
    while (!report.missing.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(250);
      report = report(burst);
    }
    Thread.sleep(1000); // late second copies, if any, arrive too
    return report(burst);
  }

  private static Report report(Burst burst) {
    Map<String, Integer> counts = subscriber.counts();
    Report report = new Report(burst);
    for (String text : burst.acknowledged) {
      if (!counts.containsKey(text.toUpperCase(Locale.ROOT))) {
        report.missing.add(text);
      }
    }
    String prefix =
        burst.acknowledged.stream()
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

  private static final class Burst {
    final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    final Set<String> unanswered = ConcurrentHashMap.newKeySet();
    final Map<String, Integer> refused = new ConcurrentHashMap<>();
  }

  private static final class Report {
    final Burst burst;
    final Set<String> missing = new java.util.TreeSet<>();
    final Set<String> duplicates = new java.util.TreeSet<>();
    int published;

    Report(Burst burst) {
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
