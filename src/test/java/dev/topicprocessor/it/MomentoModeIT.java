package dev.topicprocessor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.topicprocessor.localmomento.LocalMomento;
import dev.topicprocessor.localmomento.LocalMomentoConfig;
import dev.topicprocessor.localmomento.RawClient;
import grpc.webhook.WebhookGrpc;
import grpc.webhook._PutWebhookRequest;
import grpc.webhook._RotateWebhookSecretRequest;
import grpc.webhook._Webhook;
import grpc.webhook._WebhookDestination;
import grpc.webhook._WebhookId;
import io.grpc.ManagedChannel;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The processor in Momento mode, configured exactly as for the service, against Local Momento
 * standing in for it: a v2 API key with {@code MOMENTO_ENDPOINT}, Local Momento started with that
 * key ({@code --api-key}) and endpoint on port 443, the endpoint's names in {@code /etc/hosts} and
 * its certificate in a trust store given to the server's JVM, all set up by this test alone (as
 * root, which port 443 and the hosts file need; CI runs as root). What an operator would check: a
 * subscription route works, a webhook route that names its webhook works without {@code
 * MOMENTO_WEBHOOK_SECRETS} while the webhook's secret is rotated under load, and a refused key is
 * said so by health while nothing is acknowledged.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MomentoModeIT {

  private static final String SERVER = System.getProperty("it.server", "tomcat");
  private static final int HTTP_PORT = 18484;
  private static final int PLAINTEXT_PORT = 19880;
  private static final String ENDPOINT = "rehearsal.momento-mode-it.test";
  private static final String CACHE = "default-cache";
  private static final String WEBHOOK = "orders-hook";
  private static final Path WORK = Path.of("target", "momento-mode-" + SERVER).toAbsolutePath();

  /** v2 keys as the Momento console issues them: a JWT whose claims hold "t": "g". */
  private static final String KEY = v2Key("momento-mode-it", "c2lnbmF0dXJlLW9mLXRoZS1rZXk");

  private static final String WRONG_KEY = v2Key("someone-else", "YW5vdGhlci1zaWduYXR1cmU");

  private static final Path HOSTS = Path.of("/etc/hosts");
  private static String hostsBefore;
  private static LocalMomento momento;
  private static ServerProcess server;

  static String v2Key(String id, String signature) {
    Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
    return url.encodeToString(
            "{\"alg\":\"HS512\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
        + "."
        + url.encodeToString(
            ("{\"t\":\"g\",\"jti\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8))
        + "."
        + signature;
  }

  @BeforeAll
  static void start() throws Exception {
    ServerProcess.delete(WORK);
    Files.createDirectories(WORK);
    // 1. The endpoint's names resolve to this machine, as DNS resolves them for the service.
    hostsBefore = Files.readString(HOSTS);
    StringBuilder hosts = new StringBuilder(hostsBefore);
    if (!hostsBefore.endsWith("\n")) {
      hosts.append('\n');
    }
    for (String name : List.of("cache.", "control.", "token.")) {
      hosts.append("127.0.0.1 ").append(name).append(ENDPOINT).append(" # MomentoModeIT\n");
    }
    Files.writeString(HOSTS, hosts.toString());
    // 2. Local Momento as the service: that endpoint, TLS on 443, only that key.
    momento =
        LocalMomento.start(
            LocalMomentoConfig.defaults()
                .withEndpoint(ENDPOINT)
                .withPorts(PLAINTEXT_PORT, 443)
                .withApiKey(KEY)
                .withCaches(List.of(CACHE))
                .withHistorySize(5_000));
    // 3. Its certificate trusted by the server's JVM: the JDK's CAs and it, in a trust store.
    Path trustStore = WORK.resolve("truststore.p12");
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, "changeit".toCharArray());
    KeyStore jdk = KeyStore.getInstance(KeyStore.getDefaultType());
    try (InputStream in =
        Files.newInputStream(Path.of(System.getProperty("java.home"), "lib/security/cacerts"))) {
      jdk.load(in, "changeit".toCharArray());
    }
    for (String alias : java.util.Collections.list(jdk.aliases())) {
      store.setCertificateEntry("jdk-" + alias, jdk.getCertificate(alias));
    }
    store.setCertificateEntry("local-momento", momento.certificate());
    try (OutputStream out = Files.newOutputStream(trustStore)) {
      store.store(out, "changeit".toCharArray());
    }
    // 4. The webhook, registered as in Momento's console, before the processor starts.
    try (Admin admin = new Admin(KEY)) {
      admin.webhooks.putWebhook(
          _PutWebhookRequest.newBuilder()
              .setWebhook(
                  _Webhook.newBuilder()
                      .setWebhookId(
                          _WebhookId.newBuilder().setCacheName(CACHE).setWebhookName(WEBHOOK))
                      .setTopicName("hook in")
                      .setDestination(
                          _WebhookDestination.newBuilder()
                              .setPostUrl(
                                  "http://127.0.0.1:"
                                      + HTTP_PORT
                                      + "/topic-processor/api/webhooks/momento")))
              .build());
    }
    Path routes = WORK.resolve("routes.json");
    Files.writeString(
        routes,
        """
        {"routes": [
          {"name": "subscribed", "cache": "default-cache", "topic": "sub in",
           "source": "subscription", "processors": ["uppercase"], "outbound": ["sub out"]},
          {"name": "hooked", "cache": "default-cache", "topic": "hook in",
           "webhook": "%s", "processors": ["uppercase"], "outbound": ["hook out"]}
        ]}
        """
            .formatted(WEBHOOK));
    Map<String, String> settings = new TreeMap<>();
    settings.put("MOMENTO_ENDPOINT", ENDPOINT);
    settings.put("TOPIC_PROCESSOR_ROUTES", routes.toString());
    settings.put(
        "TOPIC_PROCESSOR_MANAGED_EXECUTOR", "java:jboss/ee/concurrency/executor/topic-processor");
    server =
        new ServerProcess(
            SERVER,
            WORK.resolve("server"),
            HTTP_PORT,
            settings,
            List.of(
                "-Xmx512m",
                "-Djavax.net.ssl.trustStore=" + trustStore,
                "-Djavax.net.ssl.trustStorePassword=changeit"));
    server.withoutEnvironment("MOMENTO_WEBHOOK_SECRETS"); // none from the shell that runs the build
    server.environment("MOMENTO_API_KEY", KEY);
    server.start();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (server != null) {
        server.close();
      }
      if (momento != null) {
        momento.close();
      }
    } finally {
      if (hostsBefore != null) {
        Files.writeString(HOSTS, hostsBefore);
      }
    }
  }

  @Test
  @Order(1)
  void aSubscriptionRouteTurnsHelloIntoHelloInCapitals() throws Exception {
    Http http = new Http(server.url().toURL());
    JsonNode health = awaitKey(http, "accepted");
    assertEquals("MOMENTO", health.path("mode").asText(), health.toString());
    assertEquals("cache." + ENDPOINT, health.path("momento").path("endpoint").asText());
    http.awaitConnected("sub in", Duration.ofSeconds(60));
    try (ResumingSubscriber out = new ResumingSubscriber(PLAINTEXT_PORT, KEY, CACHE, "sub out");
        Admin admin = new Admin(KEY)) {
      out.awaitLive();
      RawClient.publishText(admin.channel, CACHE, "sub in", "hello", Duration.ofSeconds(10));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!out.counts().containsKey("HELLO") && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertEquals(Map.of("HELLO", 1), out.counts());
    }
  }

  @Test
  @Order(2)
  void aNamedWebhooksSecretRotatedUnderLoadLosesNothing() throws Exception {
    Http http = new Http(server.url().toURL());
    double refusedBefore =
        http.metric("topic_processor_events_rejected_total{reason=\"signature-invalid\"}");
    int perSecond = 20;
    int seconds = 30;
    List<String> texts = new ArrayList<>();
    String rotatedAt = null;
    try (ResumingSubscriber out = new ResumingSubscriber(PLAINTEXT_PORT, KEY, CACHE, "hook out");
        Admin admin = new Admin(KEY)) {
      out.awaitLive();
      long start = System.nanoTime();
      for (int i = 0; i < perSecond * seconds; i++) {
        long due = start + i * 1_000_000_000L / perSecond;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        if (i == perSecond * 10) { // after 10 s: RotateWebhookSecret, at once, no overlap
          admin.webhooks.rotateWebhookSecret(
              _RotateWebhookSecretRequest.newBuilder()
                  .setWebhookId(_WebhookId.newBuilder().setCacheName(CACHE).setWebhookName(WEBHOOK))
                  .build());
          rotatedAt = "message " + i;
        }
        String text = String.format(Locale.ROOT, "order-%04d", i);
        texts.add(text);
        RawClient.publishText(admin.channel, CACHE, "hook in", text, Duration.ofSeconds(10));
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      List<String> missing = missing(texts, out);
      while (!missing.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(250);
        missing = missing(texts, out);
      }
      double refused =
          http.metric("topic_processor_events_rejected_total{reason=\"signature-invalid\"}")
              - refusedBefore;
      System.out.printf(
          "MomentoModeIT (%s): %d messages at %d/s by webhook, secret rotated at %s; processed %d,"
              + " answered 401: %.0f, webhook deliveries Momento counted as failed: %s%n",
          SERVER,
          texts.size(),
          perSecond,
          rotatedAt,
          texts.size() - missing.size(),
          refused,
          momento.stats());
      assertEquals(List.of(), missing, "every message processed, the rotation included");
      assertEquals(0.0, refused, "no delivery answered 401: Momento would have dropped it");
    }
  }

  @Test
  @Order(3)
  void aRefusedKeyIsSaidByHealthAndNothingIsAcknowledged() throws Exception {
    server.kill(); // the key is changed as an operator would: stop, set it, start
    server.environment("MOMENTO_API_KEY", WRONG_KEY);
    server.start();
    Http http = new Http(server.url().toURL());
    JsonNode health = awaitKey(http, "refused");
    assertTrue(
        health.path("momento").path("detail").asText().startsWith("UNAUTHENTICATED"),
        health.toString());
    double received = http.metric("topic_processor_events_received_total");
    try (Admin admin = new Admin(KEY)) {
      for (int i = 0; i < 10; i++) {
        RawClient.publishText(
            admin.channel, CACHE, "hook in", "while refused " + i, Duration.ofSeconds(10));
        RawClient.publishText(
            admin.channel, CACHE, "sub in", "while refused " + i, Duration.ofSeconds(10));
      }
    }
    Thread.sleep(5_000); // deliveries and the subscription's retries
    assertEquals(
        received,
        http.metric("topic_processor_events_received_total"),
        "nothing acknowledged: without an accepted key the webhook's secret is unknown (401) and"
            + " the subscription is refused");
    JsonNode subscription = http.subscription("sub in");
    assertTrue(
        !subscription.path("connected").asBoolean()
            && subscription.path("lastError").asText().startsWith("UNAUTHENTICATED"),
        subscription.toString());
  }

  private static List<String> missing(List<String> texts, ResumingSubscriber out) {
    Map<String, Integer> counts = out.counts();
    return texts.stream().filter(t -> !counts.containsKey(t.toUpperCase(Locale.ROOT))).toList();
  }

  private static JsonNode awaitKey(Http http, String key) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    JsonNode health = Http.json(http.get("api/health"));
    while (!key.equals(health.path("momento").path("key").asText())
        && System.nanoTime() < deadline) {
      Thread.sleep(500);
      health = Http.json(http.get("api/health"));
    }
    assertEquals(key, health.path("momento").path("key").asText(), health.toString());
    return health;
  }

  /** The calls an operator makes in Momento's console, over Local Momento's plaintext port. */
  private static final class Admin implements AutoCloseable {
    final ManagedChannel channel;
    final WebhookGrpc.WebhookBlockingStub webhooks;

    Admin(String key) {
      channel = LocalMomentoProcess.plaintextChannel(PLAINTEXT_PORT, key);
      webhooks = WebhookGrpc.newBlockingStub(channel);
    }

    @Override
    public void close() throws InterruptedException {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
