package dev.topicprocessor.sink;

/**
 * Where a route's outputs go: one entry of its {@code outbound} list. Each kind of destination has
 * a {@link Sink} that delivers to it; {@link #toString()} names it in logs, metrics and the
 * console.
 */
public interface Destination {}
