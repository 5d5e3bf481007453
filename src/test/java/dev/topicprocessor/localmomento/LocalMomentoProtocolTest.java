package dev.topicprocessor.localmomento;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import grpc.cache_client.pubsub._PublishRequest;
import grpc.cache_client.pubsub._SubscriptionItem;
import grpc.cache_client.pubsub._TopicItem;
import grpc.cache_client.pubsub._TopicValue;
import grpc.control_client._Cache;
import grpc.control_client._CreateCacheRequest;
import grpc.control_client._DeleteCacheRequest;
import grpc.control_client._ListCachesRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Local Momento's wire protocol, through plain gRPC stubs over the plaintext listener. */
class LocalMomentoProtocolTest {

  private static final String CACHE = "default-cache";
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final int HISTORY = 8;

  private static LocalMomento momento;
  private RawClient client;

  @BeforeAll
  static void start() throws Exception {
    momento =
        LocalMomento.start(
            LocalMomentoConfig.ephemeral()
                .withHistorySize(HISTORY)
                .withHeartbeatInterval(Duration.ofMillis(300)));
  }

  @AfterAll
  static void stop() {
    momento.close();
  }

  @BeforeEach
  void connect() {
    client = new RawClient(momento.plaintextPort());
  }

  @AfterEach
  void disconnect() throws InterruptedException {
    client.close();
  }

  private static String topic() {
    return "topic-" + UUID.randomUUID();
  }

  private static _TopicItem item(_SubscriptionItem item) {
    assertEquals(_SubscriptionItem.KindCase.ITEM, item.getKindCase(), item::toString);
    return item.getItem();
  }

  @Test
  void aSubscriptionStartsWithAHeartbeatAndNumbersMessagesFromOne() throws Exception {
    String topic = topic();
    RawClient.Stream stream = client.subscribe(CACHE, topic, 0, 0);
    stream.awaitHeartbeat();
    client.publish(CACHE, topic, "one");
    client.publish(CACHE, topic, "two");

    _TopicItem first = item(stream.nextContent(WAIT));
    _TopicItem second = item(stream.nextContent(WAIT));
    assertEquals(1, first.getTopicSequenceNumber());
    assertEquals("one", first.getValue().getText());
    assertEquals(2, second.getTopicSequenceNumber());
    assertEquals("two", second.getValue().getText());
    assertTrue(first.getSequencePage() > 0, "a topic has a sequence page");
    assertEquals(first.getSequencePage(), second.getSequencePage());
    stream.cancel();
  }

  @Test
  void heartbeatsKeepComingOnAnIdleStream() throws Exception {
    RawClient.Stream stream = client.subscribe(CACHE, topic(), 0, 0);
    for (int i = 0; i < 3; i++) {
      stream.awaitHeartbeat();
    }
    stream.cancel();
  }

  @Test
  void binaryValuesTravelUnchanged() throws Exception {
    String topic = topic();
    RawClient.Stream stream = client.subscribe(CACHE, topic, 0, 0);
    stream.awaitHeartbeat();
    ByteString bytes = ByteString.copyFrom(new byte[] {0, (byte) 0xff, 7});
    client.pubsub.publish(
        _PublishRequest.newBuilder()
            .setCacheName(CACHE)
            .setTopic(topic)
            .setValue(_TopicValue.newBuilder().setBinary(bytes))
            .build());
    assertEquals(bytes, item(stream.nextContent(WAIT)).getValue().getBinary());
    stream.cancel();
  }

  @Test
  void aNewSubscriptionSeesOnlyNewMessages() throws Exception {
    String topic = topic();
    client.publish(CACHE, topic, "before");
    RawClient.Stream stream = client.subscribe(CACHE, topic, 0, 0);
    stream.awaitHeartbeat();
    client.publish(CACHE, topic, "after");
    _TopicItem item = item(stream.nextContent(WAIT));
    assertEquals("after", item.getValue().getText());
    assertEquals(2, item.getTopicSequenceNumber());
    stream.cancel();
  }

