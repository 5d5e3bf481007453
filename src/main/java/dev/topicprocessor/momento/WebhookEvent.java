package dev.topicprocessor.momento;

/**
 * The event Momento POSTs to a webhook for each message published to its topic. Timestamps are
 * milliseconds since the epoch; {@code tokenId} is empty when the publisher's key has none.
 */
public record WebhookEvent(
    String cache,
    String topic,
    long eventTimestamp,
    long publishTimestamp,
    long topicSequenceNumber,
    String tokenId,
    String text) {

  public static final String CACHE = "cache";
  public static final String TOPIC = "topic";
  public static final String EVENT_TIMESTAMP = "event_timestamp";
  public static final String PUBLISH_TIMESTAMP = "publish_timestamp";
  public static final String TOPIC_SEQUENCE_NUMBER = "topic_sequence_number";
  public static final String TOKEN_ID = "token_id";
  public static final String TEXT = "text";
}
