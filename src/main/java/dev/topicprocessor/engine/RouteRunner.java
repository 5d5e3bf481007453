package dev.topicprocessor.engine;

import dev.topicprocessor.event.EventKey;
import dev.topicprocessor.event.InboundEvent;
import dev.topicprocessor.processor.Message;
import dev.topicprocessor.processor.Origin;
import dev.topicprocessor.processor.ProcessingException;
import dev.topicprocessor.routing.Route;
import dev.topicprocessor.sink.Destination;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Runs an event through the steps of its routes and lists what is to be delivered where. Pure: no
 * I/O, no state; a processor that throws fails its own route only.
 */
public final class RouteRunner {

  /**
   * One output for one destination.
   *
   * @param id within its event, stable across attempts: {@code route:index:destination} (what the
   *     journal records as delivered)
   * @param deliveryId stable across attempts and replays, and unique across events: what the
   *     destination sees (see {@link #deliveryId})
   * @param route the route's name
   */
  public record Output(
      String id, String deliveryId, String route, Destination destination, String text) {}

  /**
   * What the routes made of an event.
   *
   * @param outputs what is still to be delivered (outputs delivered before are left out)
   * @param failures routes whose processors failed: failures for good
   */
  public record Run(List<Output> outputs, List<Outcome.Failed> failures) {
    public Run {
      outputs = List.copyOf(outputs);
      failures = List.copyOf(failures);
    }
  }

  private RouteRunner() {}

  /**
   * @param delivered ids of outputs delivered by earlier attempts: not listed again
   */
  public static Run run(List<Route> routes, InboundEvent event, Set<String> delivered) {
    Origin origin = origin(event);
    List<Output> outputs = new ArrayList<>();
    List<Outcome.Failed> failures = new ArrayList<>();
    for (Route route : routes) {
      List<String> texts;
      try {
        texts = steps(route, event.text(), origin);
      } catch (RuntimeException e) {
        failures.add(
            new Outcome.Failed(
                false, "processor-failed", "route " + route.name() + ": " + describe(e), Set.of()));
        continue;
      }
      for (int i = 0; i < texts.size(); i++) {
        for (int d = 0; d < route.outbound().size(); d++) {
          String id = route.name() + ":" + i + ":" + d;
          if (!delivered.contains(id)) {
            outputs.add(
                new Output(
                    id,
                    deliveryId(event.key(), id),
                    route.name(),
                    route.outbound().get(d),
                    texts.get(i)));
          }
        }
      }
    }
    return new Run(outputs, failures);
  }

  /**
   * An output's id for its destination: {@code out_} and 32 hex digits of a SHA-256 over the
   * event's key and the output's place in it. Safe in a header, a column or a message property.
   */
  public static String deliveryId(EventKey key, String outputId) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    String whole =
        String.join(
            "\u0000",
            key.cache(),
            key.topic(),
            Long.toString(key.sequencePage()),
            Long.toString(key.sequenceNumber()),
            Long.toString(key.publishTimestamp()),
            outputId);
    byte[] digest = sha.digest(whole.getBytes(StandardCharsets.UTF_8));
    return "out_" + HexFormat.of().formatHex(digest, 0, 16);
  }

  /** What processors see of the event. */
  public static Origin origin(InboundEvent event) {
    return new Origin(
        event.cache(),
        event.topic(),
        event.sequenceNumber(),
        event.sequencePage(),
        event.publishTimestamp(),
        event.eventTimestamp(),
        event.tokenId(),
        event.via().label());
  }

  private static List<String> steps(Route route, String text, Origin origin) {
    List<Message> messages = List.of(new Message(text, origin));
    for (Route.Step step : route.steps()) {
      List<Message> next = new ArrayList<>();
      for (Message message : messages) {
        List<String> out = step.step().apply(message);
        if (out == null) {
          throw new ProcessingException("processor \"" + step.processor() + "\" returned null");
        }
        for (String each : out) {
          next.add(new Message(each, origin));
        }
      }
      messages = next;
    }
    return messages.stream().map(Message::text).toList();
  }

  private static String describe(RuntimeException e) {
    return e instanceof ProcessingException ? e.getMessage() : e.toString();
  }
}
