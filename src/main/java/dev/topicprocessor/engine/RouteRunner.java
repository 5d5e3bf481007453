package dev.topicprocessor.engine;

import dev.topicprocessor.event.InboundEvent;
import dev.topicprocessor.processor.Message;
import dev.topicprocessor.processor.Origin;
import dev.topicprocessor.processor.ProcessingException;
import dev.topicprocessor.routing.Route;
import dev.topicprocessor.sink.Destination;
import java.util.ArrayList;
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
   * @param id stable across attempts: {@code route:index:destination}
   */
  public record Output(String id, Destination destination, String text) {}

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
            outputs.add(new Output(id, route.outbound().get(d), texts.get(i)));
          }
        }
      }
    }
    return new Run(outputs, failures);
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
