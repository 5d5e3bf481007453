package dev.topicprocessor.localmomento;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topicprocessor.localmomento.client.LocalMomentoConnection;
import grpc.control_client._Cache;
import grpc.control_client._ListCachesRequest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import momento.sdk.TopicClient;
import momento.sdk.config.TopicConfigurations;
import momento.sdk.responses.topic.TopicPublishResponse;
import org.junit.jupiter.api.Test;

/** {@code java -jar target/local-momento.jar} as a user runs it, used by the real SDK. */
class LocalMomentoJarIT {

  private static final Path JAR = Path.of("target", "local-momento.jar");

  @Test
  void theJarPrintsItsPortsAndServesTheSdkUntilStopped() throws Exception {
    assertTrue(Files.isRegularFile(JAR), "mvn package builds " + JAR);
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                JAR.toString(),
                "--plaintext-port=0",
                "--tls-port",
                "0",
                "--caches=default-cache,second-cache")
            .redirectErrorStream(true)
            .start();
    try {
      List<String> banner = readBanner(process);
      int plaintext = port(banner, "plaintext gRPC");
      int tls = port(banner, "TLS gRPC");

      try (RawClient raw = new RawClient(plaintext)) {
        List<String> caches =
            raw.control.listCaches(_ListCachesRequest.getDefaultInstance()).getCacheList().stream()
                .map(_Cache::getCacheName)
                .toList();
        assertEquals(List.of("default-cache", "second-cache"), caches);
      }

      // The connector learns the certificate from the listener itself.
      try (LocalMomentoConnection connection = LocalMomentoConnection.connect("127.0.0.1", tls);
          TopicClient client = connection.topicClient(TopicConfigurations.Laptop.latest());
          SdkSubscriber subscriber = SdkSubscriber.subscribe(client, "second-cache", "topic 2")) {
        assertInstanceOf(
            TopicPublishResponse.Success.class,
            client.publish("second-cache", "topic 2", "from another process").join());
        assertEquals(List.of("from another process"), subscriber.next(1, Duration.ofSeconds(10)));
      }
    } finally {
      process.destroy(); // SIGTERM: the shutdown hook closes it
      assertTrue(process.waitFor(15, TimeUnit.SECONDS), "it stops when asked");
    }
  }

  private static List<String> readBanner(Process process) throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    List<String> lines = new ArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try {
                String line;
                while ((line = out.readLine()) != null) {
                  synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                  }
                }
              } catch (java.io.IOException e) {
                // the process ended
              }
            });
    reader.setDaemon(true);
    reader.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    synchronized (lines) {
      while (lines.stream().noneMatch(l -> l.startsWith("Stop it with"))) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0 || !process.isAlive()) {
          throw new AssertionError("no banner; output so far: " + lines);
        }
        lines.wait(left);
      }
      return List.copyOf(lines);
    }
  }

  private static int port(List<String> banner, String label) {
    Pattern pattern = Pattern.compile(Pattern.quote(label) + "\\s+\\S+:(\\d+)");
    Integer port = null;
    for (String line : banner) {
      Matcher m = pattern.matcher(line);
      if (m.find()) {
        port = Integer.parseInt(m.group(1));
      }
    }
    assertNotNull(port, label + " in " + banner);
    return port;
  }
}
