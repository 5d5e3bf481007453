package dev.topicprocessor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topicprocessor.config.Settings;
import dev.topicprocessor.event.InboundEvent;
import dev.topicprocessor.localmomento.LocalMomento;
import dev.topicprocessor.localmomento.LocalMomentoConfig;
import dev.topicprocessor.localmomento.SdkSubscriber;
import dev.topicprocessor.localmomento.client.LocalMomentoConnection;
import dev.topicprocessor.metrics.ProcessorMetrics;
import dev.topicprocessor.sink.SinkResult;
import dev.topicprocessor.sink.Sinks;
import dev.topicprocessor.sink.topic.TopicDestination;
import dev.topicprocessor.sink.topic.TopicSink;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import momento.sdk.TopicClient;
import momento.sdk.config.TopicConfigurations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Delivery through the topic sink, with a real TopicClient against Local Momento, which injects the
 * failures.
 */
class OutputDeliveryTest {

  private static LocalMomento momento;
  private static LocalMomentoConnection connection;
  private static TopicClient client;
  private static OutputDelivery cut;
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
    TopicSink sink = new TopicSink(client);
    cut = new OutputDelivery();
    cut.sinks = new Sinks(List.of(sink));
    cut.settings = new Settings(settings::get, name -> null, name -> null);
    cut.metrics = metrics;
    cut.guards = new DestinationGuards(cut.settings, metrics);
    cut.start();
  }

  @AfterAll
  static void stop() {
    cut.stop();
    client.close();
    connection.close();
    momento.close();
  }

  private static OutputDelivery.Result publish(String topic, String text) {
    return publish(new TopicDestination("default-cache", topic), text);
  }

  private static OutputDelivery.Result publish(TopicDestination destination, String text) {
    InboundEvent event =
        InboundEvent.fromWebhook(
            "default-cache", "in", 1, System.currentTimeMillis(), 0, "", "source text");
    return cut.deliver(
            new RouteRunner.Output(
                "route:0:0",
                RouteRunner.deliveryId(event.key(), "route:0:0"),
                "route",
                destination,
                text),
            event)
        .orTimeout(30, java.util.concurrent.TimeUnit.SECONDS)
        .join();
  }

  private static SinkResult.Failed failure(OutputDelivery.Result result) {
    assertFalse(result.delivered(), "delivered");
    return assertInstanceOf(SinkResult.Failed.class, result.last());
  }

  @Test
  void publishesAtOnceWhenMomentoAnswers() throws Exception {
    try (SdkSubscriber subscriber = SdkSubscriber.subscribe(client, "default-cache", "ok")) {
      OutputDelivery.Result result = publish("ok", "hello");
      assertTrue(result.delivered());
      assertEquals(1, result.attempts());
      assertEquals(List.of("hello"), subscriber.next(1, Duration.ofSeconds(10)));
    }
  }

  @Test
  void retriesTransientErrorsUntilOneGetsThrough() throws Exception {
    momento.failPublishes("default-cache", "flaky", Status.UNAVAILABLE, 2);
    try (SdkSubscriber subscriber = SdkSubscriber.subscribe(client, "default-cache", "flaky")) {
      OutputDelivery.Result result = publish("flaky", "third time");
      assertTrue(result.delivered());
      assertEquals(3, result.attempts());
      assertEquals(List.of("third time"), subscriber.next(1, Duration.ofSeconds(10)));
    }
  }

  @Test
  void givesUpAfterTheLastAttemptAndSaysWhy() {
    momento.failPublishes("default-cache", "down", Status.UNAVAILABLE, 10);
    OutputDelivery.Result result = publish("down", "x");
    assertEquals(3, result.attempts());
    assertEquals("server-unavailable", failure(result).reason());
    assertTrue(failure(result).retriable());
  }

  @Test
  void permanentErrorsAreNotRetried() {
    OutputDelivery.Result result = publish(new TopicDestination("no-such-cache", "t"), "x");
    assertEquals(1, result.attempts());
    assertEquals("not-found-error", failure(result).reason());
    assertFalse(failure(result).retriable());
  }

  @Test
  void aMessageOverFourKilobytesIsNeverSent() {
    OutputDelivery.Result result = publish("big", "é".repeat(2049));
    assertEquals("too-large", failure(result).reason());
    assertEquals(0, result.attempts());
    assertFalse(failure(result).retriable());
  }
}
