package dev.topicprocessor.operations.jmx;

/**
 * The processor of one deployment, as JMX shows it: {@code
 * dev.topicprocessor:type=Pipeline,context=<context path>}.
 */
public interface PipelineMXBean {

  /** Events accepted and not yet done, on every node sharing the journal. */
  long getBacklog();

  /** Events this node holds in memory: waiting for a worker, being processed or delivered. */
  int getInMemory();

  /** Dead letters in the journal. */
  long getDeadLetters();

  /** Whether an operator paused processing (events are still accepted and journaled). */
  boolean isPaused();

  /** Events accepted (committed to the journal) since the start. */
  long getReceived();

  /** Events processed since the start: every output delivered, or dropped by a processor. */
  long getProcessed();

  /** Outputs delivered since the start. */
  long getPublished();

  /** Processing attempts that failed since the start: retried later, or dead-lettered. */
  long getFailed();

  /** Events that became dead letters since the start. */
  long getDeadLettered();

  /** Routes in force. */
  int getRoutes();

  /** The file the routes in force came from. */
  String getRoutesFrom();

  /** This node's id among the nodes sharing the journal. */
  String getNode();

  /**
   * Stops processing; events are still accepted and journaled.
   *
   * @return whether it was processing until now
   */
  boolean pause();

  /**
   * Processes again, beginning with what was journaled while paused.
   *
   * @return whether it was paused until now
   */
  boolean resume();

  /**
   * Reads the routes file again and puts it in force, or refuses it and keeps the routes in force.
   *
   * @return what happened, beginning with {@code reloaded} or {@code refused}
   */
  String reloadRoutes();

  /**
   * Puts every dead letter back to be processed again.
   *
   * @return how many
   */
  int replayDeadLetters();
}
