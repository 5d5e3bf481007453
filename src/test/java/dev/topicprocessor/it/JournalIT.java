package dev.topicprocessor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.topicprocessor.localmomento.LocalMomento;
import dev.topicprocessor.localmomento.SdkSubscriber;
import io.grpc.Status;
import java.io.IOException;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import momento.sdk.TopicClient;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The journal on a real server: dead letters through the operator API and replayed after a fix,
 * duplicates processed once, the backlog limit, and unfinished events surviving a redeploy.
 */
@ExtendWith(LocalMomentoForTests.class)
@ExtendWith(ArquillianExtension.class)
class JournalIT {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String ROUTES = System.getProperty("it.routes.dir", "target/test-classes");

  /** The routes file of the dead-letters deployment: the test writes it, as an operator would. */
  private static final java.nio.file.Path DEAD_LETTER_ROUTES =
      java.nio.file.Path.of(Deployments.journalDir("JournalIT-routes.json"));

  @Deployment(name = "dead-letters", managed = false, testable = false)
  static WebArchive deadLetters() throws IOException {
    return war("dead-letters", Map.of("TOPIC_PROCESSOR_ROUTES", DEAD_LETTER_ROUTES.toString()));
  }

  /**
   * A backlog limit of 3; on WildFly the journal is the server's datasource (JNDI), made by
   * server-config/wildfly/topic-processor.cli.
   */
  @Deployment(name = "small", managed = false, testable = false)
  static WebArchive small() throws IOException {
    Map<String, String> settings = new java.util.HashMap<>();
    settings.put("TOPIC_PROCESSOR_JOURNAL_BACKLOG_LIMIT", "3");
    if ("wildfly".equals(System.getProperty("it.server"))) {
      settings.put(
          "TOPIC_PROCESSOR_JOURNAL_DATASOURCE", "java:jboss/datasources/TopicProcessorJournal");
    }
    return war("small-backlog", settings);
  }

  private static WebArchive war(String name, Map<String, String> settings) throws IOException {
    Map<String, String> all = new java.util.HashMap<>(settings);
    all.put("TOPIC_PROCESSOR_DATA_DIR", Deployments.journalDir("JournalIT-" + name));
    return Deployments.withSettings(name + ".war", all);
  }

  @ArquillianResource Deployer deployer;

  private static TopicClient client() {
    return LocalMomentoForTests.client();
  }

  private static Http app(String name) throws Exception {
    return new Http(
        new URL("http://127.0.0.1:" + Integer.getInteger("it.tomcat.port", 18080) + "/" + name));
  }

  @Test
  void aResultTooLargeBecomesADeadLetterAndIsPublishedWhenReplayedAfterTheFix() throws Exception {
    Http http = app("dead-letters");
    String text = "x".repeat(4000) + UUID.randomUUID(); // the envelope makes it over 4096 bytes
    useRoutes("it-routes.json"); // "big in" wraps the text in an envelope
    deployer.deploy("dead-letters");
    long id;
    try {
      double deadLettered =
          http.metric("topic_processor_events_dead_lettered_total{reason=\"too-large\"}");
      client().publish("default-cache", "big in", text).join();
      JsonNode letter = http.awaitDeadLetter(text, WAIT);
      id = letter.get("id").asLong();
      assertEquals("too-large", letter.get("reason").asText());
      assertEquals("big in", letter.get("topic").asText());
      assertTrue(letter.get("error").asText().contains("4096"), letter.toString());
      assertEquals(
          deadLettered + 1,
          http.metric("topic_processor_events_dead_lettered_total{reason=\"too-large\"}"));
      JsonNode one = Http.json(http.operator("GET", "api/dead-letters/" + id));
      assertEquals(text, one.get("event").get("text").asText(), "the event as Momento sent it");
    } finally {
      deployer.undeploy("dead-letters");
    }

    useRoutes("it-routes-fixed.json"); // the fix: no envelope
    deployer.deploy("dead-letters"); // the same journal
    try (SdkSubscriber out = SdkSubscriber.subscribe(client(), "default-cache", "big out")) {
      assertEquals(
          200, http.operator("GET", "api/dead-letters/" + id).statusCode(), "kept across redeploy");
      double replayed = http.metric("topic_processor_dead_letters_replayed_total");
      HttpResponse<String> replay = http.operator("POST", "api/dead-letters/" + id + "/replay");
      assertEquals(200, replay.statusCode(), replay.body());
      assertEquals(1, Http.json(replay).get("replayed").asInt());
      assertEquals(List.of(text), out.next(1, WAIT));
      assertEquals(replayed + 1, http.metric("topic_processor_dead_letters_replayed_total"));
      assertEquals(404, http.operator("GET", "api/dead-letters/" + id).statusCode());
      assertEquals(0, http.metric("topic_processor_dead_letters"));
      operatorsOnly(http);
    } finally {
      deployer.undeploy("dead-letters");
    }
  }

