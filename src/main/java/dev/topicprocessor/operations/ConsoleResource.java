package dev.topicprocessor.operations;

import dev.topicprocessor.config.Setting;
import dev.topicprocessor.config.Settings;
import dev.topicprocessor.problem.ProblemException;
import dev.topicprocessor.problem.ProblemType;
import dev.topicprocessor.publishing.MomentoConnection;
import dev.topicprocessor.publishing.Publisher;
import dev.topicprocessor.publishing.Subscriptions;
import dev.topicprocessor.routing.Route;
import dev.topicprocessor.routing.Router;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import momento.sdk.ISubscriptionCallbacks;
import momento.sdk.TopicClient;
import momento.sdk.responses.topic.TopicMessage;
import momento.sdk.responses.topic.TopicPublishResponse;
import momento.sdk.responses.topic.TopicSubscribeResponse;

/**
 * The API behind {@code index.html}: what the processor is doing, publishing a message to a topic,
 * and watching a topic live (server-sent events backed by a TopicClient subscription). On by
 * default in local mode only: in Momento mode it would publish with the application's key.
 */
@ApplicationScoped
@Path("console")
public class ConsoleResource {

  static final int MAX_WATCHERS = 16;
  private static final Logger LOG = Logger.getLogger(ConsoleResource.class.getName());

  @Inject Settings settings;
  @Inject MomentoConnection momento;
  @Inject Router router;
  @Inject ProcessorMetrics metrics;
  @Inject TopicClient client;
  @Inject Subscriptions subscriptions;

  private boolean enabled;

  @PostConstruct
  void configure() {
    enabled = settings.flag(Setting.TOPIC_PROCESSOR_CONSOLE).orElse(momento.mode().local());
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, Object> overview() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("console", enabled);
    body.put("mode", String.valueOf(momento.mode()));
    body.put("routesFrom", router.origin());
    body.put("routes", router.routes().stream().map(ConsoleResource::describe).toList());
    body.put("stats", metrics.summary());
    return body;
  }

  @POST
  @Path("topics/{cache}/{topic}")
  @Consumes(MediaType.WILDCARD)
  public Response publish(
      @PathParam("cache") String cache, @PathParam("topic") String topic, byte[] body) {
    requireEnabled();
    String text = new String(body, StandardCharsets.UTF_8);
    if (body.length > Publisher.MAX_MESSAGE_BYTES) {
      throw new ProblemException(
          ProblemType.BODY_TOO_LARGE,
          "a topic message is at most " + Publisher.MAX_MESSAGE_BYTES + " bytes");
    }
    TopicPublishResponse response;
    try {
      response = client.publish(cache, topic, text).get(15, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new ProblemException(ProblemType.PUBLISH_FAILED, "no answer from Momento: " + e);
    }
    if (response instanceof TopicPublishResponse.Error error) {
      throw new ProblemException(
          ProblemType.PUBLISH_FAILED, error.getErrorCode() + ": " + error.getMessage());
    }
    return Response.noContent().build();
  }

  @GET
  @Path("topics/{cache}/{topic}/events")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void watch(
      @PathParam("cache") String cache,
      @PathParam("topic") String topic,
      @Context SseEventSink sink,
      @Context Sse sse) {
    requireEnabled();
    if (subscriptions.count() >= MAX_WATCHERS) {
      throw new ProblemException(
          ProblemType.OVERLOADED, "at most " + MAX_WATCHERS + " topics can be watched at once");
    }
    AtomicReference<TopicSubscribeResponse.Subscription> subscription = new AtomicReference<>();
    AtomicBoolean ended = new AtomicBoolean();
    Runnable end =
        () -> {
          if (ended.compareAndSet(false, true)) {
            TopicSubscribeResponse.Subscription open = subscription.get();
            if (open != null) {
              subscriptions.closed(open);
            }
            sink.close();
          }
        };
    ISubscriptionCallbacks callbacks =
        new ISubscriptionCallbacks() {
          @Override
          public void onItem(TopicMessage message) {
            String data =
                message instanceof TopicMessage.Text text
                    ? text.getValue()
                    : message instanceof TopicMessage.Binary binary
                        ? "(binary, " + binary.getValue().length + " bytes)"
                        : String.valueOf(message);
            send(sse.newEventBuilder().name("message").data(data).build());
          }

          @Override
          public void onHeartbeat() {
            // Keeps the HTTP connection alive, and finds out when the browser has gone.
            send(sse.newEventBuilder().comment("heartbeat").build());
          }

          @Override
          public void onDiscontinuity(momento.sdk.responses.topic.TopicDiscontinuity gap) {
            send(sse.newEventBuilder().name("discontinuity").data(gap.toString()).build());
          }

          @Override
          public void onCompleted() {
            end.run();
          }

          @Override
          public void onError(Throwable t) {
            end.run();
          }

          private void send(OutboundSseEvent event) {
            if (ended.get() || sink.isClosed()) {
              end.run();
              return;
            }
            sink.send(event)
                .exceptionally(
                    failure -> {
                      end.run(); // the browser went away
                      return null;
                    });
          }
        };
    TopicSubscribeResponse response;
    try {
      response = client.subscribe(cache, topic, callbacks).get(15, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      sink.close();
      throw new ProblemException(ProblemType.PUBLISH_FAILED, "no answer from Momento");
    } catch (Exception e) {
      sink.close();
      Throwable cause = e instanceof CompletionException ? e.getCause() : e;
      throw new ProblemException(ProblemType.PUBLISH_FAILED, "subscribe failed: " + cause);
    }
    if (response instanceof TopicSubscribeResponse.Error error) {
      sink.close();
      throw new ProblemException(
          ProblemType.PUBLISH_FAILED, error.getErrorCode() + ": " + error.getMessage());
    }
    TopicSubscribeResponse.Subscription open = (TopicSubscribeResponse.Subscription) response;
    subscription.set(open);
    subscriptions.opened(open);
    if (ended.get()) {
      subscriptions.closed(open);
    }
    LOG.log(Level.FINE, "console watching {0}/{1}", new Object[] {cache, topic});
    sink.send(sse.newEventBuilder().name("subscribed").data(cache + "/" + topic).build());
  }

  private void requireEnabled() {
    if (!enabled) {
      throw new ProblemException(
          ProblemType.CONSOLE_DISABLED,
          "the console is off (TOPIC_PROCESSOR_CONSOLE); it is on by default in local mode only");
    }
  }

  private static Map<String, Object> describe(Route route) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", route.name());
    out.put("cache", route.cache());
    out.put("topic", route.topic());
    out.put("processors", route.steps().stream().map(Route.Step::processor).toList());
    out.put(
        "outbound",
        route.outbound().stream()
            .map(d -> Map.of("cache", d.cache(), "topic", d.topic()))
            .toList());
    return out;
  }
}
