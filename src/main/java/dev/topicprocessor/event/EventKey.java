package dev.topicprocessor.event;

/**
 * What makes an event the same event, whichever way it came: its topic, its place in the topic
 * (sequence page and number) and its publish time. A webhook carries no page (0) and its sequence
 * numbers restart after inactivity, so the publish time tells such events apart; a subscription
 * item carries a page and no publish time (0).
 */
public record EventKey(
    String cache, String topic, long sequencePage, long sequenceNumber, long publishTimestamp) {

  @Override
  public String toString() {
    return cache
        + "/"
        + topic
        + " #"
        + sequenceNumber
        + (sequencePage == 0 ? "" : "@" + sequencePage);
  }
}
