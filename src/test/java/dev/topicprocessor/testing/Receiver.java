package dev.topicprocessor.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A real HTTP receiver on the loopback address, as a service a route delivers to: it records every
 * request and answers as the test says, per path.
 */
public final class Receiver implements AutoCloseable {

  /** A request as it arrived, and the status it was answered. */
  public record Request(
      String path, Map<String, List<String>> headers, String body, long at, int answered) {
    public String header(String name) {
      for (Map.Entry<String, List<String>> h : headers.entrySet()) {
        if (h.getKey().equalsIgnoreCase(name) && !h.getValue().isEmpty()) {
          return h.getValue().get(0);
        }
      }
      return null;
    }
  }

  /** An answer: status, headers, body. */
  public record Answer(int status, Map<String, String> headers, String body) {
    public static Answer of(int status) {
      return new Answer(status, Map.of(), "");
    }
  }

  private final HttpServer server;
  private final List<Request> requests = new ArrayList<>();
  private final Map<String, Function<Request, Answer>> answers = new ConcurrentHashMap<>();

  private Receiver(HttpServer server) {
    this.server = server;
  }

  /** Starts on {@code port} (0: any free one) of 127.0.0.1; every path answers 200 until told. */
  public static Receiver start(int port) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    Receiver receiver = new Receiver(server);
    server.createContext("/", receiver::handle);
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.start();
    return receiver;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  /** How {@code path} answers from now on. */
  public void answer(String path, Function<Request, Answer> answer) {
    answers.put(path, answer);
  }

  /** Every request so far to {@code path}, in arrival order. */
  public synchronized List<Request> requests(String path) {
    return requests.stream().filter(r -> r.path().equals(path)).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Request asked =
          new Request(
              exchange.getRequestURI().getPath(),
              Map.copyOf(exchange.getRequestHeaders()),
              body,
              System.currentTimeMillis(),
              0);
      Answer answer = answers.getOrDefault(asked.path(), r -> Answer.of(200)).apply(asked);
      synchronized (this) {
        requests.add(new Request(asked.path(), asked.headers(), body, asked.at(), answer.status()));
      }
      answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(answer.status(), out.length == 0 ? -1 : out.length);
      if (out.length > 0) {
        try (OutputStream os = exchange.getResponseBody()) {
          os.write(out);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
