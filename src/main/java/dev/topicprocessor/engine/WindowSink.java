package dev.topicprocessor.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.topicprocessor.journal.Journal;
import dev.topicprocessor.journal.JournalStore;
import dev.topicprocessor.routing.Aggregation;
import dev.topicprocessor.sink.Delivery;
import dev.topicprocessor.sink.Destination;
import dev.topicprocessor.sink.Sink;
import dev.topicprocessor.sink.SinkResult;
import dev.topicprocessor.support.Json;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Counts an aggregating route's messages into their windows, in the journal's database: what the
 * route's steps make is "delivered" here, once per message (its output id is the row's unique key,
 * so a message processed again is not counted twice). {@link Windows} emits the results.
 */
@ApplicationScoped
public class WindowSink implements Sink {

  /** The most of a message a window keeps (its fields' values, as JSON). */
  static final int MAX_VALUES_CHARS = 8000;

  private static final ObjectMapper JSON = Json.mapper();

  @Inject Journal journal;

  public WindowSink() {}

  /** A sink counting into this journal, outside CDI (tests). */
  public WindowSink(Journal journal) {
    this.journal = journal;
  }

  @Override
  public boolean accepts(Destination destination) {
    return destination instanceof Aggregation;
  }

  @Override
  public CompletableFuture<SinkResult> deliver(Destination destination, Delivery delivery) {
    Aggregation aggregation = (Aggregation) destination;
    JsonNode message = null;
    if (aggregation.key() != null || !aggregation.fields().isEmpty()) {
      try {
        message = JSON.readTree(delivery.text());
      } catch (IOException e) {
        message = null;
      }
    }
    String key;
    if (aggregation.key() == null) {
      key = delivery.from().cache() + "/" + delivery.from().topic();
    } else {
      JsonNode value = message == null ? null : message.at(aggregation.key());
      if (value == null || value.isMissingNode() || value.isNull()) {
        return CompletableFuture.completedFuture(
            new SinkResult.Refused(
                "no-key",
                "the message has no key at " + aggregation.key() + " to aggregate it by"));
      }
      key = value.isTextual() ? value.textValue() : value.toString();
    }
    ObjectNode values = JSON.createObjectNode();
    if (message != null) {
      for (Map.Entry<String, Aggregation.Field> field : aggregation.fields().entrySet()) {
        JsonNode value = message.at(field.getValue().pointer());
        if (!value.isMissingNode()) {
          values.set(field.getKey(), value);
        }
      }
    }
    String text = values.toString();
    if (text.length() > MAX_VALUES_CHARS) {
      return CompletableFuture.completedFuture(
          new SinkResult.Refused(
              "too-large",
              "the message's fields take "
                  + text.length()
                  + " characters; at most "
                  + MAX_VALUES_CHARS));
    }
    long sent = sentAt(delivery.from());
    JournalStore.WindowItem item =
        new JournalStore.WindowItem(
            0, aggregation.route(), aggregation.windowStart(sent), key, delivery.id(), text);
    return journal
        .addToWindow(item)
        .handle(
            (added, error) ->
                error == null
                    ? new SinkResult.Delivered() // added now, or counted before
                    : new SinkResult.Failed("journal", String.valueOf(error.getMessage()), true));
  }

  /** When a message was sent: what places it in a window, the same when it is processed again. */
  static long sentAt(Delivery.From from) {
    if (from.eventTimestamp() > 0) {
      return from.eventTimestamp();
    }
    return from.publishTimestamp() > 0 ? from.publishTimestamp() : System.currentTimeMillis();
  }
}
