package dev.topicprocessor.routing;

import dev.topicprocessor.processor.Processor;
import dev.topicprocessor.sink.Destination;
import java.util.List;

/**
 * Events published to {@code topic} of {@code cache} run through {@code steps} in order, and every
 * resulting message is delivered to each of {@code outbound}.
 */
public record Route(
    String name, String cache, String topic, List<Step> steps, List<Destination> outbound) {

  public Route {
    steps = List.copyOf(steps);
    outbound = List.copyOf(outbound);
  }

  public boolean matches(String eventCache, String eventTopic) {
    return cache.equals(eventCache) && topic.equals(eventTopic);
  }

  /** A named processor configured for this route. */
  public record Step(String processor, Processor.Step step) {}
}
