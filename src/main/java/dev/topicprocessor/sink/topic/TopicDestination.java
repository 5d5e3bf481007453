package dev.topicprocessor.sink.topic;

import dev.topicprocessor.sink.Destination;

/** A Momento topic: {@code "topic 2"} or {@code {"cache": ..., "topic": ...}} in a route. */
public record TopicDestination(String cache, String topic) implements Destination {

  @Override
  public String kind() {
    return "topic";
  }

  @Override
  public String toString() {
    return cache + "/" + topic;
  }
}
