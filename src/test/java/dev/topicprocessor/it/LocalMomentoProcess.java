package dev.topicprocessor.it;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** {@code java -jar target/local-momento.jar} as its own process, stopped and started at will. */
public final class LocalMomentoProcess implements AutoCloseable {

  private final int plaintextPort;
  private final int tlsPort;
  private final String endpoint;
  private final Path identity;
  private final String caches;
  private int historySize = 10_000; // Local Momento's default, as Momento keeps some
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

  /** A gRPC channel to a Local Momento's plaintext listener on loopback, with an API key. */
  public static ManagedChannel plaintextChannel(int port) {
    return plaintextChannel(port, "test-key");
  }

  /** The current secret of a webhook of the Local Momento on that plaintext port. */
  public static String webhookSecret(int plaintextPort, String cache, String webhook) {
    ManagedChannel channel = plaintextChannel(plaintextPort);
    try {
      return grpc.webhook.WebhookGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, java.util.concurrent.TimeUnit.SECONDS)
          .getWebhookSecret(
              grpc.webhook._GetWebhookSecretRequest.newBuilder()
                  .setCacheName(cache)
                  .setWebhookName(webhook)
                  .build())
          .getSecretString();
    } finally {
      channel.shutdownNow();
    }
  }

  /** A plaintext channel carrying this API key (a Local Momento started with --api-key). */
  public static ManagedChannel plaintextChannel(int port, String apiKey) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), apiKey);
    return NettyChannelBuilder.forAddress("127.0.0.1", port)
        .usePlaintext()
        .intercept(MetadataUtils.newAttachHeadersInterceptor(headers))
        .build();
  }

  /**
   * Keeps this many messages per topic from the next start: enough for a subscriber that a test
   * keeps down, starting, for long (what Momento keeps is not what such a test measures).
   */
  public LocalMomentoProcess keeping(int messages) {
    historySize = messages;
    return this;
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
                "--history-size=" + historySize,
                "--certificate-file=" + identity)
            .redirectErrorStream(true)
            .start();
    if (!ProcessOutput.awaitLine(
        process,
        "local-momento-process-output",
        line -> line.startsWith("Stop it with"),
        line -> {},
        Duration.ofSeconds(30))) {
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
