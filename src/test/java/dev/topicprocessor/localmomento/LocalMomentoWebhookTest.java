package dev.topicprocessor.localmomento;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.topicprocessor.momento.WebhookSignature;
import grpc.cache_client.pubsub._PublishRequest;
import grpc.cache_client.pubsub._TopicValue;
import grpc.webhook._DeleteWebhookRequest;
import grpc.webhook._GetWebhookSecretRequest;
import grpc.webhook._ListWebhookRequest;
import grpc.webhook._PutWebhookRequest;
import grpc.webhook._RotateWebhookSecretRequest;
import grpc.webhook._Webhook;
import grpc.webhook._WebhookDestination;
import grpc.webhook._WebhookId;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Webhooks registered through the Webhook service and delivered to a local HTTP receiver. */
class LocalMomentoWebhookTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static LocalMomento momento;
  private static WebhookReceiver receiver;
  private RawClient client;
  private String cache;

  @BeforeAll
  static void start() throws Exception {
    momento = LocalMomento.start(LocalMomentoConfig.ephemeral());
    receiver = new WebhookReceiver(Duration.ofSeconds(6));
  }

  @AfterAll
  static void stop() {
    momento.close();
    receiver.close();
  }

  @BeforeEach
  void connect() {
    client = new RawClient(momento.plaintextPort());
    cache = "cache-" + UUID.randomUUID();
    client.control.createCache(
        grpc.control_client._CreateCacheRequest.newBuilder().setCacheName(cache).build());
  }

  @AfterEach
  void disconnect() throws InterruptedException {
    client.close();
  }

  private String put(String name, String topic, String path) {
    return putUrl(name, topic, receiver.url(path).toString());
  }

  private String putUrl(String name, String topic, String url) {
    return client
        .webhooks
        .putWebhook(
            _PutWebhookRequest.newBuilder()
                .setWebhook(
                    _Webhook.newBuilder()
                        .setWebhookId(
                            _WebhookId.newBuilder().setCacheName(cache).setWebhookName(name))
                        .setTopicName(topic)
                        .setDestination(_WebhookDestination.newBuilder().setPostUrl(url)))
                .build())
        .getSecretString();
  }

  private static String hmacSha3(String secret, byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA3-256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA3-256"));
    return HexFormat.of().formatHex(mac.doFinal(body));
  }

  @Test
  void signsLikeMomentoOwnTestVector() {
    byte[] body =
        "{\"text\":\"some text\", \"another_field\": \"another field\" }"
            .getBytes(StandardCharsets.UTF_8);
    assertEquals(
        "b43f72787eb66410ff110295b036ef828e5686af21b414ce092f02c05deea3da",
        WebhookSignature.sign("1234567890", body));
  }

  @Test
  void aPublishIsPostedAsASignedMomentoEvent() throws Exception {
    String secret = put("seed", "topic 1", "/seed");
    long before = System.currentTimeMillis();
    client.publish(cache, "topic 1", "hello \"webhook\" ✓");
    client.publish(cache, "another topic", "not for this webhook");

    WebhookReceiver.Request request = receiver.next("/seed", WAIT);
    assertEquals(hmacSha3(secret, request.body()), request.header("momento-signature"));
    assertEquals(
        "Momento/1.0 (Webhooks; +https://docs.momentohq.com/topics/webhooks)",
        request.header("User-Agent"));
    JsonNode event = JSON.readTree(request.body());
    assertEquals(cache, event.get("cache").asText());
    assertEquals("topic 1", event.get("topic").asText());
    assertEquals("hello \"webhook\" ✓", event.get("text").asText());
    assertEquals(1, event.get("topic_sequence_number").asLong());
    assertEquals("", event.get("token_id").asText());
    long published = event.get("publish_timestamp").asLong();
    assertTrue(published >= before && published <= System.currentTimeMillis(), event::toString);
    assertTrue(event.get("event_timestamp").asLong() >= published, event::toString);
    assertEquals(7, event.size(), event::toString);

    Thread.sleep(300);
    assertNull(receiver.queue("/seed").poll(), "only the subscribed topic is delivered");
  }

  @Test
  void aRotatedSecretSignsTheNextDeliveryAtOnce() throws Exception {
    String old = put("rotating", "t", "/rotating");
    String rotated =
        client
            .webhooks
            .rotateWebhookSecret(
                _RotateWebhookSecretRequest.newBuilder()
                    .setWebhookId(
                        _WebhookId.newBuilder().setCacheName(cache).setWebhookName("rotating"))
                    .build())
            .getSecretString();
    assertNotEquals(old, rotated);
    assertEquals(
        rotated,
        client
            .webhooks
            .getWebhookSecret(
                _GetWebhookSecretRequest.newBuilder()
                    .setCacheName(cache)
                    .setWebhookName("rotating")
                    .build())
            .getSecretString());

    client.publish(cache, "t", "after rotation");
    WebhookReceiver.Request request = receiver.next("/rotating", WAIT);
    assertEquals(hmacSha3(rotated, request.body()), request.header("momento-signature"));
    assertNotEquals(hmacSha3(old, request.body()), request.header("momento-signature"));
  }

  @Test
  void aReceiverAnswering500IsCountedAndNotRetried() throws Exception {
    put("failing", "t", "/status/500");
    var before = momento.stats().webhooks();
    client.publish(cache, "t", "x");
    receiver.next("/status/500", WAIT);
    awaitStats(() -> momento.stats().webhooks().rejected() == before.rejected() + 1);
    Thread.sleep(1_000);
    assertNull(receiver.queue("/status/500").poll(), "one attempt only");
  }

  @Test
  void aReceiverSlowerThanFiveSecondsTimesOutAndIsNotRetried() throws Exception {
    put("slow", "t", "/slow");
    var before = momento.stats().webhooks();
    client.publish(cache, "t", "x");
    receiver.next("/slow", WAIT);
    awaitStats(() -> momento.stats().webhooks().timedOut() == before.timedOut() + 1);
    Thread.sleep(1_500);
    assertNull(receiver.queue("/slow").poll(), "one attempt only");
  }

  @Test
  void anUnreachableReceiverIsCounted() throws Exception {
    var before = momento.stats().webhooks();
    putUrl("gone", "t", "http://127.0.0.1:1/nothing-listens");
    client.publish(cache, "t", "x");
    awaitStats(() -> momento.stats().webhooks().unreachable() == before.unreachable() + 1);
  }

  @Test
  void webhooksAreListedUpdatedAndDeleted() throws Exception {
    String secret = put("w", "t", "/first");
    assertEquals(secret, put("w", "t", "/second"), "an update keeps the secret");
    var listed =
        client.webhooks.listWebhooks(_ListWebhookRequest.newBuilder().setCacheName(cache).build());
    assertEquals(1, listed.getWebhookCount());
    assertEquals(
        receiver.url("/second").toString(), listed.getWebhook(0).getDestination().getPostUrl());

    client.webhooks.deleteWebhook(
        _DeleteWebhookRequest.newBuilder()
            .setWebhookId(_WebhookId.newBuilder().setCacheName(cache).setWebhookName("w"))
            .build());
    assertEquals(
        0,
        client
            .webhooks
            .listWebhooks(_ListWebhookRequest.newBuilder().setCacheName(cache).build())
            .getWebhookCount());
    client.publish(cache, "t", "nobody hooked");
    Thread.sleep(300);
    assertNull(receiver.queue("/second").poll());
  }

  @Test
  void aCacheHoldsAtMostFiveWebhooks() {
    for (int i = 0; i < 5; i++) {
      put("w" + i, "t", "/many");
    }
    StatusRuntimeException e =
        assertThrows(StatusRuntimeException.class, () -> put("w5", "t", "/many"));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
  }

  @Test
  void badRegistrationsAreRefused() {
    for (String url : new String[] {"", "not a url", "ftp://127.0.0.1/x", "/relative"}) {
      assertEquals(
          Status.Code.INVALID_ARGUMENT,
          assertThrows(StatusRuntimeException.class, () -> putUrl("bad", "t", url))
              .getStatus()
              .getCode(),
          url);
    }
    assertEquals(
        Status.Code.INVALID_ARGUMENT,
        assertThrows(StatusRuntimeException.class, () -> put("x".repeat(129), "t", "/x"))
            .getStatus()
            .getCode());
    assertEquals(
        Status.Code.INVALID_ARGUMENT,
        assertThrows(StatusRuntimeException.class, () -> put("empty-topic", "", "/x"))
            .getStatus()
            .getCode());
    StatusRuntimeException unknownCache =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                client.webhooks.getWebhookSecret(
                    _GetWebhookSecretRequest.newBuilder()
                        .setCacheName("no-such-cache")
                        .setWebhookName("w")
                        .build()));
    assertEquals(Status.Code.NOT_FOUND, unknownCache.getStatus().getCode());
    StatusRuntimeException unknownWebhook =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                client.webhooks.getWebhookSecret(
                    _GetWebhookSecretRequest.newBuilder()
                        .setCacheName(cache)
                        .setWebhookName("never-made")
                        .build()));
    assertEquals(Status.Code.NOT_FOUND, unknownWebhook.getStatus().getCode());
  }

  @Test
  void binaryMessagesAreNotDeliveredButCounted() throws Exception {
    put("binary", "bin", "/binary");
    var before = momento.stats().webhooks();
    client.pubsub.publish(
        _PublishRequest.newBuilder()
            .setCacheName(cache)
            .setTopic("bin")
            .setValue(_TopicValue.newBuilder().setBinary(ByteString.copyFromUtf8("raw")))
            .build());
    awaitStats(() -> momento.stats().webhooks().skippedBinary() == before.skippedBinary() + 1);
    assertNull(receiver.queue("/binary").poll(300, java.util.concurrent.TimeUnit.MILLISECONDS));
  }

  private static void awaitStats(Supplier<Boolean> condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!condition.get() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(condition.get(), () -> "stats now " + momento.stats());
  }
}
