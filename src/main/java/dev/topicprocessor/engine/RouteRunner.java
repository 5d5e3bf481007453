package dev.topicprocessor.engine;

import dev.topicprocessor.event.EventKey;
import dev.topicprocessor.event.InboundEvent;
import dev.topicprocessor.processor.Message;
import dev.topicprocessor.processor.Origin;
import dev.topicprocessor.processor.ProcessingException;
import dev.topicprocessor.processor.Processor;
import dev.topicprocessor.processor.RetriableProcessingException;
import dev.topicprocessor.routing.Route;
import dev.topicprocessor.sink.Destination;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs an event through the steps of its routes and lists what is to be delivered where. No I/O of
 * its own and no state; a processor that fails fails its own route only, for now (retriable) or for
 * good.
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
   * Runs the routes' steps; the future completes (always normally) once every route's last step
   * has.
   *
   * @param delivered ids of outputs delivered by earlier attempts: not listed again
   * @param timeout how long an asynchronous step may take
   */
  public static CompletableFuture<Run> run(
      List<Route> routes, InboundEvent event, Set<String> delivered, Duration timeout) {
    Origin origin = origin(event);
    List<CompletableFuture<Object>> perRoute = new ArrayList<>();
    for (Route route : routes) {
      perRoute.add(
          steps(route, event.text(), origin, timeout)
              .handle((texts, error) -> error == null ? texts : failure(route, error)));
    }
    return CompletableFuture.allOf(perRoute.toArray(CompletableFuture[]::new))
        .thenApply(
            ignored -> {
              List<Output> outputs = new ArrayList<>();
              List<Outcome.Failed> failures = new ArrayList<>();
              for (int r = 0; r < routes.size(); r++) {
                Route route = routes.get(r);
                Object result = perRoute.get(r).join();
                if (result instanceof Outcome.Failed failed) {
                  failures.add(failed);
                  continue;
                }
                @SuppressWarnings("unchecked")
                List<String> texts = (List<String>) result;
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
            });
  }

  /** The routes' steps, none of them asynchronous (tests). */
  public static Run run(List<Route> routes, InboundEvent event, Set<String> delivered) {
    return run(routes, event, delivered, Duration.ofMinutes(1)).join();
  }

  private static Outcome.Failed failure(Route route, Throwable error) {
    Throwable cause = error;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    String where = "route " + route.name() + ": ";
    if (cause instanceof StepTimedOut timedOut) {
      return new Outcome.Failed(true, "processor-timeout", where + timedOut.getMessage(), Set.of());
    }
    boolean retriable = cause instanceof RetriableProcessingException;
    String detail = cause instanceof ProcessingException ? cause.getMessage() : cause.toString();
    return new Outcome.Failed(retriable, "processor-failed", where + detail, Set.of());
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

  private static CompletableFuture<List<String>> steps(
      Route route, String text, Origin origin, Duration timeout) {
    CompletableFuture<List<String>> texts = CompletableFuture.completedFuture(List.of(text));
    for (Route.Step step : route.steps()) {
      texts = texts.thenCompose(each -> step(step, each, origin, timeout));
    }
    return texts;
  }

  /** One step over every message the previous one made, their outputs kept in order. */
  private static CompletableFuture<List<String>> step(
      Route.Step step, List<String> texts, Origin origin, Duration timeout) {
    List<CompletableFuture<List<String>>> outs = new ArrayList<>(texts.size());
    for (String text : texts) {
      outs.add(apply(step, new Message(text, origin), timeout));
    }
    return CompletableFuture.allOf(outs.toArray(CompletableFuture[]::new))
        .thenApply(
            ignored -> {
              List<String> next = new ArrayList<>();
              for (CompletableFuture<List<String>> out : outs) {
                next.addAll(out.join());
              }
              return next;
            });
  }

  private static CompletableFuture<List<String>> apply(
      Route.Step step, Message message, Duration timeout) {
    CompletableFuture<List<String>> out;
    try {
      if (step.step() instanceof Processor.AsyncStep async) {
        CompletionStage<List<String>> stage = async.applyAsync(message);
        if (stage == null) {
          throw new ProcessingException("processor \"" + step.processor() + "\" returned null");
        }
        out =
            stage
                .toCompletableFuture()
                .copy()
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionallyCompose(
                    error ->
                        CompletableFuture.failedFuture(
                            error instanceof TimeoutException
                                ? new StepTimedOut(step.processor(), timeout)
                                : error));
      } else {
        out = CompletableFuture.completedFuture(step.step().apply(message));
      }
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return out.thenApply(
        texts -> {
          if (texts == null || texts.stream().anyMatch(java.util.Objects::isNull)) {
            throw new ProcessingException("processor \"" + step.processor() + "\" returned null");
          }
          return texts;
        });
  }

  /** An asynchronous step did not answer in time. */
  private static final class StepTimedOut extends RuntimeException {
    StepTimedOut(String processor, Duration timeout) {
      super(
          "processor \"" + processor + "\" did not answer within " + timeout.toMillis() + " ms",
          null,
          false,
          false);
    }
  }
}
