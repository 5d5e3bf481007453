package dev.topicprocessor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.topicprocessor.localmomento.LocalMomento;
import dev.topicprocessor.localmomento.LocalMomentoConfig;
import dev.topicprocessor.localmomento.SdkSubscriber;
import io.grpc.Status;
import java.io.IOException;
import java.net.URL;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import momento.sdk.TopicClient;
import momento.sdk.config.TopicConfigurations;
import momento.sdk.responses.topic.TopicPublishResponse;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Subscription routes on a real server: the processor keeps a subscription to the inbound topic (no
 * webhook), side by side with a webhook route; resumes from its checkpoint after a downtime and
 * counts the gap when the topic no longer has what it missed; pauses reading while the journal is
 * full and loses nothing.
 */
@ExtendWith(LocalMomentoForTests.class)
@ExtendWith(ArquillianExtension.class)
class SubscriptionIT {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String SHORT_ENDPOINT = "short.momento.localhost";
  private static final int SHORT_TLS_PORT = 19843;

  /** A Local Momento of this test's own that keeps only 10 messages per topic. */
  private static LocalMomento shortHistory;

  /**
   * The packaged WAR with the tests' routes: webhook routes and the subscription route "sub in".
   */
  @Deployment(name = "main", testable = false)
  static WebArchive main() {
    return Deployments.packagedWar();
  }

  @Deployment(name = "short-history", managed = false, testable = false)
  static WebArchive shortHistoryApp() throws IOException {
    return war(
        "short-history",
        Map.of(
            "MOMENTO_LOCAL_ENDPOINT",
            "127.0.0.1:" + SHORT_TLS_PORT,
            "LOCAL_MOMENTO_ENDPOINT",
            SHORT_ENDPOINT,
            "TOPIC_PROCESSOR_ROUTES",
            Deployments.testResource("it-routes-short-history.json")));
  }

  @Deployment(name = "small-backlog", managed = false, testable = false)
  static WebArchive smallBacklogApp() throws IOException {
    return war(
        "small-backlog-subscription",
        Map.of(
            "TOPIC_PROCESSOR_JOURNAL_BACKLOG_LIMIT",
            "5",
            "TOPIC_PROCESSOR_ROUTES",
            Deployments.testResource("it-routes-backlog.json"),
            // The outage here is 150 failed publishes, not a length of time: the breaker tries
            // again soon, or its 3 trials every 5 s would take minutes to use them up.
            "TOPIC_PROCESSOR_BREAKER_OPEN_MS",
            "100"));
  }

  private static WebArchive war(String name, Map<String, String> settings) throws IOException {
    Map<String, String> all = new HashMap<>(settings);
    all.put("TOPIC_PROCESSOR_DATA_DIR", Deployments.journalDir("SubscriptionIT-" + name));
    return Deployments.withSettings(name + ".war", all);
  }

  @ArquillianResource Deployer deployer;

  private static Http app(String name) throws Exception {
    return new Http(
        new URL("http://127.0.0.1:" + Integer.getInteger("it.tomcat.port", 18080) + "/" + name));
  }

  private static TopicClient client() {
    return LocalMomentoForTests.client();
  }

  private static void publish(TopicClient client, String topic, String text) {
    TopicPublishResponse response = client.publish("default-cache", topic, text).join();
    assertInstanceOf(TopicPublishResponse.Success.class, response, response::toString);
  }

  @AfterAll
  static void stopShortHistory() {
    if (shortHistory != null) {
      shortHistory.close();
    }
  }

  @Test
  void helloPublishedWithTheTopicClientComesBackUppercasedWithNoWebhook() throws Exception {
    Http http = app("topic-processor");
    JsonNode before = http.awaitConnected("sub in", WAIT);
    long webhooks = LocalMomentoForTests.momento().stats().webhooks().delivered();
    try (SdkSubscriber out = SdkSubscriber.subscribe(client(), "default-cache", "sub out")) {
      publish(client(), "sub in", "hello");
      assertEquals(List.of("HELLO"), out.next(1, WAIT));
    }
    JsonNode after = http.subscription("sub in");
    assertEquals(before.get("taken").asLong() + 1, after.get("taken").asLong(), after.toString());
    assertTrue(after.get("lastSequence").asLong() >= 1, after.toString());
    assertEquals(0, after.get("gaps").asLong(), after.toString());
    Thread.sleep(500);
    assertEquals(
        webhooks,
        LocalMomentoForTests.momento().stats().webhooks().delivered(),
        "nothing came by webhook: no webhook is registered for a subscription route");
  }

