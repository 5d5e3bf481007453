package dev.topicprocessor.localmomento;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topicprocessor.localmomento.client.LocalMomentoConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import momento.sdk.TopicClient;
import momento.sdk.config.TopicConfigurations;
import momento.sdk.exceptions.MomentoErrorCode;
import momento.sdk.responses.topic.TopicPublishResponse;
import momento.sdk.responses.topic.TopicSubscribeResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Local Momento driven by the real Momento Java SDK 1.21.0 TopicClient, over TLS. */
class LocalMomentoSdkIT {

  private static final String CACHE = LocalMomentoConfig.DEFAULT_CACHE;
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static LocalMomento momento;
  private static LocalMomentoConnection connection;
  private static TopicClient client;

  @BeforeAll
  static void start() throws Exception {
    momento =
        LocalMomento.start(
            LocalMomentoConfig.ephemeral().withEndpoint("sdk-test.momento.localhost"));
    connection = momento.connection();
    client = connection.topicClient(TopicConfigurations.Laptop.latest());
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (connection != null) {
      connection.close();
    }
    if (momento != null) {
      momento.close();
    }
  }

  private static String topic() {
    return "topic-" + UUID.randomUUID();
  }

  private static void publish(String topic, String text) {
    TopicPublishResponse response = client.publish(CACHE, topic, text).join();
    assertInstanceOf(TopicPublishResponse.Success.class, response, () -> response.toString());
  }

  @Test
  void publishedTextReachesASubscriber() throws Exception {
    String topic = topic();
    try (SdkSubscriber subscriber = SdkSubscriber.subscribe(client, CACHE, topic)) {
      publish(topic, "hello");
      publish(topic, "wörld ✓");
      assertEquals(List.of("hello", "wörld ✓"), subscriber.next(2, WAIT));
      assertTrue(subscriber.heartbeats.get() >= 1, "the stream starts with a heartbeat");
    }
  }

  @Test
  void everySubscriberSeesEveryMessageInOrder() throws Exception {
    String topic = topic();
    List<SdkSubscriber> subscribers = new ArrayList<>();
    try {
      for (int i = 0; i < 10; i++) {
        subscribers.add(SdkSubscriber.subscribe(client, CACHE, topic));
      }
      List<String> sent = new ArrayList<>();
      for (int i = 0; i < 25; i++) {
        sent.add("message " + i);
        publish(topic, "message " + i);
      }
      for (SdkSubscriber subscriber : subscribers) {
        assertEquals(sent, subscriber.next(sent.size(), WAIT));
      }
    } finally {
      subscribers.forEach(SdkSubscriber::close);
    }
  }

  @Test
  void aDroppedSubscriptionResumesWhereItLeftOff() throws Exception {
    String topic = topic();
    try (SdkSubscriber subscriber = SdkSubscriber.subscribe(client, CACHE, topic)) {
      publish(topic, "a");
      publish(topic, "b");
      assertEquals(List.of("a", "b"), subscriber.next(2, WAIT));

      momento.dropSubscriptions();
      // The SDK waits 5 s before it resubscribes: these are published while it is away.
      publish(topic, "c");
      publish(topic, "d");

      assertEquals(List.of("c", "d"), subscriber.next(2, Duration.ofSeconds(20)));
      assertEquals(1, subscriber.connectionLost.get());
      publish(topic, "e");
      assertEquals(List.of("e"), subscriber.next(1, WAIT));
      assertTrue(subscriber.texts.isEmpty(), "nothing delivered twice: " + subscriber.texts);
      assertEquals(List.of(), subscriber.discontinuities);
    }
  }

  @Test
  void anUnknownCacheIsNotFound() {
    TopicPublishResponse publish = client.publish("no-such-cache", "t", "x").join();
    assertEquals(
        MomentoErrorCode.NOT_FOUND_ERROR,
        assertInstanceOf(TopicPublishResponse.Error.class, publish).getErrorCode());

    TopicSubscribeResponse subscribe =
        client.subscribe("no-such-cache", "t", new SdkSubscriber()).join();
    assertEquals(
        MomentoErrorCode.NOT_FOUND_ERROR,
        assertInstanceOf(TopicSubscribeResponse.Error.class, subscribe).getErrorCode());
  }

  @Test
  void aMessageOverFourKilobytesIsRefusedAsALimit() throws Exception {
    String topic = topic();
    try (SdkSubscriber subscriber = SdkSubscriber.subscribe(client, CACHE, topic)) {
      TopicPublishResponse tooBig = client.publish(CACHE, topic, "x".repeat(4097)).join();
      TopicPublishResponse.Error error = assertInstanceOf(TopicPublishResponse.Error.class, tooBig);
      assertEquals(MomentoErrorCode.LIMIT_EXCEEDED_ERROR, error.getErrorCode());
      assertTrue(
          error.getMessage().toLowerCase().contains("request size"), () -> error.getMessage());

      publish(topic, "y".repeat(4096));
      assertEquals(4096, subscriber.next(1, WAIT).get(0).length());
    }
  }

  @Test
  void anIdleSubscriptionStaysAliveForMoreThanAMinute() throws Exception {
    String topic = topic();
    try (SdkSubscriber subscriber = SdkSubscriber.subscribe(client, CACHE, topic)) {
      Thread.sleep(Duration.ofSeconds(65).toMillis());
      publish(topic, "still there?");
      assertEquals(List.of("still there?"), subscriber.next(1, WAIT));
      assertEquals(0, subscriber.connectionLost.get(), "the stream never broke");
      assertTrue(
          subscriber.heartbeats.get() >= 10, "heartbeats kept coming: " + subscriber.heartbeats);
    }
  }
}
