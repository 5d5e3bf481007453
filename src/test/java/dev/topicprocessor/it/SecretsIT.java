package dev.topicprocessor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.topicprocessor.momento.WebhookSignature;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * No secret reaches a log or an answer. Runs after the whole suite (its own failsafe execution):
 * first it runs the processor once in Momento mode with a known API key, journal password, webhook
 * secret, operator token and HTTP sink secret, and uses it (good and bad calls, failed publishes);
 * then it searches every server log, every console output and every HTTP answer the suite got
 * ({@link Answers}) for every secret the suite's servers were configured with.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecretsIT {

  private static final String SERVER = System.getProperty("it.server", "tomcat");
  private static final int HTTP_PORT = 18383;
  private static final Path WORK = Path.of("target", "secrets-" + SERVER).toAbsolutePath();
  private static final Path TARGET = Path.of("target").toAbsolutePath();

  /** A v2 key as the Momento console issues it (with MOMENTO_ENDPOINT); its signature unique. */
  private static final String API_KEY_SECRET = "tp-api-key-signature-4f1c9a";

  private static final String API_KEY =
      Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(
                  "{\"alg\":\"HS512\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
          + "."
          + Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(
                  "{\"t\":\"g\",\"jti\":\"secrets-it\"}".getBytes(StandardCharsets.UTF_8))
          + "."
          + API_KEY_SECRET;
  private static final String WEBHOOK_SECRET = "tp-webhook-secret-7d2e5b";
  private static final String OPERATOR_TOKEN = "tp-operator-token-93a0c4";

  /** The journal's password inside its URL, which the start log shows without parameters. */
  private static final String JOURNAL_PASSWORD = "tp-journal-password-1b8f6d";

  private static final String SINK_SECRET_KEY = "tp-sink-secret-key-5e7a20";
  private static final String SINK_SECRET =
      "whsec_"
          + Base64.getEncoder().encodeToString(SINK_SECRET_KEY.getBytes(StandardCharsets.UTF_8));

  /** Every secret the suite's servers are configured with, by where it is set. */
  private static final Map<String, String> SECRETS =
      Map.ofEntries(
          Map.entry("it-operator-token", "the test servers' operator token (pom.xml)"),
          Map.entry(
              "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
              "an HTTP destination's secret (it-routes.json)"),
          Map.entry("0123456789abcdef0123456789abcdef", "that secret's key"),
          Map.entry("fault-operator", "CrashAndOutageIT's operator token"),
          Map.entry("cluster-operator", "ClusterIT's operator token"),
          Map.entry("cluster-journal-password-not-logged", "ClusterIT's journal password"),
          Map.entry("journal-outage-password-not-logged", "JournalOutageIT's journal password"),
          Map.entry(API_KEY, "the Momento API key"),
          Map.entry(API_KEY_SECRET, "the signature of the Momento API key"),
          Map.entry(WEBHOOK_SECRET, "this test's webhook secret"),
          Map.entry(OPERATOR_TOKEN, "this test's operator token"),
          Map.entry(JOURNAL_PASSWORD, "this test's journal password, inside its URL"),
          Map.entry(SINK_SECRET, "this test's HTTP destination secret"),
          Map.entry(SINK_SECRET_KEY, "that secret's key"));

  @Test
  @Order(1)
  void aProcessorInMomentoModeUsedWellAndBadlyLogsAndAnswersNoSecret() throws Exception {
    ServerProcess.delete(WORK);
    Files.createDirectories(WORK);
    Path routes = WORK.resolve("routes.json");
    Files.writeString(
        routes,
        """
        {"routes": [
          {"name": "seed", "cache": "default-cache", "topic": "topic 1",
           "processors": ["uppercase"], "outbound": ["topic 2"]},
          {"name": "to-http", "cache": "default-cache", "topic": "http in",
           "outbound": [{"url": "http://127.0.0.1:9/nobody", "secret": "%s"}]}
        ]}
        """
            .formatted(SINK_SECRET));
    Map<String, String> settings = new TreeMap<>();
    settings.put("MOMENTO_API_KEY", API_KEY);
    settings.put("MOMENTO_ENDPOINT", "secret-check.invalid");
    settings.put("MOMENTO_WEBHOOK_SECRETS", WEBHOOK_SECRET);
    settings.put("TOPIC_PROCESSOR_OPERATOR_TOKEN", OPERATOR_TOKEN);
    settings.put("TOPIC_PROCESSOR_ROUTES", routes.toString());
    settings.put(
        "TOPIC_PROCESSOR_MANAGED_EXECUTOR", "java:jboss/ee/concurrency/executor/topic-processor");
    try (ServerProcess server =
        new ServerProcess(SERVER, WORK.resolve("server"), HTTP_PORT, settings)) {
      // A URL holding a password goes as an environment variable too: servers log -D options.
      server.environment(
          "TOPIC_PROCESSOR_JOURNAL_URL",
          "jdbc:h2:file:" + WORK.resolve("journal") + ";USER=tp;PASSWORD=" + JOURNAL_PASSWORD);
      server.start(); // every secret above goes to it as an environment variable
      Http http = new Http(server.url().toURL());
      JsonNode health = Http.json(http.get("api/health"));
      assertEquals("MOMENTO", health.get("mode").asText(), health.toString());
      for (String topic : List.of("topic 1", "http in")) {
        byte[] event = Http.event("default-cache", topic, "secret check", 0);
        assertEquals(
            204,
            http.webhook(event, WebhookSignature.sign(WEBHOOK_SECRET, event)).statusCode(),
            "a signed event");
      }
      byte[] event = Http.event("default-cache", "topic 1", "forged", 0);
      assertEquals(401, http.webhook(event, WebhookSignature.sign("guess", event)).statusCode());
      assertEquals(
          401, http.send("GET", "api/dead-letters", "Authorization", "Bearer x").statusCode());
      HttpResponse<String> operator =
          http.send("GET", "api/dead-letters", "Authorization", "Bearer " + OPERATOR_TOKEN);
      assertEquals(200, operator.statusCode(), operator.body());
      http.send("POST", "api/pipeline/reload-routes", "Authorization", "Bearer " + OPERATOR_TOKEN);
      http.get("api/metrics");
      http.get("api/console");
      // Let the publishes to the unreachable endpoint and the HTTP destination fail and retry.
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (System.nanoTime() < deadline
          && http.metric("topic_processor_events_received_total") < 2) {
        Thread.sleep(200);
      }
      Thread.sleep(5_000);
    }
  }

  @Test
  @Order(2)
  void noSecretIsInAnyLogOrAnswerOfTheSuite() throws IOException {
    List<Path> searched = new ArrayList<>();
    List<String> found = new ArrayList<>();
    for (Path file : files()) {
      String text = Files.readString(file, StandardCharsets.ISO_8859_1);
      searched.add(file);
      SECRETS.forEach(
          (secret, what) -> {
            if (text.contains(secret)) {
              found.add(what + " in " + TARGET.relativize(file));
            }
          });
    }
    System.out.println(
        "SecretsIT: searched " + searched.size() + " files for " + SECRETS.size() + " secrets");
    Path serverLogs = Path.of(System.getProperty("it.server.log")).toAbsolutePath();
    assertTrue(
        searched.stream().anyMatch(f -> f.toAbsolutePath().startsWith(serverLogs)),
        "the test server's logs were searched: " + searched);
    assertTrue(
        searched.stream().anyMatch(f -> f.toString().endsWith("-output.txt")),
        "the tests' output was searched");
    assertTrue(
        searched.stream().anyMatch(f -> f.getFileName().toString().startsWith("answers-")),
        "the suite's answers were kept");
    assertEquals(List.of(), found);
  }

  /**
   * The logs and answers: the Arquillian server's logs, the console output of every server the
   * suite started itself, the tests' own output, and the answers they got.
   */
  private static List<Path> files() throws IOException {
    List<Path> roots = new ArrayList<>();
    roots.add(Path.of(System.getProperty("it.server.log")));
    roots.add(TARGET.resolve("failsafe-reports"));
    roots.add(Path.of(System.getProperty("it.answers", "target/it-answers")));
    try (Stream<Path> dirs = Files.list(TARGET)) {
      dirs.filter(d -> Files.isDirectory(d) && d.getFileName().toString().endsWith("-" + SERVER))
          .forEach(roots::add);
    }
    List<Path> files = new ArrayList<>();
    for (Path root : roots) {
      if (!Files.isDirectory(root)) {
        continue;
      }
      try (Stream<Path> walk = Files.walk(root)) {
        walk.filter(Files::isRegularFile)
            .filter(
                f ->
                    f.toString().matches(".*\\.(log|txt|out)$")
                        || f.toString().matches(".*\\.log\\.\\d.*"))
            .filter(f -> !f.getFileName().toString().contains("SecretsIT"))
            .forEach(files::add);
      }
    }
    return files;
  }
}
