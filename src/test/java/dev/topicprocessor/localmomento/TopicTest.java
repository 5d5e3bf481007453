package dev.topicprocessor.localmomento;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import grpc.cache_client.pubsub._TopicValue;
import org.junit.jupiter.api.Test;

class TopicTest {

  @Test
  void keepsExactlyTheNewestMessagesWhateverTheHistorySize() {
    for (int historySize = 1; historySize <= 70; historySize++) {
      for (int published = 0; published <= 150; published += 7) {
        Topic cut = new Topic("t", 1, historySize);
        for (int i = 1; i <= published; i++) {
          cut.publish(_TopicValue.newBuilder().setText("m" + i).build(), "");
        }
        long oldest = Math.max(1, published - historySize + 1);
        String at = "history " + historySize + ", published " + published;
        assertEquals(oldest, cut.oldest(), at);
        assertEquals(published, cut.latest(), at);
        for (long seq = oldest; seq <= published; seq++) {
          Topic.Read.Item item = assertInstanceOf(Topic.Read.Item.class, cut.read(seq), at);
          assertEquals("m" + seq, item.item().getItem().getValue().getText(), at);
          assertEquals(seq, item.item().getItem().getTopicSequenceNumber(), at);
        }
        if (oldest > 1) {
          assertEquals(new Topic.Read.Gone(oldest), cut.read(oldest - 1), at);
        }
        assertInstanceOf(Topic.Read.NotYet.class, cut.read(published + 1), at);
      }
    }
  }
}
