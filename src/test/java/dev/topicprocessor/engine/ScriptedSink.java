package dev.topicprocessor.engine;

import dev.topicprocessor.sink.Delivery;
import dev.topicprocessor.sink.Destination;
import dev.topicprocessor.sink.Sink;
import dev.topicprocessor.sink.SinkResult;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * A destination kind of the tests' own, delivered in memory: what it got, in order; failures
 * scripted per destination; deliveries held until released.
 */
final class ScriptedSink implements Sink {

  /** Where this sink delivers: a named list in memory. */
  record Box(String name) implements Destination {
    @Override
    public String kind() {
      return "box";
    }

    @Override
    public String toString() {
      return "box " + name;
    }
  }

  private final List<String> delivered = new ArrayList<>();
  private final Map<String, Deque<SinkResult>> scripts = new ConcurrentHashMap<>();
  private final List<CompletableFuture<Void>> held = new ArrayList<>();
  private volatile boolean holding;
  private int attempts;

  /** The next deliveries to {@code box} answer these, in order; then they are delivered. */
  void script(String box, SinkResult... results) {
    scripts.computeIfAbsent(box, b -> new ConcurrentLinkedDeque<>()).addAll(List.of(results));
  }

  /** Deliveries wait until {@link #release()}. */
  void hold() {
    holding = true;
  }

  synchronized void release() {
    holding = false;
    held.forEach(gate -> gate.complete(null));
    held.clear();
  }

  synchronized int heldCount() {
    return held.size();
  }

  /** "box: text" for every delivery, in the order they were made. */
  synchronized List<String> delivered() {
    return List.copyOf(delivered);
  }

  synchronized int attempts() {
    return attempts;
  }

  @Override
  public boolean accepts(Destination destination) {
    return destination instanceof Box;
  }

  @Override
  public CompletableFuture<SinkResult> deliver(Destination destination, Delivery delivery) {
    String box = ((Box) destination).name();
    CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);
    synchronized (this) {
      attempts++;
      if (holding) {
        gate = new CompletableFuture<>();
        held.add(gate);
      }
    }
    return gate.thenApply(
        ignored -> {
          Deque<SinkResult> script = scripts.get(box);
          SinkResult result = script == null ? null : script.poll();
          if (result != null) {
            return result;
          }
          synchronized (this) {
            delivered.add(box + ": " + delivery.text());
          }
          return new SinkResult.Delivered();
        });
  }
}