  @Test
  void resumingWithinTheHistoryReplaysFromThatNumber() throws Exception {
    String topic = topic();
    RawClient.Stream first = client.subscribe(CACHE, topic, 0, 0);
    first.awaitHeartbeat();
    for (int i = 1; i <= 5; i++) {
      client.publish(CACHE, topic, "m" + i);
    }
    long page = item(first.nextContent(WAIT)).getSequencePage();
    first.cancel();

    RawClient.Stream resumed = client.subscribe(CACHE, topic, 3, page);
    resumed.awaitHeartbeat();
    for (int i = 3; i <= 5; i++) {
      _TopicItem item = item(resumed.nextContent(WAIT));
      assertEquals(i, item.getTopicSequenceNumber());
      assertEquals("m" + i, item.getValue().getText());
    }
    resumed.cancel();
  }

  @Test
  void resumingBeyondTheHistoryReportsADiscontinuity() throws Exception {
    String topic = topic();
    for (int i = 1; i <= 20; i++) {
      client.publish(CACHE, topic, "m" + i);
    }
    RawClient.Stream probe = client.subscribe(CACHE, topic, 20, 0);
    probe.awaitHeartbeat();
    long page = item(probe.nextContent(WAIT)).getSequencePage();
    probe.cancel();

    RawClient.Stream stream = client.subscribe(CACHE, topic, 3, page);
    stream.awaitHeartbeat();
    _SubscriptionItem gap = stream.nextContent(WAIT);
    assertEquals(_SubscriptionItem.KindCase.DISCONTINUITY, gap.getKindCase(), gap::toString);
    long oldest = 20 - HISTORY + 1;
    assertEquals(2, gap.getDiscontinuity().getLastTopicSequence());
    assertEquals(oldest - 1, gap.getDiscontinuity().getNewTopicSequence());
    assertEquals(page, gap.getDiscontinuity().getNewSequencePage());
    for (long i = oldest; i <= 20; i++) {
      assertEquals(i, item(stream.nextContent(WAIT)).getTopicSequenceNumber());
    }
    stream.cancel();
  }

  @Test
  void resumingOnAnOldSequencePageReportsTheReset() throws Exception {
    String topic = topic();
    client.publish(CACHE, topic, "m1");
    client.publish(CACHE, topic, "m2");
    RawClient.Stream stream = client.subscribe(CACHE, topic, 40, 1);
    stream.awaitHeartbeat();
    _SubscriptionItem gap = stream.nextContent(WAIT);
    assertEquals(_SubscriptionItem.KindCase.DISCONTINUITY, gap.getKindCase(), gap::toString);
    assertEquals(39, gap.getDiscontinuity().getLastTopicSequence());
    assertNotEquals(1, gap.getDiscontinuity().getNewSequencePage());
    assertEquals("m1", item(stream.nextContent(WAIT)).getValue().getText());
    assertEquals("m2", item(stream.nextContent(WAIT)).getValue().getText());
    stream.cancel();
  }

  @Test
  void anUnknownCacheIsNotFound() throws Exception {
    StatusRuntimeException publish =
        assertThrows(StatusRuntimeException.class, () -> client.publish("nope", "t", "x"));
    assertEquals(Status.Code.NOT_FOUND, publish.getStatus().getCode());
    assertTrue(publish.getStatus().getDescription().contains("nope"));

    RawClient.Stream stream = client.subscribe("nope", "t", 0, 0);
    assertEquals(Status.Code.NOT_FOUND, stream.awaitEnd(WAIT).getCode());
  }

