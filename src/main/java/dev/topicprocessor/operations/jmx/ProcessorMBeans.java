package dev.topicprocessor.operations.jmx;

import dev.topicprocessor.engine.DestinationGuards;
import dev.topicprocessor.engine.Dispatcher;
import dev.topicprocessor.journal.Journal;
import dev.topicprocessor.journal.Membership;
import dev.topicprocessor.metrics.ProcessorMetrics;
import dev.topicprocessor.operations.PipelineOperations;
import dev.topicprocessor.routing.InvalidRoutesException;
import dev.topicprocessor.routing.Route;
import dev.topicprocessor.routing.Router;
import dev.topicprocessor.sink.Destination;
import dev.topicprocessor.source.subscription.SubscriptionSource;
import dev.topicprocessor.source.subscription.SubscriptionStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * The processor's MBeans in the platform MBean server, where the servers' own tools find them
 * (Tomcat's Manager JMX proxy, JConsole, WildFly's remoting JMX): one {@code type=Pipeline}, and
 * one {@code type=Route}, {@code type=Subscription} and {@code type=Sink} per route, subscription
 * route and destination in force, all under {@code dev.topicprocessor} with the deployment's
 * context path, so that two deployments don't collide. Registered at start, kept in step with the
 * routes at each reload, unregistered at undeploy.
 */
@ApplicationScoped
public class ProcessorMBeans {

  static final String DOMAIN = "dev.topicprocessor";
  private static final Logger LOG = Logger.getLogger(ProcessorMBeans.class.getName());

  @Inject PipelineOperations operations;
  @Inject Dispatcher dispatcher;
  @Inject Journal journal;
  @Inject ProcessorMetrics metrics;
  @Inject Router router;
  @Inject Membership membership;
  @Inject SubscriptionSource subscriptions;
  @Inject DestinationGuards guards;

  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
  private final Map<ObjectName, Object> registered = new LinkedHashMap<>();
  private String context;

  /** Registers the MBeans of this deployment, known by its context path. */
  public synchronized void register(String contextPath) {
    context = contextPath.isEmpty() ? "/" : contextPath;
    put(name("Pipeline", null), mx(new Pipeline(), PipelineMXBean.class));
    sync();
    LOG.info("JMX: " + registered.size() + " MBean(s) under " + DOMAIN + ":*,context=" + context);
  }

  /** Registers the MBeans of routes and destinations new in force, unregisters those gone. */
  public synchronized void sync() {
    if (context == null) {
      return;
    }
    Map<ObjectName, Object> wanted = new LinkedHashMap<>();
    wanted.put(name("Pipeline", null), null);
    for (Route route : router.routes()) {
      wanted.put(name("Route", route.name()), mx(new RouteBean(route.name()), RouteMXBean.class));
      if (route.source() == Route.Source.SUBSCRIPTION) {
        wanted.put(
            name("Subscription", route.name()),
            mx(new SubscriptionBean(route.name()), SubscriptionMXBean.class));
      }
    }
    for (Destination destination : router.destinations()) {
      wanted.put(
          name("Sink", destination.toString()), mx(new SinkBean(destination), SinkMXBean.class));
    }
    for (ObjectName name : List.copyOf(registered.keySet())) {
      if (!wanted.containsKey(name)) {
        remove(name);
      }
    }
    wanted.forEach(
        (name, bean) -> {
          if (!registered.containsKey(name)) {
            put(name, bean);
          }
        });
  }

  /** Unregisters every MBean of this deployment. */
  public synchronized void unregister() {
    List.copyOf(registered.keySet()).forEach(this::remove);
    context = null;
  }

  private void put(ObjectName name, Object bean) {
    try {
      if (server.isRegistered(name)) {
        server.unregisterMBean(name); // left by a deployment that did not stop cleanly
      }
      server.registerMBean(bean, name);
      registered.put(name, bean);
    } catch (JMException | RuntimeException e) {
      LOG.log(Level.WARNING, "JMX: cannot register " + name, e);
    }
  }