  /** Every dead-letter call needs the operator token or an operator of the server's realm. */
  private static void operatorsOnly(Http http) throws Exception {
    for (String[] call :
        new String[][] {
          {"GET", "api/dead-letters"},
          {"GET", "api/dead-letters/1"},
          {"POST", "api/dead-letters/1/replay"},
          {"POST", "api/dead-letters/replay"},
          {"DELETE", "api/dead-letters/1"}
        }) {
      HttpResponse<String> anonymous = http.send(call[0], call[1]);
      assertProblem(anonymous, 401, "unauthorized");
      assertTrue(
          anonymous
              .headers()
              .allValues("WWW-Authenticate")
              .contains("Bearer realm=\"topic-processor\""),
          anonymous.headers().toString());
      assertProblem(
          http.send(call[0], call[1], "Authorization", "Bearer not-the-token"),
          401,
          "unauthorized");
    }
    // The console page's script: challenged for the token only, so no browser login dialog.
    HttpResponse<String> script = http.send("GET", "api/dead-letters", "X-Requested-With", "fetch");
    assertProblem(script, 401, "unauthorized");
    assertEquals(
        List.of("Bearer realm=\"topic-processor\""),
        script.headers().allValues("WWW-Authenticate"),
        script.headers().toString());
    assertEquals(200, http.operator("GET", "api/dead-letters").statusCode());
    assertProblem(http.operator("GET", "api/dead-letters?limit=0"), 400, "bad-request");
    assertProblem(http.operator("GET", "api/dead-letters/abc"), 400, "bad-request");
    assertProblem(http.operator("DELETE", "api/dead-letters/999999"), 404, "not-found");
    if ("tomcat".equals(System.getProperty("it.server"))) { // users of src/test/tomcat/conf
      assertEquals(
          200,
          http.send("GET", "api/dead-letters", basic("operator:operator-password")).statusCode());
      assertProblem(
          http.send("GET", "api/dead-letters", basic("viewer:viewer-password")), 403, "forbidden");
      assertProblem(
          http.send("GET", "api/dead-letters", basic("operator:wrong")), 401, "unauthorized");
    }
  }

  @Test
  void aDuplicateDeliveryIsAcknowledgedAndProcessedOnce() throws Exception {
    Http http = app("small-backlog");
    deployer.deploy("small");
    try (SdkSubscriber out = SdkSubscriber.subscribe(client(), "default-cache", "topic 2")) {
      double duplicates = http.metric("topic_processor_events_duplicates_total");
      String text = "once " + UUID.randomUUID();
      byte[] event = Http.event("default-cache", "topic 1", text, 0);
      ExecutorService senders = Executors.newFixedThreadPool(6);
      try {
        List<Future<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
          sent.add(senders.submit(() -> http.signed(event)));
        }
        for (Future<HttpResponse<String>> response : sent) {
          assertEquals(204, response.get(20, TimeUnit.SECONDS).statusCode());
        }
      } finally {
        senders.shutdownNow();
      }
      assertEquals(204, http.signed(event).statusCode(), "again, later");
      assertEquals(List.of(text.toUpperCase(java.util.Locale.ROOT)), out.next(1, WAIT));
      assertNull(out.texts.poll(1, TimeUnit.SECONDS), "processed once");
      assertEquals(duplicates + 6, http.metric("topic_processor_events_duplicates_total"));
    } finally {
      deployer.undeploy("small");
    }
  }

  @Test
  void pastTheBacklogLimitWebhooksGet503AndUnfinishedEventsSurviveARedeploy() throws Exception {
    Http http = app("small-backlog");
    LocalMomento momento = LocalMomentoForTests.momento();
    Set<String> texts = new HashSet<>();
    deployer.deploy("small");
    try {
      momento.failPublishes("default-cache", "flaky out", Status.UNAVAILABLE, 1_000_000);
      for (int i = 0; i < 3; i++) {
        String text = "held " + i + " " + UUID.randomUUID();
        texts.add(text);
        assertEquals(
            204, http.signed(Http.event("default-cache", "flaky in", text, 0)).statusCode());
      }
      HttpResponse<String> refused =
          http.signed(Http.event("default-cache", "flaky in", "one too many", 0));
      assertProblem(refused, 503, "overloaded");
      assertTrue(Http.json(refused).get("detail").asText().contains("backlog"), refused.body());
      JsonNode health = Http.json(http.get("api/health"));
      assertEquals(3, health.get("backlog").asInt());
      if ("wildfly".equals(System.getProperty("it.server"))) {
        assertEquals(
            "DataSource java:jboss/datasources/TopicProcessorJournal",
            health.get("journal").asText());
      }
    } finally {
      deployer.undeploy("small"); // the three are still failing: they stay in the journal
    }
    momento.failPublishes("default-cache", "flaky out", Status.UNAVAILABLE, 0);
    try (SdkSubscriber out = SdkSubscriber.subscribe(client(), "default-cache", "flaky out")) {
      deployer.deploy("small");
      assertEquals(texts, new HashSet<>(out.next(3, WAIT)));
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (Http.json(http.get("api/health")).get("backlog").asInt() > 0
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertEquals(0, Http.json(http.get("api/health")).get("backlog").asInt());
    } finally {
      deployer.undeploy("small");
    }
  }

  private static void useRoutes(String resource) throws IOException {
    java.nio.file.Files.createDirectories(DEAD_LETTER_ROUTES.getParent());
    java.nio.file.Files.copy(
        java.nio.file.Path.of(ROUTES, resource),
        DEAD_LETTER_ROUTES,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private static void assertProblem(HttpResponse<String> response, int status, String slug)
      throws IOException {
    assertEquals(status, response.statusCode(), response.body());
    assertEquals(
        "application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
    assertEquals("urn:topic-processor:problem:" + slug, Http.json(response).get("type").asText());
  }

  private static String[] basic(String credentials) {
    return new String[] {
      "Authorization",
      "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8))
    };
  }
}
