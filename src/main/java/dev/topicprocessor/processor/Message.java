package dev.topicprocessor.processor;

/**
 * A message on its way through a route: its current text and the event it came from.
 *
 * @param text the text as the previous step left it (the event's text for the first step)
 * @param source where the event came from, unchanged by the steps
 */
public record Message(String text, Origin source) {}
