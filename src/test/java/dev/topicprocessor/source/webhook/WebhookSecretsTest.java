package dev.topicprocessor.source.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WebhookSecretsTest {

  private static final WebhookSecrets.WebhookId HOOK =
      new WebhookSecrets.WebhookId("default-cache", "orders");

  /** Momento's side: each webhook's current secret, and how often it was asked. */
  private final Map<WebhookSecrets.WebhookId, String> momento = new ConcurrentHashMap<>();

  private final AtomicInteger reads = new AtomicInteger();
  private final AtomicLong clock = new AtomicLong(1_000_000_000L);

  private WebhookSecrets secrets(List<String> configured) {
    WebhookSecrets secrets = new WebhookSecrets(configured, clock::get);
    secrets.readFrom(
        webhook -> {
          reads.incrementAndGet();
          return Optional.ofNullable(momento.get(webhook));
        });
    return secrets;
  }

  private void advance(Duration by) {
    clock.addAndGet(by.toNanos());
  }

  @Test
  void aNamedWebhooksSecretIsReadFromMomentoBesideTheConfiguredOnes() {
    momento.put(HOOK, "s1");
    WebhookSecrets secrets = secrets(List.of("configured"));
    assertTrue(secrets.track(HOOK, Optional.empty()));
    assertEquals(List.of("configured", "s1"), secrets.all());
  }

  @Test
  void aWebhookMomentoDoesNotHaveIsSaid() {
    WebhookSecrets secrets = secrets(List.of());
    assertFalse(secrets.track(HOOK, Optional.empty()));
    assertTrue(secrets.isEmpty());
  }

  @Test
  void aRotationIsReadAtTheNextRefreshAndTheReplacedSecretStaysAMinute() {
    momento.put(HOOK, "s1");
    WebhookSecrets secrets = secrets(List.of());
    secrets.track(HOOK, Optional.empty());
    List<String> before = secrets.all();
    momento.put(HOOK, "s2"); // RotateWebhookSecret: at once, no overlap
    advance(Duration.ofSeconds(2));
    secrets.refresh();
    List<String> after = secrets.all();
    assertEquals(List.of("s2", "s1"), after, "the new one, and the old for deliveries in flight");
    assertTrue(after != before, "a changed set is a new list, so a caller knows to check again");
    advance(WebhookSecrets.PREVIOUS_KEPT.plusSeconds(1));
    assertEquals(List.of("s2"), secrets.all());
  }

  @Test
  void momentoIsAskedAtMostOnceASecondPerWebhookHoweverManyRequestsMatchNothing() {
    momento.put(HOOK, "s1");
    WebhookSecrets secrets = secrets(List.of());
    secrets.track(HOOK, Optional.empty());
    assertEquals(1, reads.get());
    for (int i = 0; i < 100; i++) {
      secrets.refresh(); // forged requests, all within the same second
      advance(Duration.ofMillis(5));
    }
    assertEquals(1, reads.get(), "no read within a second of the last");
    advance(Duration.ofSeconds(1));
    secrets.refresh();
    assertEquals(2, reads.get());
  }

  @Test
  void requestsThatComeTogetherShareOneRead() throws Exception {
    WebhookSecrets secrets = new WebhookSecrets(List.of(), System::nanoTime);
    java.util.concurrent.CountDownLatch reading = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    secrets.track(HOOK, Optional.of("s0")); // known from registration: not read yet
    secrets.readFrom(
        webhook -> {
          reads.incrementAndGet();
          reading.countDown();
          try {
            release.await(10, TimeUnit.SECONDS); // a slow answer from Momento
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return Optional.of("s2");
        });
    ExecutorService requests = Executors.newFixedThreadPool(20);
    try {
      List<Future<?>> done = new ArrayList<>();
      done.add(requests.submit(secrets::refresh));
      reading.await(10, TimeUnit.SECONDS);
      for (int i = 0; i < 19; i++) { // they come while the first one's read is under way
        done.add(requests.submit(secrets::refresh));
      }
      Thread.sleep(200);
      release.countDown();
      for (Future<?> request : done) {
        request.get(10, TimeUnit.SECONDS);
      }
    } finally {
      requests.shutdownNow();
    }
    assertEquals(1, reads.get(), "one read for 20 requests that came during it");
    assertTrue(secrets.all().contains("s2"));
  }

  @Test
  void aFailedReadKeepsTheSecretsInForceAndIsTriedAgainLater() {
    momento.put(HOOK, "s1");
    WebhookSecrets secrets = secrets(List.of());
    secrets.track(HOOK, Optional.empty());
    secrets.readFrom(
        webhook -> {
          throw new IllegalStateException("UNAVAILABLE");
        });
    advance(Duration.ofSeconds(2));
    secrets.refresh();
    assertEquals(List.of("s1"), secrets.all());
  }

  @Test
  void aSecretKnownFromRegistrationIsNotReadAgainAndAnUntrackedWebhookIsForgotten() {
    WebhookSecrets secrets = secrets(List.of());
    secrets.track(HOOK, Optional.of("registered"));
    assertEquals(0, reads.get());
    assertEquals(List.of("registered"), secrets.all());
    secrets.untrack(HOOK);
    assertTrue(secrets.isEmpty());
  }

  @Test
  void aReloadReadsTheSecretsFileAndTheJndiEntryAgain(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path file = dir.resolve("secrets");
    java.nio.file.Files.writeString(file, "# Momento webhook secrets\nfile-1\nfile-2, file-3\n");
    Map<String, String> jndi = new ConcurrentHashMap<>(Map.of("MOMENTO_WEBHOOK_SECRETS", "jndi-1"));
    dev.topicprocessor.config.Settings settings =
        new dev.topicprocessor.config.Settings(
            jndi::get, name -> null, Map.of("MOMENTO_WEBHOOK_SECRETS_FILE", file.toString())::get);
    WebhookSecrets secrets = new WebhookSecrets(settings);
    assertEquals(List.of("jndi-1", "file-1", "file-2", "file-3"), secrets.all());
    java.nio.file.Files.writeString(file, "file-4\n");
    jndi.put("MOMENTO_WEBHOOK_SECRETS", "jndi-2");
    assertEquals(List.of("jndi-1", "file-1", "file-2", "file-3"), secrets.all(), "until a reload");
    assertEquals(2, secrets.reloadConfigured());
    assertEquals(List.of("jndi-2", "file-4"), secrets.all());
    java.nio.file.Files.delete(file);
    secrets.reloadConfigured();
    assertEquals(List.of("jndi-2", "file-4"), secrets.all(), "an unreadable file keeps them");
  }

  @Test
  void anUnreadableSecretsFileStopsTheDeploymentNamingTheSetting() {
    dev.topicprocessor.config.Settings settings =
        new dev.topicprocessor.config.Settings(
            name -> null,
            name -> null,
            Map.of("MOMENTO_WEBHOOK_SECRETS_FILE", "/nonexistent/secrets")::get);
    dev.topicprocessor.config.InvalidSettingException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            dev.topicprocessor.config.InvalidSettingException.class,
            () -> new WebhookSecrets(settings));
    assertTrue(e.getMessage().startsWith("setting MOMENTO_WEBHOOK_SECRETS_FILE"), e.getMessage());
  }
}
