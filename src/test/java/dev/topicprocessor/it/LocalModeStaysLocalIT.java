package dev.topicprocessor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URL;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Local mode stays local: a caller from another address of this machine gets nothing from the
 * console's API (publish to or watch any topic) nor from the operator APIs without operator rights.
 * The requests really come from that address (the socket is bound to it) though the test servers
 * listen on the loopback address only, as {@code mvn package cargo:run} does. Where the machine has
 * no other address, {@code OperatorAccessTest} checks the rule.
 */
@ExtendWith(LocalMomentoForTests.class)
@ExtendWith(ArquillianExtension.class)
class LocalModeStaysLocalIT {

  private static final Duration WITHIN = Duration.ofSeconds(20);
  private static final String TOKEN = "Authorization: Bearer it-operator-token";

  @Deployment(testable = false)
  static WebArchive war() {
    return Deployments.packagedWar();
  }

  @ArquillianResource URL base;

  @Test
  void anotherAddressGetsNothingWithoutOperatorRights() throws Exception {
    Optional<InetAddress> other = nonLoopbackAddress();
    Assumptions.assumeTrue(other.isPresent(), "this machine has no address but the loopback");
    assertEquals(200, call(null, "GET", "api/console").status(), "a caller on the loopback");

    String[][] calls = {
      {"GET", "api/console"},
      {"GET", "api/console/history"},
      {"POST", "api/console/topics/default-cache/topic%201"},
      {"GET", "api/console/events/default-cache/topic%202"},
      {"GET", "api/dead-letters"},
      {"POST", "api/dead-letters/replay"},
      {"POST", "api/pipeline/pause"},
      {"POST", "api/pipeline/reload-routes"},
    };
    for (String[] request : calls) {
      RawHttp.Answer answer = call(other.get(), request[0], request[1]);
      String what = request[0] + " " + request[1] + " from " + other.get().getHostAddress();
      assertEquals(401, answer.status(), what + ": " + answer);
      assertTrue(answer.header("Content-Type").startsWith("application/problem+json"), what);
      assertTrue(answer.body().contains("urn:topic-processor:problem:unauthorized"), what);
      assertTrue(answer.header("WWW-Authenticate").startsWith("Bearer"), what);
    }
    assertEquals(
        401,
        call(null, "GET", "api/console", "X-Forwarded-For: 192.0.2.99").status(),
        "a request relayed by a proxy on this machine");
    assertEquals(
        200, call(other.get(), "GET", "api/console", TOKEN).status(), "an operator elsewhere");
    assertEquals(
        false,
        Http.json(new Http(base).get("api/pipeline")).get("paused").asBoolean(),
        "nothing was paused");
  }

  private RawHttp.Answer call(InetAddress from, String method, String path, String... headers) {
    StringBuilder head =
        new StringBuilder(method + " " + base.getPath() + path + " HTTP/1.1\r\n")
            .append("Host: ")
            .append(base.getHost())
            .append("\r\nConnection: close\r\nContent-Length: 0\r\n");
    for (String header : List.of(headers)) {
      head.append(header).append("\r\n");
    }
    return RawHttp.exchange(
        base.getHost(),
        base.getPort(),
        from,
        RawHttp.Request.of(head.append("\r\n").toString(), new byte[0]),
        WITHIN);
  }

  private static Optional<InetAddress> nonLoopbackAddress() throws Exception {
    for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!network.isUp() || network.isLoopback()) {
        continue;
      }
      for (InetAddress address : Collections.list(network.getInetAddresses())) {
        if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
          return Optional.of(address);
        }
      }
    }
    return Optional.empty();
  }
}
