package dev.topicprocessor.sink;

/**
 * One output on its way to one destination.
 *
 * @param outputId stable across retries and replays of the same output: {@code
 *     route:index:destination} within its event, prefixed with the event's key
 * @param text the output as the route's last step left it
 */
public record Delivery(String outputId, String text) {}
