package dev.topicprocessor.localmomento;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import grpc.cache_client.pubsub._TopicItem;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A topic left alone is forgotten and starts again from 1 on a new page, as Momento's do. */
class LocalMomentoTopicResetTest {

  @Test
  void anIdleTopicRestartsItsSequenceOnAGreaterPage() throws Exception {
    LocalMomentoConfig config =
        LocalMomentoConfig.ephemeral()
            .withHeartbeatInterval(Duration.ofMillis(100))
            .withTopicIdleTimeout(Duration.ofMillis(500));
    try (LocalMomento momento = LocalMomento.start(config);
        RawClient client = new RawClient(momento.plaintextPort())) {
      _TopicItem before = publishAndRead(client, "a");
      assertEquals(1, before.getTopicSequenceNumber());
      assertEquals(2, publishAndRead(client, "b").getTopicSequenceNumber());

      Thread.sleep(1_500); // no subscriber, no publish: the topic is forgotten

      _TopicItem after = publishAndRead(client, "c");
      assertEquals(1, after.getTopicSequenceNumber());
      assertTrue(after.getSequencePage() > before.getSequencePage());
    }
  }

  /** Subscribes, publishes one text and returns it as the subscriber saw it. */
  private static _TopicItem publishAndRead(RawClient client, String text) throws Exception {
    RawClient.Stream stream = client.subscribe("default-cache", "quiet", 0, 0);
    stream.awaitHeartbeat();
    client.publish("default-cache", "quiet", text);
    _TopicItem item = stream.nextContent(Duration.ofSeconds(10)).getItem();
    stream.cancel();
    assertEquals(text, item.getValue().getText());
    return item;
  }
}
