package dev.topicprocessor.localmomento;

import grpc.cache_client.pubsub._SubscriptionItem;
import grpc.cache_client.pubsub._TopicItem;
import grpc.cache_client.pubsub._TopicValue;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One topic of one cache: its sequence numbers, its sequence page, a bounded history for
 * subscribers that resume, and its live subscriptions.
 *
 * <p>Sequence numbers start at 1 on a sequence page chosen when the topic comes into being. When
 * the topic is forgotten after a quiet spell, the next use starts again from 1 on a greater page,
 * which is how Momento tells subscribers that a topic was reset.
 */
final class Topic {

  /** What a subscription finds at its cursor. */
  sealed interface Read permits Read.Item, Read.Gone, Read.NotYet {
    /** The message at the cursor. */
    record Item(_SubscriptionItem item) implements Read {}

    /** The cursor is older than the history; the oldest kept message has this number. */
    record Gone(long oldest) implements Read {}

    /** Nothing published at or after the cursor yet. */
    record NotYet() implements Read {}
  }

  private static final Read NOT_YET = new Read.NotYet();

  private static final int INITIAL_CAPACITY = 16;

  private final String name;
  private final long page;
  private final int historySize;
  // A ring indexed by sequence number; it grows on demand up to historySize, so a quiet topic
  // costs little. Until it is full, nothing has been overwritten.
  private _SubscriptionItem[] history;
  private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();

  private long nextSequence = 1;
  private long lastActivityNanos = System.nanoTime();
  private boolean retired;

  Topic(String name, long page, int historySize) {
    this.name = name;
    this.page = page;
    this.historySize = historySize;
    this.history = new _SubscriptionItem[Math.min(historySize, INITIAL_CAPACITY)];
  }

  String name() {
    return name;
  }

  long page() {
    return page;
  }

  /**
   * Appends a message and wakes the subscriptions.
   *
   * @return the message's sequence number, or -1 when this topic was retired meanwhile and the
   *     caller must look the topic up again
   */
  long publish(_TopicValue value, String publisherId) {
    long sequence;
    synchronized (this) {
      if (retired) {
        return -1;
      }
      sequence = nextSequence++;
      if (sequence > history.length && history.length < historySize) {
        grow();
      }
      history[slot(sequence)] =
          _SubscriptionItem.newBuilder()
              .setItem(
                  _TopicItem.newBuilder()
                      .setTopicSequenceNumber(sequence)
                      .setSequencePage(page)
                      .setPublisherId(publisherId)
                      .setValue(value))
              .build();
      lastActivityNanos = System.nanoTime();
    }
    for (Subscription subscription : subscriptions) {
      subscription.signal();
    }
    return sequence;
  }

  synchronized Read read(long sequence) {
    if (sequence >= nextSequence) {
      return NOT_YET;
    }
    long oldest = oldest();
    if (sequence < oldest) {
      return new Read.Gone(oldest);
    }
    return new Read.Item(history[slot(sequence)]);
  }

  /** The sequence number of the newest message, 0 when none was published. */
  synchronized long latest() {
    return nextSequence - 1;
  }

  /** The sequence number of the oldest message still kept. */
  synchronized long oldest() {
    return Math.max(1, nextSequence - historySize);
  }

  private void grow() {
    _SubscriptionItem[] larger =
        new _SubscriptionItem[(int) Math.min((long) history.length * 2, historySize)];
    for (long sequence = 1; sequence < nextSequence - 1; sequence++) {
      larger[(int) (sequence % larger.length)] = history[slot(sequence)];
    }
    history = larger;
  }

  /**
   * Attaches a subscription.
   *
   * @return false when this topic was retired meanwhile and the caller must look it up again
   */
  synchronized boolean attach(Subscription subscription) {
    if (retired) {
      return false;
    }
    subscriptions.add(subscription);
    lastActivityNanos = System.nanoTime();
    return true;
  }

  void detach(Subscription subscription) {
    if (subscriptions.remove(subscription)) {
      synchronized (this) {
        lastActivityNanos = System.nanoTime();
      }
    }
  }

  List<Subscription> subscriptions() {
    return List.copyOf(subscriptions);
  }

  int subscriptionCount() {
    return subscriptions.size();
  }

  /** Retires the topic when nobody has used it for {@code idleNanos}; true when it did. */
  synchronized boolean retireIfIdle(long idleNanos) {
    if (!retired && subscriptions.isEmpty() && System.nanoTime() - lastActivityNanos >= idleNanos) {
      retired = true;
    }
    return retired;
  }

  private int slot(long sequence) {
    return (int) (sequence % history.length);
  }
}
