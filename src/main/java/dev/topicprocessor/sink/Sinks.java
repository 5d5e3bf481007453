package dev.topicprocessor.sink;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;

/** Every {@link Sink} in the application, and which one delivers to a destination. */
@ApplicationScoped
public class Sinks {

  @Inject @Any Instance<Sink> all;

  private volatile List<Sink> sinks;

  public Sinks() {}

  /** The sinks given, outside CDI (tests). */
  public Sinks(List<Sink> sinks) {
    this.sinks = List.copyOf(sinks);
  }

  /** Lets each destination's sink get ready for it (see {@link Sink#prepare}). */
  public void prepare(java.util.Collection<Destination> destinations) {
    for (Destination destination : destinations) {
      forDestination(destination).ifPresent(sink -> sink.prepare(destination));
    }
  }

  public Optional<Sink> forDestination(Destination destination) {
    if (sinks == null) {
      sinks = all.stream().toList();
    }
    return sinks.stream().filter(sink -> sink.accepts(destination)).findFirst();
  }
}