  private void remove(ObjectName name) {
    registered.remove(name);
    try {
      server.unregisterMBean(name);
    } catch (InstanceNotFoundException gone) {
      // unregistered already
    } catch (JMException | RuntimeException e) {
      LOG.log(Level.WARNING, "JMX: cannot unregister " + name, e);
    }
  }

  private ObjectName name(String type, String name) {
    StringBuilder text =
        new StringBuilder(DOMAIN).append(":type=").append(type).append(",context=");
    text.append(value(context));
    if (name != null) {
      text.append(",name=").append(value(name));
    }
    try {
      return new ObjectName(text.toString());
    } catch (JMException e) {
      throw new IllegalArgumentException("not an MBean name: " + text, e);
    }
  }

  /** An MXBean with the attributes and operations of {@code type}. */
  private static <T> StandardMBean mx(T bean, Class<T> type) {
    return new StandardMBean(bean, type, true);
  }

  /** A key's value as it is when it can be, quoted when it holds what a name may not. */
  static String value(String raw) {
    return raw.isEmpty() || raw.matches(".*[,=:\"*?\\\\\\n].*") ? ObjectName.quote(raw) : raw;
  }

  /**
   * Who called over JMX, as far as the server says: the authenticated user, the client's address
   * (RMI), or that it came over HTTP (Tomcat's Manager JMX proxy, whose access log names the user).
   */
  static String caller() {
    StringBuilder who = new StringBuilder("JMX");
    @SuppressWarnings("removal")
    javax.security.auth.Subject subject =
        javax.security.auth.Subject.getSubject(java.security.AccessController.getContext());
    if (subject != null && !subject.getPrincipals().isEmpty()) {
      who.append(" user ").append(subject.getPrincipals().iterator().next().getName());
    }
    String thread = Thread.currentThread().getName();
    String host = null;
    try {
      host = java.rmi.server.RemoteServer.getClientHost();
    } catch (java.rmi.server.ServerNotActiveException notRmi) {
      // not an RMI call
    }
    if (host != null) {
      who.append(" client at ").append(host);
    } else if (thread.startsWith("http") || thread.contains("-exec-")) {
      who.append(" over HTTP (the server's JMX proxy)");
    } else {
      who.append(" client");
    }
    return who.append(" (thread ").append(thread).append(')').toString();
  }

  private final class Pipeline implements PipelineMXBean {
    @Override
    public long getBacklog() {
      return journal.backlog();
    }

    @Override
    public int getInMemory() {
      return dispatcher.inFlight();
    }

    @Override
    public long getDeadLetters() {
      return journal.deadLetterCount();
    }

    @Override
    public boolean isPaused() {
      return operations.paused();
    }

    @Override
    public long getReceived() {
      return metrics.totals().received();
    }

    @Override
    public long getProcessed() {
      return metrics.totals().processed();
    }

    @Override
    public long getPublished() {
      return metrics.totals().published();
    }

    @Override
    public long getFailed() {
      return metrics.totals().failed();
    }

    @Override
    public long getDeadLettered() {
      return metrics.totals().deadLettered();
    }

    @Override
    public int getRoutes() {
      return router.routes().size();
    }

    @Override
    public String getRoutesFrom() {
      return router.origin();
    }

    @Override
    public String getNode() {
      return membership.node();
    }

    @Override
    public boolean pause() {
      return operations.pause(caller());
    }

    @Override
    public boolean resume() {
      return operations.resume(caller());
    }

    @Override
    public String reloadRoutes() {
      try {
        var reloaded = operations.reloadRoutes(caller());
        return "reloaded: "
            + reloaded.routes().size()
            + " route(s) in force from "
            + reloaded.origin()
            + "; added "
            + reloaded.added()
            + ", removed "
            + reloaded.removed();
      } catch (InvalidRoutesException e) {
        return "refused, the routes in force stay: " + e.getMessage();
      }
    }

    @Override
    public int replayDeadLetters() {
      return operations.replayDeadLetters(caller());
    }
  }

  private final class RouteBean implements RouteMXBean {
    private final String name;

    RouteBean(String name) {
      this.name = name;
    }

