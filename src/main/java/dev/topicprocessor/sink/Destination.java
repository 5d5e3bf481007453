package dev.topicprocessor.sink;

/**
 * Where a route's outputs go: one entry of its {@code outbound} list. Each kind of destination has
 * a {@link Sink} that delivers to it. Equal destinations share one circuit breaker and one limit on
 * concurrent deliveries.
 */
public interface Destination {

  /** The kind, as the console and metrics show it: {@code topic}, {@code http}, … */
  String kind();

  /** Names the destination in logs, metrics, health and the console; never contains a secret. */
  @Override
  String toString();
}
