package dev.topicprocessor.engine;

import dev.topicprocessor.config.Settings;
import dev.topicprocessor.event.InboundEvent;
import dev.topicprocessor.intake.Intake;
import dev.topicprocessor.journal.Journal;
import dev.topicprocessor.journal.Membership;
import dev.topicprocessor.metrics.ProcessorMetrics;
import dev.topicprocessor.processor.builtin.Uppercase;
import dev.topicprocessor.routing.Route;
import dev.topicprocessor.routing.Router;
import dev.topicprocessor.sink.Sinks;
import dev.topicprocessor.testing.Fixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The engine as the application wires it, without a server: an embedded H2 journal in a directory,
 * the intake, the dispatcher with its workers, delivery and settlement, and a {@link ScriptedSink}.
 */
final class Engine implements AutoCloseable {

  final ScriptedSink sink = new ScriptedSink();
  final ProcessorMetrics metrics = new ProcessorMetrics();
  final Journal journal;
  final Membership membership;
  final Intake intake;
  final Dispatcher dispatcher = new Dispatcher();
  private final ProcessingExecutor executor = new ProcessingExecutor();
  private final OutputDelivery delivery = new OutputDelivery();
  final DestinationGuards guards;
  final Windows windows;

  /** The seed's route, delivering to boxes "a" and "b". */
  static Route uppercaseToAAndB() throws Exception {
    return new Route(
        "upper",
        "cache",
        "in",
        List.of(
            new Route.Step(
                "uppercase",
                new Uppercase()
                    .configure(
                        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                            .objectNode()))),
        List.of(new ScriptedSink.Box("a"), new ScriptedSink.Box("b")));
  }

  static InboundEvent event(long sequence, String text) {
    return InboundEvent.fromWebhook(
        "cache", "in", sequence, System.currentTimeMillis(), 0, "", text);
  }

  Engine(Path dir, List<Route> routes, Map<String, String> overrides) {
    Map<String, String> values = new HashMap<>();
    values.put("TOPIC_PROCESSOR_WORKERS", "2");
    values.put("TOPIC_PROCESSOR_PUBLISH_INITIAL_BACKOFF_MS", "1");
    values.put("TOPIC_PROCESSOR_PUBLISH_MAX_BACKOFF_MS", "5");
    values.put("TOPIC_PROCESSOR_RETRY_INITIAL_BACKOFF_MS", "10");
    values.put("TOPIC_PROCESSOR_RETRY_MAX_BACKOFF_MS", "50");
    values.putAll(overrides);
    Settings settings = Fixtures.settings(values);
    journal = Fixtures.journal(dir, "engine", values, metrics);
    intake = new Intake(journal, settings, metrics);
    membership = new Membership(journal, metrics);
    membership.join();
    executor.settings = settings;
    executor.metrics = metrics;
    executor.start();
    delivery.sinks = new Sinks(List.of(sink, new WindowSink(journal)));
    delivery.settings = settings;
    delivery.metrics = metrics;
    guards = new DestinationGuards(settings, metrics);
    delivery.guards = guards;
    delivery.start();
    Settlement settlement = new Settlement();
    settlement.journal = journal;
    settlement.settings = settings;
    settlement.metrics = metrics;
    settlement.configure();
    dispatcher.router = Router.of(routes);
    dispatcher.delivery = delivery;
    dispatcher.settlement = settlement;
    dispatcher.executor = executor;
    dispatcher.metrics = metrics;
    dispatcher.journal = journal;
    dispatcher.settings = settings;
    dispatcher.membership = membership;
    dispatcher.start();
    intake.open(dispatcher::offer);
    windows = new Windows(journal, dispatcher.router, membership);
    windows.start();
  }

  /** Waits until {@code condition} holds, at most 20 s. */
  static boolean await(BooleanSupplier condition) throws InterruptedException {
    return Fixtures.await(condition, Duration.ofSeconds(20));
  }

  @Override
  public void close() throws Exception {
    intake.close();
    windows.stop();
    sink.release();
    dispatcher.stop(Duration.ofSeconds(5));
    delivery.stop();
    executor.stop();
    membership.leave();
    journal.close();
  }
}
