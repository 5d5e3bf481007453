package dev.topicprocessor.localmomento;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A local HTTP server standing where a webhook's endpoint would be; it records every request. */
final class WebhookReceiver implements AutoCloseable {

  record Request(String path, Map<String, List<String>> headers, byte[] body) {
    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Map<String, BlockingQueue<Request>> received = new ConcurrentHashMap<>();

  /**
   * Answers {@code status} on {@code /status/<n>}, and 200 after {@code delay} on {@code /slow}.
   */
  WebhookReceiver(Duration slowDelay) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          byte[] body;
          try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
          }
          queue(path).add(new Request(path, Map.copyOf(exchange.getRequestHeaders()), body));
          int status = 204;
          if (path.startsWith("/status/")) {
            status = Integer.parseInt(path.substring("/status/".length()));
          } else if (path.equals("/slow")) {
            try {
              Thread.sleep(slowDelay.toMillis());
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            status = 200;
          }
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.setExecutor(executor);
    server.start();
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  BlockingQueue<Request> queue(String path) {
    return received.computeIfAbsent(path, p -> new LinkedBlockingQueue<>());
  }

  Request next(String path, Duration within) throws InterruptedException {
    Request request = queue(path).poll(within.toMillis(), TimeUnit.MILLISECONDS);
    if (request == null) {
      throw new AssertionError("no request on " + path + " within " + within);
    }
    return request;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
