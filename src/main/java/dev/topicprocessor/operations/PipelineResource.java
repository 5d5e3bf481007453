package dev.topicprocessor.operations;

import dev.topicprocessor.engine.Dispatcher;
import dev.topicprocessor.journal.Journal;
import dev.topicprocessor.problem.ProblemException;
import dev.topicprocessor.problem.ProblemType;
import dev.topicprocessor.routing.InvalidRoutesException;
import dev.topicprocessor.routing.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /api/pipeline}: whether processing is paused, and for operators ({@link OperatorAccess})
 * pause, resume and a reload of the routes file, as the console page's buttons call them.
 */
@ApplicationScoped
@Path("pipeline")
@Produces(MediaType.APPLICATION_JSON)
public class PipelineResource {

  @Inject PipelineOperations operations;
  @Inject OperatorAccess access;
  @Inject Dispatcher dispatcher;
  @Inject Journal journal;
  @Inject Router router;

  @GET
  public Map<String, Object> state() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("paused", operations.paused());
    body.put("backlog", journal.backlog());
    body.put("inMemory", dispatcher.inFlight());
    body.put("deadLetters", journal.deadLetterCount());
    body.put("routes", router.routes().size());
    body.put("routesFrom", router.origin());
    return body;
  }

  @POST
  @Path("pause")
  public Map<String, Object> pause(@Context HttpServletRequest request) {
    access.require(request);
    boolean changed = operations.pause(OperatorAccess.who(request));
    return Map.of("paused", true, "changed", changed);
  }

  @POST
  @Path("resume")
  public Map<String, Object> resume(@Context HttpServletRequest request) {
    access.require(request);
    boolean changed = operations.resume(OperatorAccess.who(request));
    return Map.of("paused", false, "changed", changed);
  }

  /** 200 with the routes now in force, or 422 saying what is wrong (the old routes stay). */
  @POST
  @Path("reload-routes")
  public RouteReloader.Reloaded reloadRoutes(@Context HttpServletRequest request) {
    access.require(request);
    try {
      return operations.reloadRoutes(OperatorAccess.who(request));
    } catch (InvalidRoutesException e) {
      throw new ProblemException(
          ProblemType.ROUTES_INVALID,
          "the routes file was refused and the routes in force stay: " + e.getMessage());
    }
  }
}
