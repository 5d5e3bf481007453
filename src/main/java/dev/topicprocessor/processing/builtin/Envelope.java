package dev.topicprocessor.processing.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.topicprocessor.momento.WebhookEvent;
import dev.topicprocessor.processing.Processor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.util.List;

/**
 * Wraps the message with where it came from: {@code {"source": {cache, topic,
 * topic_sequence_number, publish_timestamp, event_timestamp, token_id}, "text": ...}}. Options:
 * {@code json}: true to embed the message as JSON under {@code "data"} instead of as text (the
 * message must then be JSON).
 */
@ApplicationScoped
@Named("envelope")
public class Envelope implements Processor {

  @Override
  public Step configure(JsonNode options) {
    Options.allowOnly(options, "json");
    boolean json = Options.flag(options, "json");
    return message -> {
      WebhookEvent event = message.source();
      ObjectNode envelope = Options.JSON.createObjectNode();
      ObjectNode source = envelope.putObject("source");
      source.put(WebhookEvent.CACHE, event.cache());
      source.put(WebhookEvent.TOPIC, event.topic());
      source.put(WebhookEvent.TOPIC_SEQUENCE_NUMBER, event.topicSequenceNumber());
      source.put(WebhookEvent.PUBLISH_TIMESTAMP, event.publishTimestamp());
      source.put(WebhookEvent.EVENT_TIMESTAMP, event.eventTimestamp());
      source.put(WebhookEvent.TOKEN_ID, event.tokenId());
      if (json) {
        envelope.set("data", Options.parse(message.text()));
      } else {
        envelope.put("text", message.text());
      }
      return List.of(Options.write(envelope));
    };
  }
}
