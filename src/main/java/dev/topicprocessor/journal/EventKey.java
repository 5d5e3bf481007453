package dev.topicprocessor.journal;

import dev.topicprocessor.momento.WebhookEvent;

/**
 * What makes an event the same event: Momento delivers a message of a topic with its sequence
 * number and publish time, so a second delivery with all four equal is a duplicate.
 */
public record EventKey(String cache, String topic, long sequenceNumber, long publishTimestamp) {

  public static EventKey of(WebhookEvent event) {
    return new EventKey(
        event.cache(), event.topic(), event.topicSequenceNumber(), event.publishTimestamp());
  }

  @Override
  public String toString() {
    return cache + "/" + topic + " #" + sequenceNumber;
  }
}
