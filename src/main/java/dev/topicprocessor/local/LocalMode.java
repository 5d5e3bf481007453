package dev.topicprocessor.local;

import dev.topicprocessor.config.InvalidSettingException;
import dev.topicprocessor.config.Setting;
import dev.topicprocessor.config.Settings;
import dev.topicprocessor.localmomento.LocalMomento;
import dev.topicprocessor.localmomento.LocalMomentoConfig;
import dev.topicprocessor.localmomento.client.LocalMomentoConnection;
import dev.topicprocessor.support.ServerPort;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import momento.sdk.TopicClient;
import momento.sdk.auth.CredentialProvider;
import momento.sdk.config.TopicConfiguration;

/**
 * Local mode, everything of it behind one adapter: a Local Momento started inside the application
 * or reached as its own process ({@code MOMENTO_LOCAL_ENDPOINT}), its credentials and Pubsub
 * channels, and the caches and webhooks a Momento user would make in the console.
 */
public final class LocalMode implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(LocalMode.class.getName());
  static final String EMBEDDED = "embedded";

  private final Settings settings;
  private final LocalMomento embedded;
  private final LocalMomentoConnection connection;
  private final LocalWebhooks webhooks = new LocalWebhooks();

  private LocalMode(Settings settings, LocalMomento embedded, LocalMomentoConnection connection) {
    this.settings = settings;
    this.embedded = embedded;
    this.connection = connection;
  }

  /**
   * Starts Local Momento inside the application with these caches, or connects to the one at {@code
   * MOMENTO_LOCAL_ENDPOINT}.
   */
  public static LocalMode open(Settings settings, Collection<String> caches) {
    String endpointName = settings.require(Setting.LOCAL_MOMENTO_ENDPOINT);
    Optional<String> external =
        settings.get(Setting.MOMENTO_LOCAL_ENDPOINT).filter(value -> !EMBEDDED.equals(value));
    if (external.isPresent()) {
      HostPort target = HostPort.parse(external.get(), Setting.MOMENTO_LOCAL_ENDPOINT);
      LocalMomentoConnection connection =
          LocalMomentoConnection.connect(endpointName, target.host(), target.port());
      LOG.warning(
          "\n=== LOCAL MODE: no MOMENTO_API_KEY; using the Local Momento at "
              + external.get()
              + " (endpoint "
              + endpointName
              + "). Nothing reaches the real Momento. ===");
      return new LocalMode(settings, null, connection);
    }
    Set<String> all = new LinkedHashSet<>(List.of(LocalMomentoConfig.DEFAULT_CACHE));
    all.addAll(caches);
    LocalMomentoConfig config =
        LocalMomentoConfig.defaults()
            .withEndpoint(endpointName)
            .withBindAddress(settings.require(Setting.LOCAL_MOMENTO_BIND))
            .withPorts(
                settings.integer(Setting.LOCAL_MOMENTO_PLAINTEXT_PORT, -1, 65535),
                settings.integer(Setting.LOCAL_MOMENTO_TLS_PORT, 0, 65535))
            .withCaches(new ArrayList<>(all));
    LocalMomento embedded;
    try {
      embedded = LocalMomento.start(config);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot start Local Momento on "
              + config.bindAddress()
              + " ports "
              + config.plaintextPort()
              + "/"
              + config.tlsPort()
              + " (set LOCAL_MOMENTO_PLAINTEXT_PORT / LOCAL_MOMENTO_TLS_PORT, or"
              + " MOMENTO_LOCAL_ENDPOINT to use one running elsewhere)",
          e);
    }
    LOG.warning(
        "\n=== LOCAL MODE: no MOMENTO_API_KEY; Local Momento runs inside the application:"
            + " plaintext "
            + config.bindAddress()
            + ":"
            + embedded.plaintextPort()
            + ", TLS "
            + config.bindAddress()
            + ":"
            + embedded.tlsPort()
            + ". Nothing reaches the real Momento. ===");
    return new LocalMode(settings, embedded, embedded.connection());
  }

  /** Whether Local Momento runs inside the application (else it is its own process). */
  public boolean embedded() {
    return embedded != null;
  }

  public CredentialProvider credentials() {
    return connection.credentialProvider();
  }

  /** A new TopicClient for Local Momento, trusting its certificate alone; the caller closes it. */
  public TopicClient topicClient(TopicConfiguration configuration) {
    return connection.topicClient(configuration);
  }

  /** A new channel to Local Momento's Pubsub service over its TLS listener. */
  public ManagedChannel pubsubChannel() {
    return connection.channel("cache." + connection.endpoint());
  }

  /** A new channel to Local Momento's control endpoint (caches, webhooks) over its TLS listener. */
  public ManagedChannel controlChannel() {
    return connection.channel("control." + connection.endpoint());
  }

  /**
   * Creates the caches and registers a webhook for each of {@code webhookTopics}, pointing at this
   * application: {@code TOPIC_PROCESSOR_BASE_URL}, else found from the server's HTTP connector.
   *
   * @return the webhooks registered, with their secrets, for the webhook source to accept
   */
  public List<LocalWebhooks.Registration> prepare(
      String contextPath,
      String webhookPath,
      List<LocalWebhooks.InboundTopic> webhookTopics,
      Collection<String> caches) {
    URI endpoint =
        URI.create(
            settings
                    .get(Setting.TOPIC_PROCESSOR_BASE_URL)
                    .map(url -> url.replaceAll("/+$", ""))
                    .orElseGet(() -> "http://127.0.0.1:" + ServerPort.http() + contextPath)
                + webhookPath);
    return webhooks.register(connection, webhookTopics, caches, endpoint);
  }

  /**
   * Deletes the webhooks registered at start from a Local Momento that lives on (its own process);
   * an embedded one stops with the application.
   *
   * @return the webhooks deleted
   */
  public List<LocalWebhooks.Registration> release() {
    return embedded() ? List.of() : webhooks.unregister(connection);
  }

  /** Stops resolving Local Momento's names, and stops it when it runs inside the application. */
  @Override
  public void close() {
    connection.close();
    if (embedded != null) {
      embedded.close();
    }
  }

  /** A {@code host:port} setting. */
  record HostPort(String host, int port) {
    static HostPort parse(String value, Setting setting) {
      int colon = value.lastIndexOf(':');
      if (colon <= 0 || colon == value.length() - 1) {
        throw new InvalidSettingException(setting, "must be host:port, got '" + value + "'");
      }
      try {
        int port = Integer.parseInt(value.substring(colon + 1));
        if (port < 1 || port > 65535) {
          throw new NumberFormatException();
        }
        return new HostPort(value.substring(0, colon), port);
      } catch (NumberFormatException e) {
        throw new InvalidSettingException(setting, "has no valid port: '" + value + "'");
      }
    }
  }
}
