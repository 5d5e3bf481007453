package dev.topicprocessor.app;

import dev.topicprocessor.client.MomentoConnection;
import dev.topicprocessor.engine.Windows;
import dev.topicprocessor.journal.Membership;
import dev.topicprocessor.local.LocalWebhooks;
import dev.topicprocessor.operations.RouteReloader;
import dev.topicprocessor.operations.jmx.ProcessorMBeans;
import dev.topicprocessor.routing.InvalidRoutesException;
import dev.topicprocessor.routing.Route;
import dev.topicprocessor.routing.Router;
import dev.topicprocessor.sink.Sinks;
import dev.topicprocessor.source.subscription.SubscriptionSource;
import dev.topicprocessor.source.webhook.WebhookSecrets;
import dev.topicprocessor.support.DeploymentContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the routes in force need from the rest of the application, at start and after each reload:
 * their destinations' sinks ready (in the deployment's naming context), a lease and a stream for
 * each subscribed topic, in local mode a webhook for each webhook topic, and the window closer when
 * a route aggregates.
 */
@ApplicationScoped
public class LiveRoutes implements RouteReloader {

  private static final Logger LOG = Logger.getLogger(LiveRoutes.class.getName());

  @Inject Router router;
  @Inject Sinks sinks;
  @Inject MomentoConnection momento;
  @Inject WebhookSecrets secrets;
  @Inject SubscriptionSource subscriptionSource;
  @Inject Membership membership;
  @Inject Windows windows;
  @Inject ProcessorMBeans mbeans;

  private DeploymentContext deployment;
  private String contextPath;
  private final Set<LocalWebhooks.InboundTopic> registered = new LinkedHashSet<>();

  /** Loads and checks the routes and gets their sinks ready: on the thread that deploys. */
  void load() {
    deployment = DeploymentContext.capture();
    router.routes(); // loads and checks the routes
    sinks.prepare(router.destinations()); // JNDI names resolve on this thread
  }

  /** The webhooks of local mode, for the routes in force. */
  synchronized void registerWebhooks(String contextPath) {
    this.contextPath = contextPath;
    register(webhookTopics(router.routes()));
  }

  /** Asks for each subscribed topic's lease: the node that holds one subscribes to it. */
  synchronized void holdSubscriptions() {
    subscribedTopics(router.routes()).forEach(this::hold);
  }

  @Override
  public synchronized Reloaded reload() {
    List<Route> before = router.routes();
    List<Route> after =
        router.reload(
            routes ->
                deployment.run(
                    () -> sinks.prepare(Router.destinationsOf(routes)))); // before they serve
    secrets.reloadConfigured(); // MOMENTO_WEBHOOK_SECRETS(_FILE) may have changed
    if (momento.mode().local()) {
      registerReloaded(after);
    } else {
      follow(after, false);
    }
    List<SubscriptionSource.SubscribedTopic> wanted = subscribedTopics(after);
    for (SubscriptionSource.SubscribedTopic topic : subscribedTopics(before)) {
      if (!wanted.contains(topic)) {
        membership.release(topic.lease()); // unsubscribes if this node held it
      }
    }
    wanted.forEach(this::hold);
    windows.start(); // if a route aggregates now
    mbeans.sync(); // an MBean per route and destination in force
    List<String> names = after.stream().map(Route::name).toList();
    List<String> old = before.stream().map(Route::name).toList();
    return new Reloaded(
        router.origin(),
        names,
        names.stream().filter(n -> !old.contains(n)).toList(),
        old.stream().filter(n -> !names.contains(n)).toList());
  }

  private void register(List<LocalWebhooks.InboundTopic> topics) {
    List<LocalWebhooks.InboundTopic> fresh = new ArrayList<>(topics);
    fresh.removeAll(registered);
    if (contextPath == null || momento.local().isEmpty()) {
      return;
    }
    for (LocalWebhooks.Registration webhook :
        momento.local().get().prepare(contextPath, Startup.WEBHOOK_PATH, fresh, router.caches())) {
      // Followed like a named webhook in Momento mode: a rotation is read when it is seen.
      secrets.track(
          new WebhookSecrets.WebhookId(webhook.cache(), webhook.name()),
          Optional.of(webhook.secret()));
    }
    registered.addAll(fresh);
  }

  /**
   * In Momento mode, follows the secret of every webhook the routes name, read from Momento now. A
   * name Momento does not know stops the deployment; Momento out of reach does not (the secret is
   * read at the first delivery).
   */
  synchronized void followNamedWebhooks() {
    follow(router.routes(), true);
  }

  private void follow(List<Route> routes, boolean atStart) {
    Set<WebhookSecrets.WebhookId> named = new LinkedHashSet<>();
    for (Route route : routes) {
      if (route.source() != Route.Source.WEBHOOK || route.webhook() == null) {
        continue;
      }
      WebhookSecrets.WebhookId webhook =
          new WebhookSecrets.WebhookId(route.cache(), route.webhook());
      named.add(webhook);
      boolean known;
      try {
        known = secrets.track(webhook, Optional.empty());
      } catch (RuntimeException e) {
        LOG.warning(
            "route \""
                + route.name()
                + "\": could not read the secret of webhook "
                + webhook
                + " from Momento ("
                + e.getMessage()
                + "); it is read again at the first delivery");
        continue;
      }
      if (!known) {
        String problem =
            "route \""
                + route.name()
                + "\" names webhook \""
                + route.webhook()
                + "\", which Momento does not have in cache "
                + route.cache();
        if (atStart) {
          throw new InvalidRoutesException(problem);
        }
        LOG.warning(problem + "; its deliveries are refused until it exists");
      }
    }
    if (momento.mode().local()) {
      return; // local mode follows the webhooks it registered
    }
    for (WebhookSecrets.WebhookId webhook : secrets.tracked()) {
      if (!named.contains(webhook)) {
        secrets.untrack(webhook);
      }
    }
  }

  /**
   * In local mode, the caches and webhooks of the routes reloaded. They are in force already, so a
   * failure here is logged, not a refusal: until a reload or a redeploy registers them, Local
   * Momento sends those topics' events nowhere.
   */
  private void registerReloaded(List<Route> routes) {
    try {
      register(webhookTopics(routes));
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "routes reloaded, but local mode could not create their caches or register their"
              + " webhooks (reload again to retry): "
              + e.getMessage(),
          e);
    }
  }

  private void hold(SubscriptionSource.SubscribedTopic topic) {
    membership.hold(
        topic.lease(),
        "subscription",
        () -> subscriptionSource.subscribe(topic),
        () -> subscriptionSource.unsubscribe(topic));
  }

  static List<LocalWebhooks.InboundTopic> webhookTopics(List<Route> routes) {
    return routes.stream()
        .filter(route -> route.source() == Route.Source.WEBHOOK)
        .map(route -> new LocalWebhooks.InboundTopic(route.cache(), route.topic(), route.webhook()))
        .distinct()
        .toList();
  }

  private static List<SubscriptionSource.SubscribedTopic> subscribedTopics(List<Route> routes) {
    return inbound(routes, Route.Source.SUBSCRIPTION, SubscriptionSource.SubscribedTopic::new);
  }

  /** The inbound topics (cache, topic) of the routes that take their events by {@code source}. */
  private static <T> List<T> inbound(
      List<Route> routes, Route.Source source, BiFunction<String, String, T> topic) {
    return routes.stream()
        .filter(route -> route.source() == source)
        .map(route -> topic.apply(route.cache(), route.topic()))
        .distinct()
        .toList();
  }
}
