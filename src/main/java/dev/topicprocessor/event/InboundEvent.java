package dev.topicprocessor.event;

import java.nio.charset.StandardCharsets;

/**
 * A message taken in from an inbound topic, the same whichever source brought it: this is what the
 * journal keeps and the engine processes.
 *
 * @param sequencePage the topic's sequence page, 0 when the source does not say (webhooks)
 * @param sequenceNumber the message's sequence number in its topic (and page)
 * @param publishTimestamp when it was published (epoch ms), 0 when the source does not say
 *     (subscriptions)
 * @param eventTimestamp when Momento sent it or it was read (epoch ms), 0 when unknown
 * @param tokenId the publisher's token id, empty when it has none
 * @param payload the message's value as bytes (UTF-8 for a text)
 * @param binary whether Momento had it as binary rather than as text
 */
public record InboundEvent(
    Via via,
    String cache,
    String topic,
    long sequencePage,
    long sequenceNumber,
    long publishTimestamp,
    long eventTimestamp,
    String tokenId,
    byte[] payload,
    boolean binary) {

  /** The way an event came in. */
  public enum Via {
    WEBHOOK,
    SUBSCRIPTION,
    /** The results of an aggregating route's window, recorded when the window closed. */
    WINDOW;

    /** The name in the journal, metrics and the processor's {@code Origin}. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Via of(String label) {
      return valueOf(label.toUpperCase(java.util.Locale.ROOT));
    }
  }

  /** An event that Momento delivered to a webhook. */
  public static InboundEvent fromWebhook(
      String cache,
      String topic,
      long sequenceNumber,
      long publishTimestamp,
      long eventTimestamp,
      String tokenId,
      String text) {
    return new InboundEvent(
        Via.WEBHOOK,
        cache,
        topic,
        0,
        sequenceNumber,
        publishTimestamp,
        eventTimestamp,
        tokenId,
        text.getBytes(StandardCharsets.UTF_8),
        false);
  }

  public EventKey key() {
    return new EventKey(cache, topic, sequencePage, sequenceNumber, publishTimestamp);
  }

  /** The payload as text (a binary payload decoded as UTF-8). */
  public String text() {
    return new String(payload, StandardCharsets.UTF_8);
  }
}
