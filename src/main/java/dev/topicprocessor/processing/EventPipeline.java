package dev.topicprocessor.processing;

import dev.topicprocessor.momento.WebhookEvent;
import dev.topicprocessor.operations.InFlight;
import dev.topicprocessor.operations.ProcessorMetrics;
import dev.topicprocessor.publishing.PublishResult;
import dev.topicprocessor.publishing.Publisher;
import dev.topicprocessor.routing.Route;
import dev.topicprocessor.routing.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What happens to an accepted event: its routes are found, their processors run, and every
 * resulting message is published to every outbound topic. The outcome of each event is counted and
 * failures are logged with their reason.
 */
@ApplicationScoped
public class EventPipeline {

  private static final Logger LOG = Logger.getLogger(EventPipeline.class.getName());

  @Inject Router router;
  @Inject Publisher publisher;
  @Inject ProcessingExecutor executor;
  @Inject ProcessorMetrics metrics;

  private final InFlight inFlight = new InFlight();

  /** Creates the executor and the publisher now rather than on the first event. */
  public void start() {
    executor.waiting();
    publisher.toString();
  }

  /**
   * Queues an event for processing and returns at once.
   *
   * @throws java.util.concurrent.RejectedExecutionException when the backlog is full
   */
  public void submit(WebhookEvent event) {
    inFlight.started();
    try {
      executor.submit(() -> process(event).whenComplete((done, error) -> inFlight.ended()));
    } catch (RuntimeException e) {
      inFlight.ended();
      throw e;
    }
  }

  /**
   * Waits until every accepted event has been processed (published or failed), at most {@code max}.
   */
  public boolean drain(Duration max) throws InterruptedException {
    return inFlight.awaitNone(max);
  }

  public int inFlight() {
    return inFlight.count();
  }

  /** Processes one event; the future completes when every publish has ended. */
  CompletableFuture<Void> process(WebhookEvent event) {
    try {
      return route(event);
    } catch (RuntimeException e) {
      metrics.failed("internal-error");
      LOG.log(Level.SEVERE, "failed event " + describe(event), e);
      return CompletableFuture.completedFuture(null);
    }
  }

  private CompletableFuture<Void> route(WebhookEvent event) {
    List<Route> routes = router.match(event.cache(), event.topic());
    if (routes.isEmpty()) {
      metrics.unrouted();
      LOG.log(
          Level.INFO,
          "unrouted event: no route for cache {0}, topic {1} (#{2})",
          new Object[] {event.cache(), event.topic(), event.topicSequenceNumber()});
      return CompletableFuture.completedFuture(null);
    }
    List<CompletableFuture<PublishResult>> publishing = new ArrayList<>();
    for (Route route : routes) {
      List<String> results;
      try {
        results = run(route, event);
      } catch (RuntimeException e) {
        fail(event, route, "processor-failed", describe(e));
        continue;
      }
      for (String text : results) {
        for (Route.Destination destination : route.outbound()) {
          publishing.add(publisher.publish(destination, text, event.publishTimestamp()));
        }
      }
    }
    return CompletableFuture.allOf(publishing.toArray(CompletableFuture[]::new))
        .thenRun(
            () -> {
              List<PublishResult.Failed> failures =
                  publishing.stream()
                      .map(CompletableFuture::join)
                      .filter(PublishResult.Failed.class::isInstance)
                      .map(PublishResult.Failed.class::cast)
                      .toList();
              if (failures.isEmpty()) {
                metrics.processed();
              } else {
                for (PublishResult.Failed failure : failures) {
                  LOG.warning(
                      "failed event "
                          + describe(event)
                          + ": publish to "
                          + failure.destination()
                          + " failed after "
                          + failure.attempts()
                          + " attempt(s): "
                          + failure.reason()
                          + " ("
                          + failure.detail()
                          + ")");
                }
                metrics.failed("publish-failed");
              }
            });
  }

  private static List<String> run(Route route, WebhookEvent event) {
    List<Message> messages = List.of(new Message(event.text(), event));
    for (Route.Step step : route.steps()) {
      List<Message> next = new ArrayList<>();
      for (Message message : messages) {
        List<String> out = step.step().apply(message);
        if (out == null) {
          throw new ProcessingException("processor \"" + step.processor() + "\" returned null");
        }
        for (String text : out) {
          next.add(new Message(text, event));
        }
      }
      messages = next;
    }
    return messages.stream().map(Message::text).toList();
  }

  private void fail(WebhookEvent event, Route route, String reason, String detail) {
    metrics.failed(reason);
    LOG.warning("failed event " + describe(event) + " on route " + route.name() + ": " + detail);
  }

  private static String describe(WebhookEvent event) {
    return event.cache() + "/" + event.topic() + " #" + event.topicSequenceNumber();
  }

  private static String describe(RuntimeException e) {
    return e instanceof ProcessingException ? e.getMessage() : e.toString();
  }
}
