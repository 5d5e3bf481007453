package dev.topicprocessor.sink.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topicprocessor.config.Settings;
import dev.topicprocessor.localmomento.LocalMomento;
import dev.topicprocessor.localmomento.LocalMomentoConfig;
import dev.topicprocessor.localmomento.SdkSubscriber;
import dev.topicprocessor.localmomento.client.LocalMomentoConnection;
import dev.topicprocessor.metrics.ProcessorMetrics;
import dev.topicprocessor.routing.Route;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import momento.sdk.TopicClient;
import momento.sdk.config.TopicConfigurations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The publisher with a real TopicClient against Local Momento, which injects the failures. */
class PublisherTest {

  private static LocalMomento momento;
  private static LocalMomentoConnection connection;
  private static TopicClient client;
  private static Publisher cut;
  private static ProcessorMetrics metrics;

  @BeforeAll
  static void start() throws Exception {
    momento =
        LocalMomento.start(
            LocalMomentoConfig.ephemeral().withEndpoint("publisher-test.momento.localhost"));
    connection = momento.connection();
    client = connection.topicClient(TopicConfigurations.Laptop.latest());
    Map<String, String> settings =
        Map.of(
            "TOPIC_PROCESSOR_PUBLISH_MAX_ATTEMPTS", "3",
            "TOPIC_PROCESSOR_PUBLISH_INITIAL_BACKOFF_MS", "10",
            "TOPIC_PROCESSOR_PUBLISH_MAX_BACKOFF_MS", "50");
    metrics = new ProcessorMetrics();
    cut = new Publisher();
    cut.client = client;
    cut.settings = new Settings(settings::get, name -> null, name -> null);
    cut.metrics = metrics;
    cut.start();
  }

  @AfterAll
  static void stop() {
    cut.stop();
    client.close();
    connection.close();
    momento.close();
  }

  private static PublishResult publish(String topic, String text) {
    return cut.publish(
            new Route.Destination("default-cache", topic), text, System.currentTimeMillis())
        .orTimeout(30, java.util.concurrent.TimeUnit.SECONDS)
        .join();
  }

  @Test
  void publishesAtOnceWhenMomentoAnswers() throws Exception {
    try (SdkSubscriber subscriber = SdkSubscriber.subscribe(client, "default-cache", "ok")) {
      PublishResult.Published result =
          assertInstanceOf(PublishResult.Published.class, publish("ok", "hello"));
      assertEquals(1, result.attempts());
      assertEquals(List.of("hello"), subscriber.next(1, Duration.ofSeconds(10)));
    }
  }

  @Test
  void retriesTransientErrorsUntilOneGetsThrough() throws Exception {
    momento.failPublishes("default-cache", "flaky", Status.UNAVAILABLE, 2);
    try (SdkSubscriber subscriber = SdkSubscriber.subscribe(client, "default-cache", "flaky")) {
      PublishResult.Published result =
          assertInstanceOf(PublishResult.Published.class, publish("flaky", "third time"));
      assertEquals(3, result.attempts());
      assertEquals(List.of("third time"), subscriber.next(1, Duration.ofSeconds(10)));
    }
  }

  @Test
  void givesUpAfterTheLastAttemptAndSaysWhy() {
    momento.failPublishes("default-cache", "down", Status.UNAVAILABLE, 10);
    PublishResult.Failed result =
        assertInstanceOf(PublishResult.Failed.class, publish("down", "x"));
    assertEquals(3, result.attempts());
    assertEquals("server-unavailable", result.reason());
    assertTrue(result.retriable());
  }

  @Test
  void permanentErrorsAreNotRetried() {
    PublishResult.Failed result =
        assertInstanceOf(
            PublishResult.Failed.class,
            cut.publish(new Route.Destination("no-such-cache", "t"), "x", 0).join());
    assertEquals(1, result.attempts());
    assertEquals("not-found-error", result.reason());
    assertFalse(result.retriable());
  }

  @Test
  void aMessageOverFourKilobytesIsNeverSent() {
    PublishResult.Failed result =
        assertInstanceOf(PublishResult.Failed.class, publish("big", "é".repeat(2049)));
    assertEquals("too-large", result.reason());
    assertEquals(0, result.attempts());
    assertFalse(result.retriable());
  }
}
