package dev.topicprocessor.it;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * Every HTTP answer the suite gets, kept in {@code target/it-answers/} so that {@code SecretsIT}
 * can search them all for the secrets the servers were configured with.
 */
final class Answers {

  private static final int KEPT_BODY_CHARS = 65_536;
  private static BufferedWriter out;

  private Answers() {}

  /** Sends, keeps the answer, and returns it. */
  static HttpResponse<String> send(HttpClient client, HttpRequest request)
      throws IOException, InterruptedException {
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    keep(
        request.method() + " " + request.uri(),
        response.statusCode(),
        response.headers().map(),
        response.body());
    return response;
  }

  /** Keeps one answer: what was asked, its status, headers and (the start of) its body. */
  static synchronized void keep(
      String request, int status, Map<String, List<String>> headers, String body) {
    try {
      if (out == null) {
        Path dir = Path.of(System.getProperty("it.answers", "target/it-answers"));
        Files.createDirectories(dir);
        out =
            Files.newBufferedWriter(
                dir.resolve("answers-" + ProcessHandle.current().pid() + ".txt"),
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
      }
      out.write(request + " -> " + status + "\n" + headers + "\n");
      out.write(body.length() > KEPT_BODY_CHARS ? body.substring(0, KEPT_BODY_CHARS) : body);
      out.write("\n\n");
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
