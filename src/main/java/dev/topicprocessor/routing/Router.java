package dev.topicprocessor.routing;

import dev.topicprocessor.config.Setting;
import dev.topicprocessor.config.Settings;
import dev.topicprocessor.processor.Processor;
import dev.topicprocessor.sink.topic.TopicDestination;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.literal.NamedLiteral;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/** The routes in force, loaded at start from the configured file or the built-in one. */
@ApplicationScoped
public class Router {

  static final String BUILT_IN = "/routes.json";
  private static final Logger LOG = Logger.getLogger(Router.class.getName());

  @Inject Settings settings;
  @Inject @Any Instance<Processor> processors;

  private List<Route> routes;
  private String origin;

  @PostConstruct
  void load() {
    RoutesParser parser = new RoutesParser(this::processor);
    Optional<String> file = settings.get(Setting.TOPIC_PROCESSOR_ROUTES);
    if (file.isPresent()) {
      Path path = Path.of(file.get());
      origin = path.toAbsolutePath().toString();
      try (InputStream in = Files.newInputStream(path)) {
        routes = parser.parse(in, origin);
      } catch (IOException e) {
        throw new InvalidRoutesException(
            "cannot read the routes file "
                + origin
                + " ("
                + Setting.TOPIC_PROCESSOR_ROUTES
                + "): "
                + e,
            e);
      }
    } else {
      origin = "the built-in routes (WEB-INF/classes" + BUILT_IN + ")";
      try (InputStream in = Router.class.getResourceAsStream(BUILT_IN)) {
        if (in == null) {
          throw new InvalidRoutesException("the WAR has no " + BUILT_IN);
        }
        routes = parser.parse(in, origin);
      } catch (IOException e) {
        throw new InvalidRoutesException("cannot read " + origin, e);
      }
    }
    StringBuilder text = new StringBuilder("routes from " + origin + ":");
    for (Route route : routes) {
      text.append("\n  ")
          .append(route.name())
          .append(": ")
          .append(route.cache())
          .append('/')
          .append(route.topic())
          .append(" -> ")
          .append(route.steps().stream().map(Route.Step::processor).toList())
          .append(" -> ")
          .append(route.outbound());
    }
    LOG.info(text.toString());
  }

  /** A router with these routes, outside CDI (tests). */
  public static Router of(List<Route> routes) {
    Router router = new Router();
    router.routes = List.copyOf(routes);
    router.origin = "given routes";
    return router;
  }

  private Optional<Processor> processor(String name) {
    Instance<Processor> named = processors.select(NamedLiteral.of(name));
    return named.isResolvable() ? Optional.of(named.get()) : Optional.empty();
  }

  public List<Route> routes() {
    return routes;
  }

  /** Every outbound destination of the routes, once each, in the routes' order. */
  public List<dev.topicprocessor.sink.Destination> destinations() {
    return routes().stream().flatMap(route -> route.outbound().stream()).distinct().toList();
  }

  /** The route of that name. */
  public Optional<Route> named(String name) {
    return routes.stream().filter(r -> r.name().equals(name)).findFirst();
  }

  /** The routes that aggregate. */
  public List<Route> aggregating() {
    return routes.stream().filter(r -> r.aggregation() != null).toList();
  }

  public String origin() {
    return origin;
  }

  public List<Route> match(String cache, String topic) {
    return routes.stream().filter(r -> r.matches(cache, topic)).toList();
  }

  /** Every cache a route reads from or publishes to. */
  public Set<String> caches() {
    Set<String> caches = new LinkedHashSet<>();
    for (Route route : routes) {
      caches.add(route.cache());
      route.outbound().stream()
          .filter(TopicDestination.class::isInstance)
          .forEach(d -> caches.add(((TopicDestination) d).cache()));
    }
    return caches;
  }
}
