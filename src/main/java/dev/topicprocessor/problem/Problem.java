package dev.topicprocessor.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

/** An {@code application/problem+json} body (RFC 9457). Details never carry secrets. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(URI type, String title, int status, String detail) {

  public static final String MEDIA_TYPE = "application/problem+json";

  public static Problem of(ProblemType type, String detail) {
    return new Problem(type.type(), type.title(), type.status(), detail);
  }

  public Response toResponse() {
    return toResponse(true);
  }

  /**
   * The response; a 401 challenges for a bearer token and, if {@code basic}, for HTTP Basic too. A
   * page's own script calling the API asks for no Basic challenge (it sends {@code
   * X-Requested-With}): a browser would answer that with a login dialog of its own.
   */
  public Response toResponse(boolean basic) {
    Response.ResponseBuilder response = Response.status(status).type(MEDIA_TYPE).entity(this);
    challenges(basic).forEach(challenge -> response.header("WWW-Authenticate", challenge));
    return response.build();
  }

  /** The {@code WWW-Authenticate} values of this answer: none unless it asks for credentials. */
  public List<String> challenges(boolean basic) {
    if (status != 401 || !type.equals(ProblemType.UNAUTHORIZED.type())) {
      return List.of();
    }
    String bearer = "Bearer realm=\"topic-processor\"";
    return basic ? List.of(bearer, "Basic realm=\"topic-processor\"") : List.of(bearer);
  }
}
