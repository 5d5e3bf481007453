package dev.topicprocessor.problem;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Every error answers {@code application/problem+json}; no stack trace ever reaches a caller. */
public final class ProblemMappers {

  private static final Logger LOG = Logger.getLogger(ProblemMappers.class.getName());

  private ProblemMappers() {}

  @Provider
  public static class Problems implements ExceptionMapper<ProblemException> {
    @jakarta.ws.rs.core.Context jakarta.ws.rs.core.HttpHeaders headers;

    @Override
    public Response toResponse(ProblemException e) {
      return e.problem().toResponse(headers == null || headers.getHeaderString(SCRIPT) == null);
    }
  }

  /** The header a page's script sends with its API calls (as browsers' XMLHttpRequest did). */
  public static final String SCRIPT = "X-Requested-With";

  /** Errors the JAX-RS runtime raises itself: unknown path, wrong method, media types. */
  @Provider
  public static class WebApplicationErrors implements ExceptionMapper<WebApplicationException> {
    @Override
    public Response toResponse(WebApplicationException e) {
      int status = e.getResponse().getStatus();
      ProblemType type = ProblemType.forStatus(status);
      Problem problem =
          new Problem(
              type.type(), type.title(), status, e.getResponse().getStatusInfo().getReasonPhrase());
      return problem.toResponse();
    }
  }

  /** Anything else is our fault: logged with a reference the caller can quote, never shown. */
  @Provider
  public static class Unexpected implements ExceptionMapper<Throwable> {
    @Override
    public Response toResponse(Throwable e) {
      String reference = UUID.randomUUID().toString();
      LOG.log(Level.SEVERE, "unexpected error, reference " + reference, e);
      return Problem.of(ProblemType.INTERNAL_ERROR, "internal error, reference " + reference)
          .toResponse();
    }
  }
}
