package dev.topicprocessor.localmomento;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a Local Momento runs: where it listens, which caches exist from the start, and the limits it
 * enforces. The defaults mirror Momento's documented defaults where Momento documents one.
 *
 * @param bindAddress address both listeners bind to
 * @param plaintextPort port of the plaintext gRPC listener (0 picks a free port, -1 disables it)
 * @param tlsPort port of the TLS gRPC listener (0 picks a free port, -1 disables it)
 * @param endpoint the Momento endpoint name clients use; the TLS certificate covers {@code
 *     cache.<endpoint>} and {@code control.<endpoint>}
 * @param caches caches that exist from the start
 * @param historySize messages kept per topic for subscribers that resume
 * @param heartbeatInterval how often an idle subscription receives a heartbeat
 * @param topicIdleTimeout a topic with no subscriber and no publish for this long is forgotten, and
 *     its sequence numbers start again from 1 on a new sequence page
 * @param maxPayloadBytes the largest message payload accepted by Publish
 * @param webhookTimeout how long a webhook delivery may take before it counts as failed
 * @param webhooksPerCache the most webhooks one cache may have
 * @param maxConcurrentDeliveries webhook deliveries in flight at once; beyond it deliveries are
 *     dropped and counted, as Momento drops over its delivery rate limit
 * @param certificateFile where the TLS identity is kept across restarts, or null for a new one per
 *     start
 * @param apiKey the one key every call must carry, as Momento accepts only the keys it issued; null
 *     accepts any key (local mode's own)
 */
public record LocalMomentoConfig(
    String bindAddress,
    int plaintextPort,
    int tlsPort,
    String endpoint,
    List<String> caches,
    int historySize,
    Duration heartbeatInterval,
    Duration topicIdleTimeout,
    int maxPayloadBytes,
    Duration webhookTimeout,
    int webhooksPerCache,
    int maxConcurrentDeliveries,
    java.nio.file.Path certificateFile,
    String apiKey) {

  public static final int DEFAULT_PLAINTEXT_PORT = 9080;
  public static final int DEFAULT_TLS_PORT = 9443;
  public static final String DEFAULT_ENDPOINT = "momento.localhost";
  public static final String DEFAULT_CACHE = "default-cache";

  public LocalMomentoConfig {
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(endpoint, "endpoint");
    caches = List.copyOf(caches);
    requirePort("plaintextPort", plaintextPort);
    requirePort("tlsPort", tlsPort);
    if (plaintextPort < 0 && tlsPort < 0) {
      throw new IllegalArgumentException("at least one listener must be enabled");
    }
    if (endpoint.isBlank() || !endpoint.matches("[A-Za-z0-9.-]+")) {
      throw new IllegalArgumentException("endpoint must be a host name, got '" + endpoint + "'");
    }
    requirePositive("historySize", historySize);
    requirePositive("maxPayloadBytes", maxPayloadBytes);
    requirePositive("webhooksPerCache", webhooksPerCache);
    requirePositive("maxConcurrentDeliveries", maxConcurrentDeliveries);
    requirePositive("heartbeatInterval", heartbeatInterval);
    requirePositive("topicIdleTimeout", topicIdleTimeout);
    requirePositive("webhookTimeout", webhookTimeout);
    if (apiKey != null && (apiKey.isBlank() || !apiKey.chars().allMatch(c -> c > 32 && c < 127))) {
      // Not quoted: it is a secret.
      throw new IllegalArgumentException(
          "apiKey must be printable ASCII without blanks, as an authorization header carries it");
    }
  }

  /** Momento's documented defaults, on the standard local ports. */
  public static LocalMomentoConfig defaults() {
    return new LocalMomentoConfig(
        "127.0.0.1",
        DEFAULT_PLAINTEXT_PORT,
        DEFAULT_TLS_PORT,
        DEFAULT_ENDPOINT,
        List.of(DEFAULT_CACHE),
        10_000,
        Duration.ofSeconds(5),
        Duration.ofMinutes(15),
        4096,
        Duration.ofSeconds(5),
        5,
        2048,
        null,
        null);
  }

  /** The defaults on free ports chosen by the system: what tests and embedded use want. */
  public static LocalMomentoConfig ephemeral() {
    return defaults().withPorts(0, 0);
  }

  public LocalMomentoConfig withPorts(int plaintext, int tls) {
    return with(b -> b.plaintextPort = plaintext, b -> b.tlsPort = tls);
  }

  public LocalMomentoConfig withBindAddress(String address) {
    return with(b -> b.bindAddress = address);
  }

  public LocalMomentoConfig withEndpoint(String name) {
    return with(b -> b.endpoint = name);
  }

  public LocalMomentoConfig withCaches(List<String> names) {
    return with(b -> b.caches = names);
  }

  public LocalMomentoConfig withHistorySize(int size) {
    return with(b -> b.historySize = size);
  }

  public LocalMomentoConfig withHeartbeatInterval(Duration interval) {
    return with(b -> b.heartbeatInterval = interval);
  }

  public LocalMomentoConfig withTopicIdleTimeout(Duration timeout) {
    return with(b -> b.topicIdleTimeout = timeout);
  }

  public LocalMomentoConfig withMaxPayloadBytes(int bytes) {
    return with(b -> b.maxPayloadBytes = bytes);
  }

  public LocalMomentoConfig withWebhookTimeout(Duration timeout) {
    return with(b -> b.webhookTimeout = timeout);
  }

  public LocalMomentoConfig withWebhooksPerCache(int limit) {
    return with(b -> b.webhooksPerCache = limit);
  }

  /**
   * Keeps the TLS identity in this PKCS#12 file (made on first start, owner-only) so that clients
   * that trusted it still do after a restart, as with the real service. Null: a new one per start.
   */
  public LocalMomentoConfig withCertificateFile(java.nio.file.Path file) {
    return with(b -> b.certificateFile = file);
  }

  /**
   * Accepts only calls that carry exactly this key, answering every other {@code UNAUTHENTICATED}
   * as Momento does; null accepts any key.
   */
  public LocalMomentoConfig withApiKey(String key) {
    return with(b -> b.apiKey = key);
  }

  public LocalMomentoConfig withMaxConcurrentDeliveries(int limit) {
    return with(b -> b.maxConcurrentDeliveries = limit);
  }

  /** A copy with some values changed; the copy is checked like any configuration. */
  @SafeVarargs
  private LocalMomentoConfig with(java.util.function.Consumer<Values>... changes) {
    Values values = new Values(this);
    for (java.util.function.Consumer<Values> change : changes) {
      change.accept(values);
    }
    return values.build();
  }

  /** The values of a configuration while a copy is being made. */
  private static final class Values {
    String bindAddress;
    int plaintextPort;
    int tlsPort;
    String endpoint;
    List<String> caches;
    int historySize;
    Duration heartbeatInterval;
    Duration topicIdleTimeout;
    int maxPayloadBytes;
    Duration webhookTimeout;
    int webhooksPerCache;
    int maxConcurrentDeliveries;
    java.nio.file.Path certificateFile;
    String apiKey;

    Values(LocalMomentoConfig c) {
      bindAddress = c.bindAddress;
      plaintextPort = c.plaintextPort;
      tlsPort = c.tlsPort;
      endpoint = c.endpoint;
      caches = c.caches;
      historySize = c.historySize;
      heartbeatInterval = c.heartbeatInterval;
      topicIdleTimeout = c.topicIdleTimeout;
      maxPayloadBytes = c.maxPayloadBytes;
      webhookTimeout = c.webhookTimeout;
      webhooksPerCache = c.webhooksPerCache;
      maxConcurrentDeliveries = c.maxConcurrentDeliveries;
      certificateFile = c.certificateFile;
      apiKey = c.apiKey;
    }

    LocalMomentoConfig build() {
      return new LocalMomentoConfig(
          bindAddress,
          plaintextPort,
          tlsPort,
          endpoint,
          caches,
          historySize,
          heartbeatInterval,
          topicIdleTimeout,
          maxPayloadBytes,
          webhookTimeout,
          webhooksPerCache,
          maxConcurrentDeliveries,
          certificateFile,
          apiKey);
    }
  }

  private static void requirePort(String name, int port) {
    if (port < -1 || port > 65535) {
      throw new IllegalArgumentException(
          name + " must be -1 (off), 0 (any) or 1-65535, got " + port);
    }
  }

  private static void requirePositive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }

  private static void requirePositive(String name, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be a positive duration, got " + value);
    }
  }
}
