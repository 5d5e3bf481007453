package dev.topicprocessor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topicprocessor.localmomento.LocalMomento;
import dev.topicprocessor.localmomento.SdkSubscriber;
import io.grpc.Status;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import momento.sdk.TopicClient;
import momento.sdk.responses.topic.TopicPublishResponse;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole flow on Tomcat: a message published with the real TopicClient to Local Momento, its
 * webhook delivered to the processor, processed and published to the outbound topics.
 */
@ExtendWith(LocalMomentoForTests.class)
@ExtendWith(ArquillianExtension.class)
class EndToEndIT {

  private static final Duration WAIT = Duration.ofSeconds(15);

  @Deployment(testable = false)
  static WebArchive war() {
    return Deployments.packagedWar();
  }

  @ArquillianResource URL base;

  private static TopicClient client() {
    return LocalMomentoForTests.client();
  }

  private static void publish(String topic, String text) {
    TopicPublishResponse response = client().publish("default-cache", topic, text).join();
    assertInstanceOf(TopicPublishResponse.Success.class, response, response::toString);
  }

  private void awaitMetric(String sample, double atLeast) throws Exception {
    Http http = new Http(base);
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (http.metric(sample) < atLeast && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertEquals(atLeast, http.metric(sample), sample);
  }

  @Test
  void helloOnTopicOneArrivesUppercasedOnTopicTwo() throws Exception {
    LocalMomento momento = LocalMomentoForTests.momento();
    long delivered = momento.stats().webhooks().delivered();
    try (SdkSubscriber subscriber = SdkSubscriber.subscribe(client(), "default-cache", "topic 2")) {
      publish("topic 1", "hello");
      assertEquals(List.of("HELLO"), subscriber.next(1, WAIT));
    }
    // The sender counts a delivery once it has read the answer, which can be after "HELLO" arrived.
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (momento.stats().webhooks().delivered() <= delivered && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(momento.stats().webhooks().delivered() > delivered, "it came through a webhook");
  }

  @Test
  void fanOutReachesEveryOutboundTopic() throws Exception {
    try (SdkSubscriber a = SdkSubscriber.subscribe(client(), "default-cache", "fan a");
        SdkSubscriber b = SdkSubscriber.subscribe(client(), "default-cache", "fan b");
        SdkSubscriber c = SdkSubscriber.subscribe(client(), "other-cache", "fan c")) {
      publish("fan in", "spread");
      assertEquals(List.of("SPREAD"), a.next(1, WAIT));
      assertEquals(List.of("SPREAD"), b.next(1, WAIT));
      assertEquals(List.of("SPREAD"), c.next(1, WAIT));
    }
  }

  @Test
  void aRetriedEventRepublishesOnlyWhatFailed() throws Exception {
    LocalMomento momento = LocalMomentoForTests.momento();
    try (SdkSubscriber a = SdkSubscriber.subscribe(client(), "default-cache", "fan a");
        SdkSubscriber b = SdkSubscriber.subscribe(client(), "default-cache", "fan b");
        SdkSubscriber c = SdkSubscriber.subscribe(client(), "other-cache", "fan c")) {
      // "fan b" fails all 3 attempts of the first processing; the event is processed again later.
      momento.failPublishes("default-cache", "fan b", Status.UNAVAILABLE, 3);
      publish("fan in", "partly");
      assertEquals(List.of("PARTLY"), b.next(1, WAIT));
      assertEquals(List.of("PARTLY"), a.next(1, WAIT));
      assertEquals(List.of("PARTLY"), c.next(1, WAIT));
      assertNull(a.texts.poll(1, TimeUnit.SECONDS), "published to fan a once");
      assertNull(c.texts.poll(100, TimeUnit.MILLISECONDS), "published to fan c once");
    }
  }

  @Test
  void processorsFilterAndReshapeInOrder() throws Exception {
    try (SdkSubscriber paid = SdkSubscriber.subscribe(client(), "default-cache", "paid orders")) {
      publish("orders", "{\"id\": 8, \"status\": \"open\", \"amount\": 3}");
      publish("orders", "{\"id\": 7, \"status\": \"paid\", \"amount\": 12.5}");
      assertEquals(List.of("{\"order\":7,\"total\":12.5}"), paid.next(1, WAIT));
      assertNull(paid.texts.poll(500, TimeUnit.MILLISECONDS), "the open order was filtered out");
    }
  }

  @Test
  void aFailingPublishIsRetriedThenRetriedAgainFromTheJournalUntilItGetsThrough() throws Exception {
    Http http = new Http(base);
    LocalMomento momento = LocalMomentoForTests.momento();
    double retries = http.metric("topic_processor_publish_retries_total");
    String eventRetries = "topic_processor_events_retries_total{reason=\"server-unavailable\"}";
    double retriedEvents = http.metric(eventRetries);
    double deadLetters = http.metric("topic_processor_dead_letters");
    try (SdkSubscriber out = SdkSubscriber.subscribe(client(), "default-cache", "flaky out")) {
      // 3 attempts per processing here: the first processing fails, the event goes back to the
      // journal, and the second processing gets through on its third attempt.
      momento.failPublishes("default-cache", "flaky out", Status.UNAVAILABLE, 5);
      publish("flaky in", "arrives on the second processing");
      assertEquals(List.of("arrives on the second processing"), out.next(1, WAIT));
      assertEquals(retriedEvents + 1, http.metric(eventRetries));
      assertEquals(retries + 4, http.metric("topic_processor_publish_retries_total"));
      assertEquals(deadLetters, http.metric("topic_processor_dead_letters"));
    }
  }
}
