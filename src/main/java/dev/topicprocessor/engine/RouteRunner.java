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
import dev.topicprocessor.support.Json;
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
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

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
   * @param timer where the timeouts of asynchronous steps wait (the application's own thread)
   */
  public static CompletableFuture<Run> run(
      List<Route> routes,
      InboundEvent event,
      Set<String> delivered,
      Duration timeout,
      ScheduledExecutorService timer) {
    Origin origin = origin(event);
    List<CompletableFuture<Run>> perRoute = new ArrayList<>();
    for (Route route : routes) {
      perRoute.add(
          steps(route, event.text(), origin, new Deadline(timeout, timer))
              .handle(
                  (texts, error) ->
                      error == null
                          ? new Run(
                              outputs(route, route.stepTargets(), event, texts, delivered),
                              List.of())
                          : new Run(List.of(), List.of(failure(route, error)))));
    }
    return CompletableFuture.allOf(perRoute.toArray(CompletableFuture[]::new))
        .thenApply(
            ignored -> {
              List<Output> outputs = new ArrayList<>();
              List<Outcome.Failed> failures = new ArrayList<>();
              for (CompletableFuture<Run> route : perRoute) {
                outputs.addAll(route.join().outputs());
                failures.addAll(route.join().failures());
              }
              return new Run(outputs, failures);
            });
  }

  /**
   * What a window's result event makes: each of its results (a JSON array) to each of the route's
   * outbound destinations.
   */
  public static Run windowResults(Route route, InboundEvent event, Set<String> delivered) {
    List<String> texts = new ArrayList<>();
    try {
      for (com.fasterxml.jackson.databind.JsonNode result : JSON.readTree(event.payload())) {
        texts.add(JSON.writeValueAsString(result));
      }
    } catch (java.io.IOException e) {
      return new Run(
          List.of(),
          List.of(
              new Outcome.Failed(
                  false, "internal-error", "a window's results are unreadable: " + e, Set.of())));
    }
    return new Run(outputs(route, route.outbound(), event, texts, delivered), List.of());
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = Json.mapper();

  /** One output per text and target, leaving out those delivered before. */
  private static List<Output> outputs(
      Route route,
      List<Destination> targets,
      InboundEvent event,
      List<String> texts,
      Set<String> delivered) {
    List<Output> outputs = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      for (int d = 0; d < targets.size(); d++) {
        String id = route.name() + ":" + i + ":" + d;
        if (!delivered.contains(id)) {
          outputs.add(
              new Output(
                  id, deliveryId(event.key(), id), route.name(), targets.get(d), texts.get(i)));
        }
      }
    }
    return outputs;
  }

  /** The routes' steps, none of them asynchronous (tests). */
  public static Run run(List<Route> routes, InboundEvent event, Set<String> delivered) {
    return run(routes, event, delivered, Duration.ofMinutes(1), null).join();
  }

  /** How long an asynchronous step may take, timed on {@code timer} (none when it is null). */
  private record Deadline(Duration timeout, ScheduledExecutorService timer) {}

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
      Route route, String text, Origin origin, Deadline timeout) {
    CompletableFuture<List<String>> texts = CompletableFuture.completedFuture(List.of(text));
    for (Route.Step step : route.steps()) {
      texts = texts.thenCompose(each -> step(step, each, origin, timeout));
    }
    return texts;
  }

  /** One step over every message the previous one made, their outputs kept in order. */
  private static CompletableFuture<List<String>> step(
      Route.Step step, List<String> texts, Origin origin, Deadline timeout) {
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
      Route.Step step, Message message, Deadline deadline) {
    CompletableFuture<List<String>> out;
    try {
      if (step.step() instanceof Processor.AsyncStep async) {
        CompletionStage<List<String>> stage = async.applyAsync(message);
        if (stage == null) {
          throw new ProcessingException("processor \"" + step.processor() + "\" returned null");
        }
        out = stage.toCompletableFuture().copy();
        if (deadline.timer() != null) {
          CompletableFuture<List<String>> timed = out;
          try {
            ScheduledFuture<?> timeout =
                deadline
                    .timer()
                    .schedule(
                        () ->
                            timed.completeExceptionally(
                                new StepTimedOut(step.processor(), deadline.timeout())),
                        deadline.timeout().toMillis(),
                        TimeUnit.MILLISECONDS);
            timed.whenComplete((texts, error) -> timeout.cancel(false));
          } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // stopping: the step gets no deadline
          }
        }
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
