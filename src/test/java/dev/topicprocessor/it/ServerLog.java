package dev.topicprocessor.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The test server's log files (Tomcat's {@code logs/}, WildFly's {@code standalone/log/}, from
 * {@code it.server.log}) from a mark on: what the server logged meanwhile.
 */
final class ServerLog {

  private final Path dir = Path.of(System.getProperty("it.server.log"));
  private final Map<Path, Long> sizes = new HashMap<>();

  private ServerLog() throws IOException {
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".log")).toList()) {
          sizes.put(file, Files.size(file));
        }
      }
    }
  }

  /** Marks where the logs are now. */
  static ServerLog mark() throws IOException {
    return new ServerLog();
  }

  /** The lines logged since the mark. */
  List<String> linesSince() throws IOException {
    assertTrue(Files.isDirectory(dir), "server log directory " + dir);
    StringBuilder text = new StringBuilder();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".log")).toList()) {
        long from = sizes.getOrDefault(file, 0L);
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
          byte[] bytes = new byte[(int) Math.max(0, in.length() - from)];
          in.seek(from);
          in.readFully(bytes);
          text.append(new String(bytes, StandardCharsets.UTF_8));
        }
      }
    }
    return text.toString().lines().toList();
  }
}