  @Test
  void anOversizePayloadIsRefusedWithTheLimitNamed() {
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class, () -> client.publish(CACHE, topic(), "é".repeat(2049)));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
    assertEquals("request_size_limit_exceeded", e.getTrailers().get(Requests.ERROR_CAUSE));
    assertTrue(e.getStatus().getDescription().contains("4098 bytes"), e::getMessage);
  }

  @Test
  void injectedFaultsFailTheNextPublishesThenStop() throws Exception {
    String topic = topic();
    momento.failPublishes(CACHE, topic, Status.UNAVAILABLE, 2);
    for (int i = 0; i < 2; i++) {
      StatusRuntimeException e =
          assertThrows(StatusRuntimeException.class, () -> client.publish(CACHE, topic, "x"));
      assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
    }
    RawClient.Stream stream = client.subscribe(CACHE, topic, 0, 0);
    stream.awaitHeartbeat();
    client.publish(CACHE, topic, "third");
    _TopicItem item = item(stream.nextContent(WAIT));
    assertEquals("third", item.getValue().getText());
    assertEquals(1, item.getTopicSequenceNumber(), "failed publishes take no sequence number");
    stream.cancel();
  }

  @Test
  void emptyNamesAndValuesAreInvalidArguments() {
    assertEquals(
        Status.Code.INVALID_ARGUMENT,
        assertThrows(StatusRuntimeException.class, () -> client.publish(CACHE, "", "x"))
            .getStatus()
            .getCode());
    assertEquals(
        Status.Code.INVALID_ARGUMENT,
        assertThrows(StatusRuntimeException.class, () -> client.publish("", "t", "x"))
            .getStatus()
            .getCode());
    StatusRuntimeException noValue =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                client.pubsub.publish(
                    _PublishRequest.newBuilder().setCacheName(CACHE).setTopic("t").build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, noValue.getStatus().getCode());
  }

  @Test
  void anEmptyApiKeyIsAcceptedAsMomentoLocalProviderSendsIt() throws Exception {
    try (RawClient local = new RawClient(momento.plaintextPort(), "")) {
      local.publish(CACHE, topic(), "x");
    }
  }

  @Test
  void aCallWithoutAnApiKeyIsUnauthenticated() throws Exception {
    try (RawClient anonymous = new RawClient(momento.plaintextPort(), null)) {
      StatusRuntimeException e =
          assertThrows(StatusRuntimeException.class, () -> anonymous.publish(CACHE, "t", "x"));
      assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
    }
  }

  @Test
  void aCancelledStreamIsForgotten() throws Exception {
    String topic = topic();
    awaitNoSubscriptions();
    RawClient.Stream stream = client.subscribe(CACHE, topic, 0, 0);
    stream.awaitHeartbeat();
    assertEquals(1, momento.stats().activeSubscriptions());
    stream.cancel();
    awaitNoSubscriptions();
    client.publish(CACHE, topic, "nobody listens"); // still accepted
  }

  @Test
  void cachesAreCreatedListedAndDeleted() throws Exception {
    String name = "cache-" + UUID.randomUUID();
    client.control.createCache(_CreateCacheRequest.newBuilder().setCacheName(name).build());
    assertTrue(
        client.control.listCaches(_ListCachesRequest.getDefaultInstance()).getCacheList().stream()
            .map(_Cache::getCacheName)
            .anyMatch(name::equals));
    StatusRuntimeException again =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                client.control.createCache(
                    _CreateCacheRequest.newBuilder().setCacheName(name).build()));
    assertEquals(Status.Code.ALREADY_EXISTS, again.getStatus().getCode());

    RawClient.Stream stream = client.subscribe(name, "t", 0, 0);
    stream.awaitHeartbeat();
    client.control.deleteCache(_DeleteCacheRequest.newBuilder().setCacheName(name).build());
    assertEquals(Status.Code.NOT_FOUND, stream.awaitEnd(WAIT).getCode());
    assertFalse(momento.hasCache(name));

    StatusRuntimeException missing =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                client.control.deleteCache(
                    _DeleteCacheRequest.newBuilder().setCacheName(name).build()));
    assertEquals(Status.Code.NOT_FOUND, missing.getStatus().getCode());
  }

  @Test
  void theConfiguredCachesExistFromTheStart() {
    assertTrue(
        client.control.listCaches(_ListCachesRequest.getDefaultInstance()).getCacheList().stream()
            .anyMatch(
                c ->
                    c.getCacheName().equals(CACHE)
                        && c.getTopicLimits().getMaxPublishMessageSizeKb() == 4));
  }

  private static void awaitNoSubscriptions() throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (momento.stats().activeSubscriptions() != 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(0, momento.stats().activeSubscriptions());
  }
}
