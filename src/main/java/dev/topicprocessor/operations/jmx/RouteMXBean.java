package dev.topicprocessor.operations.jmx;

import java.util.List;

/** A route in force: {@code dev.topicprocessor:type=Route,context=…,name=<route>}. */
public interface RouteMXBean {

  String getName();

  /** How its events come in: {@code webhook} or {@code subscription}. */
  String getSource();

  /** Its inbound cache and topic, {@code cache/topic}. */
  String getInbound();

  /** Its processors, in order. */
  List<String> getProcessors();

  /** Its outbound destinations. */
  List<String> getDestinations();

  /** Events it took in since the start. */
  long getEvents();

  /** Its outputs delivered since the start. */
  long getDelivered();

  /** Its outputs that failed an attempt since the start (retried later or dead-lettered). */
  long getFailed();
}
