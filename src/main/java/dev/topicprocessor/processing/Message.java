package dev.topicprocessor.processing;

import dev.topicprocessor.momento.WebhookEvent;

/**
 * A message on its way through a route: its current text and the event it came from.
 *
 * @param text the text as the previous step left it (the event's text for the first step)
 * @param source the webhook event, unchanged
 */
public record Message(String text, WebhookEvent source) {}
