package dev.topicprocessor.app;

import dev.topicprocessor.client.MomentoConnection;
import dev.topicprocessor.client.MomentoKeyCheck;
import dev.topicprocessor.config.Setting;
import dev.topicprocessor.config.Settings;
import dev.topicprocessor.engine.Dispatcher;
import dev.topicprocessor.engine.Windows;
import dev.topicprocessor.intake.Intake;
import dev.topicprocessor.journal.Journal;
import dev.topicprocessor.journal.Membership;
import dev.topicprocessor.operations.ConsoleHistory;
import dev.topicprocessor.operations.Subscriptions;
import dev.topicprocessor.operations.jmx.ProcessorMBeans;
import dev.topicprocessor.routing.Router;
import dev.topicprocessor.source.subscription.SubscriptionSource;
import dev.topicprocessor.source.webhook.WebhookSecrets;
import dev.topicprocessor.support.JdbcDrivers;
import dev.topicprocessor.support.NettyThreadLocals;
import dev.topicprocessor.support.Readiness;
import dev.topicprocessor.support.RecordMethodCaches;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import java.time.Duration;
import java.util.logging.Logger;
import momento.sdk.TopicClient;

/**
 * Brings the processor up when the application starts (settings, routes, the Momento connection,
 * the TopicClient and, in local mode, the webhooks) and marks it ready; takes it down in order at
 * undeploy. Anything wrong stops the deployment with a message saying what.
 */
@ApplicationScoped
public class Startup {

  static final String WEBHOOK_PATH = "/api/webhooks/momento";
  private static final Logger LOG = Logger.getLogger(Startup.class.getName());

  @Inject Settings settings;
  @Inject Router router;
  @Inject MomentoConnection momento;
  @Inject MomentoKeyCheck keyCheck;
  @Inject TopicClient topicClient;
  @Inject WebhookSecrets secrets;
  @Inject Readiness readiness;
  @Inject Dispatcher dispatcher;
  @Inject LiveRoutes liveRoutes;
  @Inject Windows windows;
  @Inject Intake intake;
  @Inject SubscriptionSource subscriptionSource;
  @Inject Subscriptions subscriptions;
  @Inject Journal journal;
  @Inject Membership membership;
  @Inject ProcessorMBeans mbeans;
  @Inject ConsoleHistory history;

  void start(@Observes @Initialized(ApplicationScoped.class) ServletContext context) {
    try {
      bringUp(context);
    } finally {
      NettyThreadLocals.clear(); // this thread belongs to the server
    }
  }

  private void bringUp(ServletContext context) {
    settings.log();
    liveRoutes.load(); // the routes, checked, and their sinks ready
    momento.mode(); // connects (and in local mode starts Local Momento)
    topicClient.toString(); // creates the client now rather than on the first event
    keyCheck.check(); // whether Momento accepts the key, for health; answered in the background
    String name = context.getContextPath().replaceAll("^/+", "").replace('/', '#');
    journal.open(name); // before anything can accept an event
    membership.join(); // registered before it claims an event or holds a lease
    dispatcher.start(); // workers and sinks ready before the first event; the backlog
    intake.open(dispatcher::offer); // from here on, sources may hand events in
    windows.start(); // aggregating routes' windows, also those that ended while it was down
    secrets.readFrom(webhook -> momento.webhookSecret(webhook.cache(), webhook.name()));
    if (momento.mode().local()) {
      liveRoutes.registerWebhooks(context.getContextPath());
    } else {
      liveRoutes.followNamedWebhooks();
    }
    if (secrets.isEmpty() && !LiveRoutes.webhookTopics(router.routes()).isEmpty()) {
      LOG.warning(
          "no webhook secret is known: every webhook will be refused as unsigned. Name each"
              + " route's Momento webhook (\"webhook\": \"<name>\") so that its secret is read from"
              + " Momento, or set MOMENTO_WEBHOOK_SECRETS.");
    }
    subscriptionSource.open(momento::pubsubChannel);
    liveRoutes
        .holdSubscriptions(); // one node at a time subscribes to a topic; the caches exist now
    mbeans.register(context.getContextPath());
    history.start(); // the console's charts
    readiness.ready(true, "ready");
    LOG.info("topic-processor is ready (" + momento.mode() + ")");
  }

  /**
   * Takes the processor down in order while every bean is still alive: stop accepting webhooks, end
   * the subscription routes' streams and let go of their leases, let events in memory finish within
   * the grace period (the rest stay in the journal for the next start or another node), leave the
   * nodes, close the journal, end the console's subscriptions, delete the webhooks registered at
   * start unless other nodes still use them.
   */
  void stop(@Observes @BeforeDestroyed(ApplicationScoped.class) Object event) {
    readiness.ready(false, "stopping");
    mbeans.unregister();
    keyCheck.close();
    try {
      history.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      subscriptionSource.stop(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    intake.close();
    boolean lastNode = true;
    try {
      windows.stop();
      membership.releaseLeases(); // the other nodes take the subscriptions and tasks at once
      lastNode = !membership.othersAlive();
      Duration grace =
          Duration.ofSeconds(
              settings.integer(Setting.TOPIC_PROCESSOR_SHUTDOWN_GRACE_SECONDS, 0, 3600));
      if (!dispatcher.stop(grace)) {
        LOG.warning(
            "shutdown: "
                + dispatcher.inFlight()
                + " event(s) were still being processed after "
                + grace.toSeconds()
                + " s; they stay in the journal and are processed at the next start, or by"
                + " another node");
      }
      membership.leave(); // the events this node claimed are free for the others
      journal.close();
      subscriptions.unsubscribeAll();
      if (!subscriptions.awaitServed(Duration.ofSeconds(3))) {
        LOG.warning("undeploy: a console page was still being served");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      if (lastNode) { // else the webhooks registered at start serve the other nodes
        momento
            .local()
            .ifPresent(
                local ->
                    local
                        .release()
                        .forEach(
                            webhook ->
                                secrets.untrack(
                                    new WebhookSecrets.WebhookId(
                                        webhook.cache(), webhook.name()))));
      }
    } finally {
      NettyThreadLocals.clear();
      JdbcDrivers.deregister(Startup.class.getClassLoader()); // the journal's, in the WAR
      RecordMethodCaches.release(); // the JDK's hold on this class loader
    }
  }
}
