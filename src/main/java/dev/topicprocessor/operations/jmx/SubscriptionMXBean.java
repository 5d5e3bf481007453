package dev.topicprocessor.operations.jmx;

/**
 * The subscription of a route that takes its events by subscription: {@code
 * dev.topicprocessor:type=Subscription,context=…,name=<route>}.
 */
public interface SubscriptionMXBean {

  /** Its cache and topic, {@code cache/topic}. */
  String getTopic();

  /** The node that holds the topic's subscription, or an empty string while none does. */
  String getHolder();

  /** Whether this node holds it and its stream is open. */
  boolean isConnected();

  /** Whether it waits for room in the journal before it reads on. */
  boolean isWaitingForRoom();

  /** The last position taken in on this node, {@code page/sequence number} ({@code 0/0}: none). */
  String getPosition();

  /** Items taken in on this node since the start. */
  long getTaken();

  /** Discontinuities seen: items the topic no longer had, or a reset of the topic. */
  long getGaps();

  /** Items known to be gone. */
  long getMissed();

  /** Streams opened again after an error, an end or a silence. */
  long getReconnects();

  /** What ended the last stream, or an empty string. */
  String getLastError();
}