  @Test
  void aWebhookRouteAndASubscriptionRouteRunSideBySide() throws Exception {
    Http http = app("topic-processor");
    http.awaitConnected("sub in", WAIT);
    try (SdkSubscriber byWebhook = SdkSubscriber.subscribe(client(), "default-cache", "topic 2");
        SdkSubscriber bySubscription =
            SdkSubscriber.subscribe(client(), "default-cache", "sub out")) {
      publish(client(), "topic 1", "by webhook");
      publish(client(), "sub in", "by subscription");
      assertEquals(List.of("BY WEBHOOK"), byWebhook.next(1, WAIT));
      assertEquals(List.of("BY SUBSCRIPTION"), bySubscription.next(1, WAIT));
    }
    JsonNode health = Http.json(http.get("api/health"));
    assertEquals("UP", health.get("status").asText());
    assertEquals(1, health.get("subscriptions").size(), health.toString());
  }

  @Test
  void aDowntimeLongerThanTheTopicsHistoryIsAGapCountedLoggedAndShownAndProcessingGoesOn()
      throws Exception {
    shortHistory =
        LocalMomento.start(
            LocalMomentoConfig.defaults()
                .withEndpoint(SHORT_ENDPOINT)
                .withPorts(-1, SHORT_TLS_PORT)
                .withHistorySize(10)
                .withCaches(List.of("default-cache")));
    try (var connection = shortHistory.connection();
        TopicClient client = connection.topicClient(TopicConfigurations.Laptop.latest());
        SdkSubscriber out = SdkSubscriber.subscribe(client, "default-cache", "short out")) {
      ServerLog log = ServerLog.mark();
      deployer.deploy("short-history");
      Http http = app("short-history");
      http.awaitConnected("short in", WAIT);
      publish(client, "short in", "one"); // #1: the checkpoint
      assertEquals(List.of("ONE"), out.next(1, WAIT));
      deployer.undeploy("short-history");

      for (int i = 1; i <= 30; i++) {
        publish(client, "short in", "while down " + i); // #2 to #31; only #22 to #31 are kept
      }
      deployer.deploy("short-history");
      try {
        http.awaitConnected("short in", WAIT);
        Set<String> kept =
            IntStream.rangeClosed(21, 30)
                .mapToObj(i -> "WHILE DOWN " + i)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(kept, new TreeSet<>(out.next(10, WAIT)), "what the topic still had");
        publish(client, "short in", "after");
        assertEquals(List.of("AFTER"), out.next(1, WAIT), "processing goes on");

        JsonNode subscription = http.subscription("short in");
        assertEquals(1, subscription.get("gaps").asLong(), subscription.toString());
        assertEquals(20, subscription.get("missed").asLong(), subscription.toString());
        assertEquals(32, subscription.get("lastSequence").asLong(), subscription.toString());
        assertEquals(1.0, http.metric("topic_processor_subscription_gaps_total"));
        assertEquals(20.0, http.metric("topic_processor_subscription_missed_total"));
        List<String> logged =
            log.linesSince().stream()
                .filter(line -> line.contains("default-cache/short in: 20 item(s) after #1"))
                .toList();
        assertEquals(1, logged.size(), "the gap is logged once: " + logged);
      } finally {
        deployer.undeploy("short-history");
      }
    }
  }

  @Test
  void withTheJournalFullReadingPausesThenResumesAndNothingIsLost() throws Exception {
    LocalMomento momento = LocalMomentoForTests.momento();
    deployer.deploy("small-backlog");
    try (SdkSubscriber out = SdkSubscriber.subscribe(client(), "default-cache", "slow out")) {
      Http http = app("small-backlog-subscription");
      http.awaitConnected("slow in", WAIT);
      // Every publish to "slow out" fails for a while: events stay in the journal, retried.
      momento.failPublishes("default-cache", "slow out", Status.UNAVAILABLE, 150);
      for (int i = 1; i <= 40; i++) {
        publish(client(), "slow in", "slow " + i);
      }
      long deadline = System.nanoTime() + WAIT.toNanos();
      JsonNode subscription = http.subscription("slow in");
      while (!subscription.get("paused").asBoolean() && System.nanoTime() < deadline) {
        Thread.sleep(50);
        subscription = http.subscription("slow in");
      }
      assertTrue(subscription.get("paused").asBoolean(), "reading paused: " + subscription);
      JsonNode health = Http.json(http.get("api/health"));
      assertTrue(health.get("backlog").asLong() <= 5, "the backlog stays at its limit: " + health);
      assertTrue(subscription.get("taken").asLong() < 40, "not all read yet: " + subscription);

      Set<String> expected =
          IntStream.rangeClosed(1, 40)
              .mapToObj(i -> "SLOW " + i)
              .collect(Collectors.toCollection(TreeSet::new));
      List<String> received = out.next(40, Duration.ofSeconds(90));
      assertEquals(expected, new TreeSet<>(received), "every item, once the failures passed");
      subscription = http.subscription("slow in");
      assertEquals(40, subscription.get("taken").asLong(), subscription.toString());
      assertTrue(!subscription.get("paused").asBoolean(), subscription.toString());
      assertEquals(0, subscription.get("gaps").asLong(), subscription.toString());
    } finally {
      deployer.undeploy("small-backlog");
    }
  }
}
