package dev.topicprocessor.problem;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.topicprocessor.support.Json;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The application's error page ({@code web.xml}): an error the server raises for a request to the
 * application outside JAX-RS (a header it could not parse, a request it refused) is answered as a
 * problem too, with the status only: the server's own message may name its internals.
 */
@WebServlet("/problem-error")
public class ErrorPageServlet extends HttpServlet {

  private static final ObjectMapper JSON = Json.mapper();

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    int status = code instanceof Integer number ? number : 500;
    ProblemType type = ProblemType.forStatus(status);
    Problem problem =
        new Problem(
            type.type(),
            type.title(),
            status,
            status >= 500
                ? "the server failed to answer the request"
                : "the server refused the request (HTTP " + status + ")");
    response.setStatus(status);
    response.setContentType(Problem.MEDIA_TYPE);
    response.setCharacterEncoding("UTF-8");
    JSON.writeValue(response.getOutputStream(), problem);
  }
}
