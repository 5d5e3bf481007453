package dev.topicprocessor.routing;

import dev.topicprocessor.processor.Processor;
import dev.topicprocessor.sink.Destination;
import java.util.List;

/**
 * Events published to {@code topic} of {@code cache}, coming in by {@code source}, run through
 * {@code steps} in order, and every resulting message is delivered to each of {@code outbound}; or,
 * when the route aggregates, counted into its windows, whose results are delivered there.
 *
 * @param aggregation the route's last step, {@code aggregate}; null when it has none
 * @param webhook the name of the Momento webhook that delivers a webhook route's events, whose
 *     secret the processor reads from Momento; null when the route names none
 */
public record Route(
    String name,
    String cache,
    String topic,
    Source source,
    List<Step> steps,
    List<Destination> outbound,
    Aggregation aggregation,
    String webhook) {

  public Route {
    steps = List.copyOf(steps);
    outbound = List.copyOf(outbound);
  }

  /** A route that names no webhook. */
  public Route(
      String name,
      String cache,
      String topic,
      Source source,
      List<Step> steps,
      List<Destination> outbound,
      Aggregation aggregation) {
    this(name, cache, topic, source, steps, outbound, aggregation, null);
  }

  /** A route that does not aggregate. */
  public Route(
      String name,
      String cache,
      String topic,
      Source source,
      List<Step> steps,
      List<Destination> outbound) {
    this(name, cache, topic, source, steps, outbound, null);
  }

  /** Where the route's steps deliver: its windows when it aggregates, else its outbound. */
  public List<Destination> stepTargets() {
    return aggregation == null ? outbound : List.of(aggregation);
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
