package dev.topicprocessor.support;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The HTTP port of the server this application runs in: from the server's own HTTP connector
 * (Tomcat's MBeans, WildFly's port property and offset), else 8080.
 */
public final class ServerPort {

  private ServerPort() {}

  public static int http() {
    try {
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      Set<ObjectName> connectors =
          server.queryNames(new ObjectName("Catalina:type=Connector,*"), null);
      for (ObjectName connector : connectors) {
        Object scheme = server.getAttribute(connector, "scheme");
        Object protocol = server.getAttribute(connector, "protocol");
        Object port = server.getAttribute(connector, "port");
        if ("http".equals(scheme)
            && String.valueOf(protocol).toUpperCase(Locale.ROOT).contains("HTTP")
            && port instanceof Integer number
            && number > 0) {
          return number;
        }
      }
    } catch (Exception e) {
      // not Tomcat, or no access: try the next source
    }
    if (System.getProperty("jboss.home.dir") != null) {
      // WildFly: the http socket binding is ${jboss.http.port:8080} plus the port offset.
      try {
        return Integer.parseInt(System.getProperty("jboss.http.port", "8080").trim())
            + Integer.parseInt(System.getProperty("jboss.socket.binding.port-offset", "0").trim());
      } catch (NumberFormatException e) {
        // fall through
      }
    }
    return 8080;
  }
}
