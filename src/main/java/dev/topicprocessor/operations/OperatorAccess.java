package dev.topicprocessor.operations;

import dev.topicprocessor.client.MomentoConnection;
import dev.topicprocessor.config.Setting;
import dev.topicprocessor.config.Settings;
import dev.topicprocessor.problem.ProblemException;
import dev.topicprocessor.problem.ProblemType;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.logging.Logger;

/**
 * Who may operate the processor (the dead-letter API): a caller with the operator token ({@code
 * Authorization: Bearer}), or a user of the server's realm with the operator role, logged in by the
 * container (HTTP Basic, or a constraint the operator added). In local mode with no token set,
 * callers on the loopback address are operators, so the console works out of the box. A request a
 * proxy relayed ({@code Forwarded}, {@code X-Forwarded-For}) never counts as the loopback's.
 */
@ApplicationScoped
public class OperatorAccess {

  private static final Logger LOG = Logger.getLogger(OperatorAccess.class.getName());

  @Inject Settings settings;
  @Inject MomentoConnection momento;

  private byte[] token;
  private String role;
  private boolean loopbackIsOperator;

  @PostConstruct
  void configure() {
    token =
        settings
            .get(Setting.TOPIC_PROCESSOR_OPERATOR_TOKEN)
            .map(t -> t.getBytes(StandardCharsets.UTF_8))
            .orElse(null);
    role = settings.require(Setting.TOPIC_PROCESSOR_OPERATOR_ROLE);
    loopbackIsOperator = token == null && momento.mode().local();
    if (loopbackIsOperator) {
      LOG.info(
          "dead-letter API: local mode without TOPIC_PROCESSOR_OPERATOR_TOKEN, so callers on the"
              + " loopback address are operators");
    }
  }

  /**
   * @throws ProblemException 401 without valid credentials, 403 for a user without the role
   */
  public void require(HttpServletRequest request) {
    String authorization = request.getHeader("Authorization");
    if (authorization != null && startsWithIgnoringCase(authorization, "Bearer ")) {
      byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
      if (token != null && MessageDigest.isEqual(token, given)) {
        return;
      }
      throw new ProblemException(ProblemType.UNAUTHORIZED, "the bearer token is not accepted");
    }
    if (request.getUserPrincipal() == null
        && authorization != null
        && startsWithIgnoringCase(authorization, "Basic ")) {
      login(request, authorization.substring(6).trim());
    }
    if (request.getUserPrincipal() != null) {
      if (request.isUserInRole(role)) {
        return;
      }
      throw new ProblemException(
          ProblemType.FORBIDDEN,
          "user " + request.getUserPrincipal().getName() + " does not have the role " + role);
    }
    if (loopbackIsOperator && fromThisMachine(request)) {
      return;
    }
    throw new ProblemException(
        ProblemType.UNAUTHORIZED,
        "operator credentials are required: Authorization: Bearer <TOPIC_PROCESSOR_OPERATOR_TOKEN>,"
            + " or HTTP Basic for a user with the role "
            + role);
  }

  /**
   * The console's rule: a caller on this machine may use it (the page works out of the box), any
   * other caller only with operator rights, since the console publishes to and watches any topic.
   *
   * @throws ProblemException 401 or 403 for another machine's caller who is not an operator
   */
  public void requireThisMachineOrOperator(HttpServletRequest request) {
    if (!fromThisMachine(request)) {
      require(request);
    }
  }

  /**
   * Whether a request comes from this machine's loopback address and was not relayed by a proxy
   * there (a {@code Forwarded} or {@code X-Forwarded-For} header says it came from further away).
   */
  private static boolean fromThisMachine(HttpServletRequest request) {
    return fromThisMachine(
        request.getRemoteAddr(),
        request.getHeader("Forwarded"),
        request.getHeader("X-Forwarded-For"));
  }

  static boolean fromThisMachine(String remoteAddress, String forwarded, String forwardedFor) {
    return loopback(remoteAddress) && forwarded == null && forwardedFor == null;
  }

  private static void login(HttpServletRequest request, String credentials) {
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new ProblemException(ProblemType.UNAUTHORIZED, "the Basic credentials are not Base64");
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      throw new ProblemException(
          ProblemType.UNAUTHORIZED, "the Basic credentials are not user:password");
    }
    try {
      request.login(decoded.substring(0, colon), decoded.substring(colon + 1));
    } catch (ServletException | RuntimeException e) {
      throw new ProblemException(
          ProblemType.UNAUTHORIZED, "the user name or password is not accepted");
    }
  }

  private static boolean startsWithIgnoringCase(String text, String prefix) {
    return text.regionMatches(true, 0, prefix, 0, prefix.length());
  }

  private static boolean loopback(String address) {
    try {
      // getByName("") would answer the loopback address itself
      return address != null
          && !address.isBlank()
          && InetAddress.getByName(address).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  /** Who a request comes from, for the log: the user, or the address of a holder of the token. */
  public static String who(HttpServletRequest request) {
    return request.getUserPrincipal() != null
        ? "user " + request.getUserPrincipal().getName()
        : "an operator at " + request.getRemoteAddr();
  }
}
