package dev.topicprocessor.it;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/** Deployed beside the processor: lists the server's MBeans under {@code dev.topicprocessor}. */
@WebServlet("/mbeans")
public class MBeanProbe extends HttpServlet {

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    response.setContentType("text/plain;charset=UTF-8");
    PrintWriter out = response.getWriter();
    try {
      for (ObjectName name :
          ManagementFactory.getPlatformMBeanServer()
              .queryNames(new ObjectName("dev.topicprocessor:*"), null)) {
        out.println(name);
      }
    } catch (MalformedObjectNameException e) {
      throw new IllegalStateException(e);
    }
  }
}
