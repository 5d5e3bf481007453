package dev.topicprocessor.operations;

import dev.topicprocessor.client.MomentoConnection;
import dev.topicprocessor.config.Setting;
import dev.topicprocessor.config.Settings;
import dev.topicprocessor.engine.DestinationGuards;
import dev.topicprocessor.engine.Dispatcher;
import dev.topicprocessor.engine.Windows;
import dev.topicprocessor.journal.Membership;
import dev.topicprocessor.metrics.ProcessorMetrics;
import dev.topicprocessor.problem.ProblemException;
import dev.topicprocessor.problem.ProblemType;
import dev.topicprocessor.routing.Route;
import dev.topicprocessor.routing.Router;
import dev.topicprocessor.sink.topic.TopicDestination;
import dev.topicprocessor.sink.topic.TopicSink;
import dev.topicprocessor.source.subscription.SubscriptionSource;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import momento.sdk.TopicClient;
import momento.sdk.responses.topic.TopicPublishResponse;

/**
 * The API behind {@code index.html}: what the processor is doing and publishing a message to a
 * topic (watching a topic live is {@link TopicEventsServlet}). On by default in local mode only: in
 * Momento mode it would publish with the application's key. Callers on this machine may use it,
 * others only as operators ({@link OperatorAccess#requireThisMachineOrOperator}).
 */
@ApplicationScoped
@Path("console")
public class ConsoleResource {

  private static final Logger LOG = Logger.getLogger(ConsoleResource.class.getName());

  @Inject Settings settings;
  @Inject MomentoConnection momento;
  @Inject Router router;
  @Inject ProcessorMetrics metrics;
  @Inject TopicClient client;
  @Inject Subscriptions subscriptions;
  @Inject SubscriptionSource subscriptionSource;
  @Inject DestinationGuards guards;
  @Inject Windows windows;
  @Inject ConsoleHistory history;
  @Inject Dispatcher dispatcher;
  @Inject Membership membership;
  @Inject OperatorAccess access;

  private boolean enabled;

  @PostConstruct
  void configure() {
    enabled = settings.flag(Setting.TOPIC_PROCESSOR_CONSOLE).orElse(momento.mode().local());
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, Object> overview(@Context HttpServletRequest request) {
    access.requireThisMachineOrOperator(request);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("console", enabled);
    body.put("mode", String.valueOf(momento.mode()));
    body.put("routesFrom", router.origin());
    body.put("routes", router.routes().stream().map(this::describe).toList());
    body.put("paused", dispatcher.paused());
    Membership.Status cluster = membership.status();
    body.put("node", cluster.node());
    body.put("nodes", cluster.nodes());
    body.put("stats", metrics.summary());
    body.put("watchers", subscriptions.count());
    body.put("subscriptions", subscriptionSource.status());
    body.put("destinations", guards.status(router.destinations()));
    body.put("windows", windows.open());
    return body;
  }

  /** The last ten minutes, a point every two seconds, for the page's charts. */
  @GET
  @Path("history")
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, Object> history(@Context HttpServletRequest request) {
    access.requireThisMachineOrOperator(request);
    return Map.of("stepMillis", ConsoleHistory.STEP_MILLIS, "points", history.points());
  }

  @POST
  @Path("topics/{cache}/{topic}")
  @Consumes(MediaType.WILDCARD)
  public Response publish(
      @PathParam("cache") String cache,
      @PathParam("topic") String topic,
      byte[] body,
      @Context HttpServletRequest request) {
    requireEnabled();
    access.requireThisMachineOrOperator(request);
    ConsoleTopics.check(cache, topic);
    String text = new String(body, StandardCharsets.UTF_8);
    if (body.length > TopicSink.MAX_MESSAGE_BYTES) {
      throw new ProblemException(
          ProblemType.BODY_TOO_LARGE,
          "a topic message is at most " + TopicSink.MAX_MESSAGE_BYTES + " bytes");
    }
    TopicPublishResponse response;
    try {
      response = client.publish(cache, topic, text).get(15, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new ProblemException(ProblemType.PUBLISH_FAILED, "no answer from Momento: " + e);
    }
    if (response instanceof TopicPublishResponse.Error error) {
      throw ConsoleTopics.refused(error);
    }
    return Response.noContent().build();
  }

  /** Whether the console API is on. */
  public boolean enabled() {
    return enabled;
  }

  private void requireEnabled() {
    if (!enabled) {
      throw new ProblemException(
          ProblemType.CONSOLE_DISABLED,
          "the console is off (TOPIC_PROCESSOR_CONSOLE); it is on by default in local mode only");
    }
  }

  private Map<String, Object> describe(Route route) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", route.name());
    out.put("cache", route.cache());
    out.put("topic", route.topic());
    out.put("source", route.source().label());
    java.util.List<String> processors =
        new java.util.ArrayList<>(route.steps().stream().map(Route.Step::processor).toList());
    if (route.aggregation() != null) {
      processors.add("aggregate");
    }
    out.put("processors", processors);
    out.put(
        "outbound",
        route.outbound().stream()
            .map(
                d ->
                    d instanceof TopicDestination t
                        ? Map.of(
                            "kind", d.kind(),
                            "destination", d.toString(),
                            "cache", t.cache(),
                            "topic", t.topic())
                        : Map.of("kind", d.kind(), "destination", d.toString()))
            .toList());
    ProcessorMetrics.RouteCounts counts = metrics.route(route.name());
    out.put("events", counts.events());
    out.put("delivered", counts.delivered());
    out.put("failed", counts.failed());
    return out;
  }
}
