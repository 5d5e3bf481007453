package dev.topicprocessor.routing;

import dev.topicprocessor.processor.Processor;
import dev.topicprocessor.sink.Destination;
import java.util.List;

/**
 * Events published to {@code topic} of {@code cache}, coming in by {@code source}, run through
 * {@code steps} in order, and every resulting message is delivered to each of {@code outbound}.
 */
public record Route(
    String name,
    String cache,
    String topic,
    Source source,
    List<Step> steps,
    List<Destination> outbound) {

  public Route {
    steps = List.copyOf(steps);
    outbound = List.copyOf(outbound);
  }

  /** A route whose events come by webhook. */
  public Route(
      String name, String cache, String topic, List<Step> steps, List<Destination> outbound) {
    this(name, cache, topic, Source.WEBHOOK, steps, outbound);
  }

  /** How a route's events come in. */
  public enum Source {
    /** Momento POSTs each message to the processor (what Momento delivered until 2025). */
    WEBHOOK,
    /** The processor keeps a subscription to the topic (what Momento recommends now). */
    SUBSCRIPTION;

    /** The name in the routes file. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public boolean matches(String eventCache, String eventTopic) {
    return cache.equals(eventCache) && topic.equals(eventTopic);
  }

  /** A named processor configured for this route. */
  public record Step(String processor, Processor.Step step) {}
}
