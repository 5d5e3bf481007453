package dev.topicprocessor.operations;

import dev.topicprocessor.engine.Dispatcher;
import dev.topicprocessor.journal.Journal;
import dev.topicprocessor.routing.InvalidRoutesException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.logging.Logger;

/**
 * What an operator may do to the pipeline, from the console page or from JMX: pause and resume
 * processing, reload the routes, replay every dead letter. Each is logged with who asked.
 */
@ApplicationScoped
public class PipelineOperations {

  private static final Logger LOG = Logger.getLogger(PipelineOperations.class.getName());

  @Inject Dispatcher dispatcher;
  @Inject Journal journal;
  @Inject RouteReloader reloader;

  /**
   * Stops processing; events are still accepted and journaled.
   *
   * @return whether it was processing until now
   */
  public boolean pause(String caller) {
    boolean changed = dispatcher.pause();
    LOG.warning(
        changed
            ? "processing paused by "
                + caller
                + ": events are accepted and journaled, none is processed until resumed"
            : "pause asked by " + caller + ": processing was paused already");
    return changed;
  }

  /**
   * Processes again, beginning with what was journaled while paused.
   *
   * @return whether it was paused until now
   */
  public boolean resume(String caller) {
    boolean changed = dispatcher.resume();
    LOG.warning(
        changed
            ? "processing resumed by " + caller + " (" + journal.backlog() + " event(s) pending)"
            : "resume asked by " + caller + ": processing was not paused");
    return changed;
  }

  public boolean paused() {
    return dispatcher.paused();
  }

  /**
   * Reads the routes file again and puts it in force, or refuses it and keeps the routes in force.
   *
   * @throws InvalidRoutesException saying what is wrong with the file
   */
  public RouteReloader.Reloaded reloadRoutes(String caller) {
    try {
      RouteReloader.Reloaded reloaded = reloader.reload();
      LOG.warning(
          "routes reloaded by "
              + caller
              + " from "
              + reloaded.origin()
              + ": "
              + reloaded.routes().size()
              + " route(s), added "
              + reloaded.added()
              + ", removed "
              + reloaded.removed());
      return reloaded;
    } catch (InvalidRoutesException e) {
      LOG.warning(
          "routes reload asked by "
              + caller
              + " refused, the routes in force stay: "
              + e.getMessage());
      throw e;
    }
  }

  /**
   * Puts every dead letter back to be processed again.
   *
   * @return how many
   */
  public int replayDeadLetters(String caller) {
    int replayed = journal.replay(null);
    LOG.info(replayed + " dead letter(s) replayed by " + caller);
    return replayed;
  }
}