    /** The route of that name in force now (a reload may have changed it). */
    private Optional<Route> route() {
      return router.named(name);
    }

    @Override
    public String getName() {
      return name;
    }

    @Override
    public String getSource() {
      return route().map(r -> r.source().label()).orElse("");
    }

    @Override
    public String getInbound() {
      return route().map(r -> r.cache() + "/" + r.topic()).orElse("");
    }

    @Override
    public List<String> getProcessors() {
      return route()
          .map(r -> r.steps().stream().map(Route.Step::processor).toList())
          .orElse(List.of());
    }

    @Override
    public List<String> getDestinations() {
      return route()
          .map(r -> r.outbound().stream().map(Destination::toString).toList())
          .orElse(List.of());
    }

    @Override
    public long getEvents() {
      return metrics.route(name).events();
    }

    @Override
    public long getDelivered() {
      return metrics.route(name).delivered();
    }

    @Override
    public long getFailed() {
      return metrics.route(name).failed();
    }
  }

  private final class SubscriptionBean implements SubscriptionMXBean {
    private final String route;

    SubscriptionBean(String route) {
      this.route = route;
    }

    /** The route's inbound topic as the routes in force have it (a reload may change it). */
    private Optional<SubscriptionSource.SubscribedTopic> topic() {
      return router
          .named(route)
          .map(r -> new SubscriptionSource.SubscribedTopic(r.cache(), r.topic()));
    }

    private Optional<SubscriptionStatus> status() {
      return topic()
          .flatMap(
              t ->
                  subscriptions.status().stream()
                      .filter(s -> s.cache().equals(t.cache()) && s.topic().equals(t.topic()))
                      .findFirst());
    }

    @Override
    public String getTopic() {
      return topic().map(SubscriptionSource.SubscribedTopic::name).orElse("");
    }

    @Override
    public String getHolder() {
      String lease = topic().map(SubscriptionSource.SubscribedTopic::lease).orElse(null);
      return membership.status().leases().stream()
          .filter(l -> l.name().equals(lease))
          .map(Membership.LeaseView::holder)
          .findFirst()
          .orElse("");
    }

    @Override
    public boolean isConnected() {
      return status().map(SubscriptionStatus::connected).orElse(false);
    }

    @Override
    public boolean isWaitingForRoom() {
      return status().map(SubscriptionStatus::paused).orElse(false);
    }

    @Override
    public String getPosition() {
      return status().map(s -> s.sequencePage() + "/" + s.lastSequence()).orElse("0/0");
    }

    @Override
    public long getTaken() {
      return status().map(SubscriptionStatus::taken).orElse(0L);
    }

    @Override
    public long getGaps() {
      return status().map(SubscriptionStatus::gaps).orElse(0L);
    }

    @Override
    public long getMissed() {
      return status().map(SubscriptionStatus::missed).orElse(0L);
    }

    @Override
    public long getReconnects() {
      return status().map(SubscriptionStatus::reconnects).orElse(0L);
    }

    @Override
    public String getLastError() {
      return status().map(SubscriptionStatus::lastError).filter(e -> e != null).orElse("");
    }
  }

  private final class SinkBean implements SinkMXBean {
    private final Destination destination;

    SinkBean(Destination destination) {
      this.destination = destination;
    }

    /** The destination of that name in force now (a reload may have changed its settings). */
    private DestinationGuards.Status status() {
      String name = destination.toString();
      Destination now =
          router.destinations().stream()
              .filter(d -> d.toString().equals(name))
              .findFirst()
              .orElse(destination);
      return guards.status(List.of(now)).get(0);
    }

    @Override
    public String getKind() {
      return destination.kind();
    }

    @Override
    public String getBreakerState() {
      return status().breaker();
    }

    @Override
    public long getDeliveries() {
      return status().delivered();
    }

    @Override
    public long getFailures() {
      return status().failed();
    }

    @Override
    public int getInFlight() {
      return status().inFlight();
    }

    @Override
    public int getWaiting() {
      return status().waiting();
    }
  }
}
