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
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Logger;

/** The routes in force, loaded at start from the configured file or the built-in one. */
@ApplicationScoped
public class Router {

  static final String BUILT_IN = "/routes.json";
  private static final Logger LOG = Logger.getLogger(Router.class.getName());

  @Inject Settings settings;
  @Inject @Any Instance<Processor> processors;

  /** The routes in force and where they came from, swapped whole. */
  private record Table(List<Route> routes, String origin) {}

  private volatile Table table;

  /** Finds a processor by name: the CDI beans, or those a test gives. */
  private Function<String, Optional<Processor>> lookup = this::processor;

  /** A router reading the routes these settings name, with these processors (tests). */
  static Router reading(Settings settings, Function<String, Optional<Processor>> processors) {
    Router router = new Router();
    router.settings = settings;
    router.lookup = processors;
    router.load();
    return router;
  }

  @PostConstruct
  void load() {
    put(read());
  }

  /**
   * Reads the routes file again and checks it; puts the new routes in force at once, all together,
   * or refuses them ({@link InvalidRoutesException}, saying what is wrong) and keeps those in
   * force.
   *
   * @param beforeSwap given the new routes once they are checked, gets ready for them before they
   *     are put in force; it may refuse them by throwing {@link InvalidRoutesException}
   * @return the routes in force now
   */
  public synchronized List<Route> reload(Consumer<List<Route>> beforeSwap) {
    Table loaded = read();
    beforeSwap.accept(loaded.routes());
    put(loaded);
    return routes();
  }

  private void put(Table loaded) {
    StringBuilder text = new StringBuilder("routes from " + loaded.origin() + ":");
    for (Route route : loaded.routes()) {
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
    table = loaded;
    LOG.info(text.toString());
  }

  /** Reads and checks the configured routes file, or the built-in one. */
  private Table read() {
    RoutesParser parser = new RoutesParser(lookup);
    Optional<String> file = settings.get(Setting.TOPIC_PROCESSOR_ROUTES);
    if (file.isPresent()) {
      Path path = Path.of(file.get());
      String origin = path.toAbsolutePath().toString();
      try (InputStream in = Files.newInputStream(path)) {
        return new Table(parser.parse(in, origin), origin);
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
    }
    String origin = "the built-in routes (WEB-INF/classes" + BUILT_IN + ")";
    try (InputStream in = Router.class.getResourceAsStream(BUILT_IN)) {
      if (in == null) {
        throw new InvalidRoutesException("the WAR has no " + BUILT_IN);
      }
      return new Table(parser.parse(in, origin), origin);
    } catch (IOException e) {
      throw new InvalidRoutesException("cannot read " + origin, e);
    }
  }

  /** A router with these routes, outside CDI (tests). */
  public static Router of(List<Route> routes) {
    Router router = new Router();
    router.table = new Table(List.copyOf(routes), "given routes");
    return router;
  }

  private Optional<Processor> processor(String name) {
    Instance<Processor> named = processors.select(NamedLiteral.of(name));
    return named.isResolvable() ? Optional.of(named.get()) : Optional.empty();
  }

  public List<Route> routes() {
    return table.routes();
  }

  /** Every outbound destination of the routes, once each, in the routes' order. */
  public List<dev.topicprocessor.sink.Destination> destinations() {
    return destinationsOf(routes());
  }

  /** Every outbound destination of these routes, once each, in their order. */
  public static List<dev.topicprocessor.sink.Destination> destinationsOf(List<Route> routes) {
    return routes.stream().flatMap(route -> route.outbound().stream()).distinct().toList();
  }

  /** The route of that name. */
  public Optional<Route> named(String name) {
    return routes().stream().filter(r -> r.name().equals(name)).findFirst();
  }

  /** The routes that aggregate. */
  public List<Route> aggregating() {
    return routes().stream().filter(r -> r.aggregation() != null).toList();
  }

  public String origin() {
    return table.origin();
  }

  public List<Route> match(String cache, String topic) {
    return routes().stream().filter(r -> r.matches(cache, topic)).toList();
  }

  /** Every cache a route reads from or publishes to. */
  public Set<String> caches() {
    Set<String> caches = new LinkedHashSet<>();
    for (Route route : routes()) {
      caches.add(route.cache());
      route.outbound().stream()
          .filter(TopicDestination.class::isInstance)
          .forEach(d -> caches.add(((TopicDestination) d).cache()));
    }
    return caches;
  }
}
