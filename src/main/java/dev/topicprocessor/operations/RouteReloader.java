package dev.topicprocessor.operations;

import java.util.List;

/**
 * Puts corrected routes in force without a redeploy: implemented by the application's composition
 * root, which knows everything a new route may need (its sinks, a subscription, a webhook).
 */
public interface RouteReloader {

  /**
   * Reads the routes file again, checks it as at start, and puts it in force all together.
   *
   * @throws dev.topicprocessor.routing.InvalidRoutesException saying what is wrong; the routes in
   *     force stay
   */
  Reloaded reload();

  /**
   * The routes in force after a reload.
   *
   * @param origin the file they came from
   * @param routes the names of every route now in force
   * @param added the names of routes that were not there before
   * @param removed the names of routes that are gone
   */
  record Reloaded(String origin, List<String> routes, List<String> added, List<String> removed) {
    public Reloaded {
      routes = List.copyOf(routes);
      added = List.copyOf(added);
      removed = List.copyOf(removed);
    }
  }
}
