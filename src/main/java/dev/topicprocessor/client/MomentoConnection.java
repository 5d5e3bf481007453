package dev.topicprocessor.client;

import dev.topicprocessor.config.InvalidSettingException;
import dev.topicprocessor.config.Setting;
import dev.topicprocessor.config.Settings;
import dev.topicprocessor.localmomento.LocalMomento;
import dev.topicprocessor.localmomento.LocalMomentoConfig;
import dev.topicprocessor.localmomento.client.LocalMomentoConnection;
import dev.topicprocessor.momento.PubsubChannels;
import dev.topicprocessor.routing.Router;
import io.grpc.ManagedChannel;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import momento.sdk.auth.CredentialProvider;
import momento.sdk.auth.StringCredentialProvider;

/**
 * Where the processor talks to: Momento (with {@code MOMENTO_API_KEY}) or, in local mode, a Local
 * Momento, either started inside the application or running as its own process ({@code
 * MOMENTO_LOCAL_ENDPOINT}).
 */
@ApplicationScoped
public class MomentoConnection {

  private static final Logger LOG = Logger.getLogger(MomentoConnection.class.getName());
  static final String EMBEDDED = "embedded";

  /** How the processor reaches Momento. */
  public enum Mode {
    MOMENTO,
    LOCAL_EMBEDDED,
    LOCAL_EXTERNAL;

    public boolean local() {
      return this != MOMENTO;
    }
  }

  @Inject Settings settings;
  @Inject Router router;

  private Mode mode;
  private CredentialProvider credentials;
  private LocalMomento embedded;
  private LocalMomentoConnection local;

  @PostConstruct
  void connect() {
    Optional<String> apiKey = settings.get(Setting.MOMENTO_API_KEY);
    if (apiKey.isPresent()) {
      mode = Mode.MOMENTO;
      try {
        credentials = new StringCredentialProvider(apiKey.get());
      } catch (RuntimeException e) {
        // The SDK's message may quote the key: never pass it on.
        throw new InvalidSettingException(
            Setting.MOMENTO_API_KEY,
            "is not a Momento API key the SDK 1.21.0 accepts (v1 or legacy)");
      }
      LOG.warning(
          "\n=== MOMENTO MODE: publishing to Momento at "
              + credentials.getCacheEndpoint()
              + " ===");
      return;
    }
    String endpointName = settings.require(Setting.LOCAL_MOMENTO_ENDPOINT);
    Optional<String> external =
        settings.get(Setting.MOMENTO_LOCAL_ENDPOINT).filter(value -> !EMBEDDED.equals(value));
    if (external.isPresent()) {
      mode = Mode.LOCAL_EXTERNAL;
      HostPort target = HostPort.parse(external.get(), Setting.MOMENTO_LOCAL_ENDPOINT);
      local = LocalMomentoConnection.connect(endpointName, target.host(), target.port());
      LOG.warning(
          "\n=== LOCAL MODE: no MOMENTO_API_KEY; using the Local Momento at "
              + external.get()
              + " (endpoint "
              + endpointName
              + "). Nothing reaches the real Momento. ===");
    } else {
      mode = Mode.LOCAL_EMBEDDED;
      Set<String> caches = new LinkedHashSet<>(List.of(LocalMomentoConfig.DEFAULT_CACHE));
      caches.addAll(router.caches());
      LocalMomentoConfig config =
          LocalMomentoConfig.defaults()
              .withEndpoint(endpointName)
              .withBindAddress(settings.require(Setting.LOCAL_MOMENTO_BIND))
              .withPorts(
                  settings.integer(Setting.LOCAL_MOMENTO_PLAINTEXT_PORT, -1, 65535),
                  settings.integer(Setting.LOCAL_MOMENTO_TLS_PORT, 0, 65535))
              .withCaches(new ArrayList<>(caches));
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
      local = embedded.connection();
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
    }
    credentials = local.credentialProvider();
  }

  public Mode mode() {
    return mode;
  }

  public CredentialProvider credentials() {
    return credentials;
  }

  /**
   * A new channel for Momento's Pubsub service where this mode publishes (the caller shuts it
   * down): Momento's cache endpoint, or Local Momento's TLS listener.
   */
  public ManagedChannel pubsubChannel() {
    if (local == null) {
      return PubsubChannels.momento(credentials.getCacheEndpoint(), credentials.getAuthToken());
    }
    return PubsubChannels.trusting(
        local.address(), "cache." + local.endpoint(), local.certificate(), local.apiKey());
  }

  /** The Local Momento connection in local mode. */
  public Optional<LocalMomentoConnection> local() {
    return Optional.ofNullable(local);
  }

  /** The Local Momento running inside the application, if it does. */
  public Optional<LocalMomento> embedded() {
    return Optional.ofNullable(embedded);
  }

  /** Stops the embedded Local Momento; called once the clients using it are closed. */
  @PreDestroy
  public synchronized void close() {
    if (local != null) {
      local.close();
      local = null;
    }
    if (embedded != null) {
      embedded.close();
      embedded = null;
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
