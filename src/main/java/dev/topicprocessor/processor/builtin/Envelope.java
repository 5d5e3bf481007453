package dev.topicprocessor.processor.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.topicprocessor.processor.Origin;
import dev.topicprocessor.processor.Processor;
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
      Origin origin = message.source();
      ObjectNode envelope = Options.JSON.createObjectNode();
      ObjectNode source = envelope.putObject("source");
      source.put("cache", origin.cache());
      source.put("topic", origin.topic());
      source.put("topic_sequence_number", origin.topicSequenceNumber());
      source.put("publish_timestamp", origin.publishTimestamp());
      source.put("event_timestamp", origin.eventTimestamp());
      source.put("token_id", origin.tokenId());
      if (json) {
        envelope.set("data", Options.parse(message.text()));
      } else {
        envelope.put("text", message.text());
      }
      return List.of(Options.write(envelope));
    };
  }
}
