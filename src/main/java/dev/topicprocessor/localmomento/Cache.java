package dev.topicprocessor.localmomento;

import grpc.cache_client.pubsub._TopicValue;
import io.grpc.Status;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/** A cache: the namespace that holds topics and webhooks. */
final class Cache {

  /** Sequence pages only grow, also across topics that were forgotten and come back. */
  private static final AtomicLong LAST_PAGE = new AtomicLong();

  private final String name;
  private final int historySize;
  private final ConcurrentMap<String, Topic> topics = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Webhook> webhooks = new ConcurrentHashMap<>();

  Cache(String name, int historySize) {
    this.name = name;
    this.historySize = historySize;
  }

  String name() {
    return name;
  }

  /** Publishes to a topic, creating it on first use; returns the topic and sequence number. */
  Published publish(String topicName, _TopicValue value, String publisherId) {
    while (true) {
      Topic topic = topics.computeIfAbsent(topicName, this::newTopic);
      long sequence = topic.publish(value, publisherId);
      if (sequence > 0) {
        return new Published(topic, sequence);
      }
      topics.remove(topicName, topic); // retired meanwhile: take a fresh one
    }
  }

  /** Attaches a subscription to a topic, creating the topic on first use. */
  Topic attach(String topicName, java.util.function.Function<Topic, Subscription> subscriber) {
    while (true) {
      Topic topic = topics.computeIfAbsent(topicName, this::newTopic);
      Subscription subscription = subscriber.apply(topic);
      if (topic.attach(subscription)) {
        subscription.signal();
        return topic;
      }
      topics.remove(topicName, topic);
    }
  }

  Collection<Topic> topics() {
    return topics.values();
  }

  /** Forgets topics nobody used for {@code idleNanos}. */
  void forgetIdleTopics(long idleNanos) {
    topics.values().removeIf(topic -> topic.retireIfIdle(idleNanos));
  }

  /** Ends every subscription with this status, for example when the cache is deleted. */
  void endSubscriptions(Status status) {
    for (Topic topic : topics.values()) {
      for (Subscription subscription : topic.subscriptions()) {
        subscription.end(status);
      }
    }
  }

  ConcurrentMap<String, Webhook> webhooks() {
    return webhooks;
  }

  List<Webhook> webhooksFor(String topicName) {
    if (webhooks.isEmpty()) {
      return List.of();
    }
    return webhooks.values().stream().filter(w -> w.topic().equals(topicName)).toList();
  }

  private Topic newTopic(String topicName) {
    long page = LAST_PAGE.updateAndGet(last -> Math.max(last + 1, System.currentTimeMillis()));
    return new Topic(topicName, page, historySize);
  }

  record Published(Topic topic, long sequence) {}
}
