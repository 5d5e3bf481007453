package dev.topicprocessor.operations.jmx;

/** An outbound destination: {@code dev.topicprocessor:type=Sink,context=…,name=<destination>}. */
public interface SinkMXBean {

  /** Its kind: {@code topic}, {@code http}, {@code jdbc}, {@code jms}. */
  String getKind();

  /** Its circuit breaker: {@code closed}, {@code open} or {@code half-open}. */
  String getBreakerState();

  /** Deliveries that succeeded since the start. */
  long getDeliveries();

  /** Delivery attempts that failed since the start. */
  long getFailures();

  /** Deliveries under way now. */
  int getInFlight();

  /** Deliveries waiting for the concurrency limit now. */
  int getWaiting();
}
