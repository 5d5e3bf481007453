package dev.topicprocessor.it;

import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * The test server's MBeans, reached the way an operator reaches them: on Tomcat through the
 * Manager's JMX proxy ({@code /manager/jmxproxy/}, a user with role {@code manager-jmx}), on
 * WildFly through its remoting JMX connector on the management port ({@code
 * service:jmx:remote+http}, local authentication as jboss-cli uses).
 */
abstract class ServerJmx implements AutoCloseable {

  /** The names of the MBeans that match a pattern such as {@code dev.topicprocessor:*}. */
  abstract List<String> names(String pattern) throws Exception;

  /** An attribute's value, as text. */
  abstract String get(String name, String attribute) throws Exception;

  /** Invokes an operation without parameters; what it returned, as text. */
  abstract String invoke(String name, String operation) throws Exception;

  @Override
  public void close() throws Exception {}

  /** The test server's, next to the deployment at {@code base}. */
  static ServerJmx of(URL base) throws Exception {
    return "wildfly".equals(System.getProperty("it.server", "tomcat"))
        ? new Remoting(System.getProperty("it.wildfly.management", "127.0.0.1:19990"))
        : new JmxProxy(URI.create(base.getProtocol() + "://" + base.getAuthority() + "/"));
  }

  /** Tomcat's Manager JMX proxy, with the test server's manager user. */
  static final class JmxProxy extends ServerJmx {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final URI proxy;
    private final String authorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString("arquillian:arquillian".getBytes(StandardCharsets.UTF_8));

    JmxProxy(URI server) {
      this.proxy = server.resolve("/manager/jmxproxy/");
    }

    /** The proxy's text answer; it begins with "OK - " when the call worked. */
    String call(String query) throws Exception {
      HttpResponse<String> response =
          Answers.send(
              HTTP,
              HttpRequest.newBuilder(URI.create(proxy + "?" + query))
                  .header("Authorization", authorization)
                  .build());
      if (response.statusCode() != 200 || !response.body().startsWith("OK - ")) {
        throw new IllegalStateException(
            "jmxproxy ?" + query + ": " + response.statusCode() + " " + response.body());
      }
      return response.body();
    }

    private static String encode(String text) {
      return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    @Override
    List<String> names(String pattern) throws Exception {
      List<String> names = new ArrayList<>();
      Matcher name = Pattern.compile("(?m)^Name: (.*)$").matcher(call("qry=" + encode(pattern)));
      while (name.find()) {
        names.add(name.group(1).trim());
      }
      return names;
    }

    @Override
    String get(String name, String attribute) throws Exception {
      String body = call("get=" + encode(name) + "&att=" + encode(attribute));
      // OK - Attribute get 'name' - Backlog = 0
      return body.substring(body.indexOf(attribute + " = ") + attribute.length() + 3).trim();
    }

    @Override
    String invoke(String name, String operation) throws Exception {
      String body = call("invoke=" + encode(name) + "&op=" + encode(operation));
      // OK - Operation pause returned:
      //   true
      return body.substring(body.indexOf("returned:") + "returned:".length()).trim();
    }
  }

  /** WildFly's remoting JMX on its management port. */
  static final class Remoting extends ServerJmx {
    private final JMXConnector connector;
    private final MBeanServerConnection server;

    Remoting(String hostAndPort) throws Exception {
      connector =
          JMXConnectorFactory.connect(
              new JMXServiceURL("service:jmx:remote+http://" + hostAndPort));
      server = connector.getMBeanServerConnection();
    }

    @Override
    List<String> names(String pattern) throws Exception {
      return server.queryNames(new ObjectName(pattern), null).stream()
          .map(ObjectName::toString)
          .sorted()
          .toList();
    }

    @Override
    String get(String name, String attribute) throws Exception {
      return String.valueOf(server.getAttribute(new ObjectName(name), attribute));
    }

    @Override
    String invoke(String name, String operation) throws Exception {
      return String.valueOf(
          server.invoke(new ObjectName(name), operation, new Object[0], new String[0]));
    }

    @Override
    public void close() throws Exception {
      connector.close();
    }
  }
}
