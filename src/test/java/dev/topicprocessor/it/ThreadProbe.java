package dev.topicprocessor.it;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;

/** Deployed on its own beside the processor: lists the server JVM's live threads, one a line. */
@WebServlet("/threads")
public class ThreadProbe extends HttpServlet {

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    response.setContentType("text/plain;charset=UTF-8");
    PrintWriter out = response.getWriter();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.isAlive()) {
        out.println(thread.getName());
      }
    }
  }
}
