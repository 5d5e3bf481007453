package dev.topicprocessor.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code java -jar target/local-momento.jar} as its own process, stopped and started at will. */
public final class LocalMomentoProcess implements AutoCloseable {

  private final int plaintextPort;
  private final int tlsPort;
  private final String endpoint;
  private final Path identity;
  private final String caches;
  private Process process;

  LocalMomentoProcess(int plaintextPort, int tlsPort, String endpoint, Path identity) {
    this(plaintextPort, tlsPort, endpoint, identity, "default-cache");
  }

  /**
   * @param caches comma-separated caches that exist from the start
   */
  public LocalMomentoProcess(
      int plaintextPort, int tlsPort, String endpoint, Path identity, String caches) {
    this.plaintextPort = plaintextPort;
    this.tlsPort = tlsPort;
    this.endpoint = endpoint;
    this.identity = identity;
    this.caches = caches;
  }

  /** Its JVM, while it runs. */
  public ProcessHandle jvm() {
    return process.toHandle();
  }

  public void start() throws Exception {
    process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-jar",
                Path.of("target", "local-momento.jar").toString(),
                "--plaintext-port=" + plaintextPort,
                "--tls-port=" + tlsPort,
                "--endpoint=" + endpoint,
                "--caches=" + caches,
                "--certificate-file=" + identity)
            .redirectErrorStream(true)
            .start();
    CountDownLatch running = new CountDownLatch(1);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                  if (line.startsWith("Stop it with")) {
                    running.countDown();
                  }
                }
              } catch (IOException e) {
                // ended
              }
            },
            "local-momento-process-output");
    reader.setDaemon(true);
    reader.start();
    if (!running.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("Local Momento did not start");
    }
  }

  /** Stops it as Ctrl+C would; its topics, subscriptions and webhooks are gone. */
  public void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      stop();
    }
  }
}
