package dev.topicprocessor.sink;

import java.util.concurrent.CompletableFuture;

/**
 * Delivers outputs to one kind of {@link Destination}: a CDI bean, found by {@link #accepts}. A
 * sink makes one attempt per call and says how it went; retries with backoff, dead letters and
 * "already delivered, not again" are the engine's, the same for every sink.
 */
public interface Sink {

  /** Whether this sink delivers to that destination. */
  boolean accepts(Destination destination);

  /**
   * Gets ready to deliver to a destination of the routes: called at start, on the thread that
   * deploys the application, where the application's JNDI names ({@code java:comp/env/…}) resolve.
   * Must not throw: what cannot be found now is looked for again at delivery, and until then each
   * delivery fails in a way worth retrying.
   */
  default void prepare(Destination destination) {}

  /**
   * Delivers one output once. The future always completes normally, with the outcome; it must not
   * block the caller.
   */
  CompletableFuture<SinkResult> deliver(Destination destination, Delivery delivery);
}
