package dev.topicprocessor.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.topicprocessor.problem.Problem;
import dev.topicprocessor.problem.ProblemType;
import dev.topicprocessor.support.Json;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.servlet.ServletExtension;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.util.Headers;
import jakarta.servlet.ServletContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * On WildFly only (registered by the WildFly WAR's {@code META-INF/services}): refuses HTTP Basic
 * credentials that are not Base64 before the server's own Basic mechanism reads them, because
 * WildFly 39 answers those with a 500 and logs an exception. Every other request goes on as it
 * came; the credentials themselves are checked where they always are ({@code OperatorAccess}).
 */
public class UndertowCredentialsGuard implements ServletExtension {

  private static final ObjectMapper JSON = Json.mapper();

  @Override
  public void handleDeployment(DeploymentInfo deployment, ServletContext context) {
    deployment.addInitialHandlerChainWrapper(UndertowCredentialsGuard::guard);
  }

  private static HttpHandler guard(HttpHandler next) {
    return exchange -> {
      String authorization = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
      if (authorization != null && !readableBasic(authorization)) {
        refuse(exchange);
        return;
      }
      next.handleRequest(exchange);
    };
  }

  /** Whether the header is not Basic, or is Basic with Base64 credentials. */
  static boolean readableBasic(String authorization) {
    if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return true;
    }
    try {
      Base64.getDecoder().decode(authorization.substring(6).trim());
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static void refuse(HttpServerExchange exchange) throws Exception {
    Problem problem = Problem.of(ProblemType.UNAUTHORIZED, "the Basic credentials are not Base64");
    exchange.setStatusCode(problem.status());
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, Problem.MEDIA_TYPE);
    for (String challenge : problem.challenges(true)) {
      exchange.getResponseHeaders().add(Headers.WWW_AUTHENTICATE, challenge);
    }
    exchange
        .getResponseSender()
        .send(new String(JSON.writeValueAsBytes(problem), StandardCharsets.UTF_8));
  }
}
