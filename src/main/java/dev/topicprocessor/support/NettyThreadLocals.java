package dev.topicprocessor.support;

import io.grpc.netty.shaded.io.netty.util.concurrent.FastThreadLocal;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import java.io.IOException;

/**
 * gRPC calls made on a server thread (the console's publish, start-up on the deploying thread, an
 * event processed on the server's managed executor) leave Netty's thread-local map on that thread,
 * which belongs to the server and outlives the application. This filter clears it after every
 * request; start-up, shutdown and each task on a managed executor call {@link #clear()} on their
 * own thread.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class NettyThreadLocals extends HttpFilter {

  public static void clear() {
    FastThreadLocal.removeAll();
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    try {
      chain.doFilter(request, response);
    } finally {
      clear();
    }
  }
}
