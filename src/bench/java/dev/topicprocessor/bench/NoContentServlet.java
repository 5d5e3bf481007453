package dev.topicprocessor.bench;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The baseline: reads the POSTed body and answers 204, nothing else. Deployed beside the processor
 * on the same Tomcat as {@code /baseline}, it is the ceiling of that server here.
 */
@WebServlet(urlPatterns = "/*")
public class NoContentServlet extends HttpServlet {

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    request.getInputStream().transferTo(OutputStream.nullOutputStream());
    response.setStatus(HttpServletResponse.SC_NO_CONTENT);
  }
}
