package dev.topicprocessor.it;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Deployed beside the processor: after full collections (which unload the classes of class loaders
 * nothing refers to any more), how many classes the server's JVM has loaded, and how many live
 * instances of a class loader's class ({@code ?loader=}) its heap holds, from the JVM's class
 * histogram ({@code jcmd GC.class_histogram}), and how many classes it has loaded since it started.
 * One line: {@code <classes> <loaders> <classes ever loaded>}.
 */
@WebServlet("/classes")
public class ClassLoaderProbe extends HttpServlet {

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String loader = request.getParameter("loader");
    try {
      for (int i = 0; i < 3; i++) {
        System.gc();
        Thread.sleep(100);
      }
      String histogram =
          (String)
              ManagementFactory.getPlatformMBeanServer()
                  .invoke(
                      new ObjectName("com.sun.management:type=DiagnosticCommand"),
                      "gcClassHistogram",
                      new Object[] {new String[0]},
                      new String[] {String[].class.getName()});
      long loaders = 0;
      for (String line : histogram.split("\n")) {
        String[] columns = line.trim().split("\\s+");
        if (columns.length >= 4 && columns[3].equals(loader)) {
          loaders += Long.parseLong(columns[1]);
        }
      }
      response.setContentType("text/plain;charset=UTF-8");
      response
          .getWriter()
          .println(
              ManagementFactory.getClassLoadingMXBean().getLoadedClassCount()
                  + " "
                  + loaders
                  + " "
                  + ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
    } catch (JMException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
