package dev.topicprocessor.client;

import dev.topicprocessor.config.Settings;
import dev.topicprocessor.local.LocalMode;
import dev.topicprocessor.momento.ApiKey;
import dev.topicprocessor.momento.ApiKeyCredentials;
import dev.topicprocessor.momento.PubsubChannels;
import dev.topicprocessor.routing.Router;
import dev.topicprocessor.support.NettyNativeLibraries;
import grpc.webhook.WebhookGrpc;
import grpc.webhook._GetWebhookSecretRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import momento.sdk.TopicClient;
import momento.sdk.auth.CredentialProvider;
import momento.sdk.config.TopicConfiguration;

/**
 * Where the processor talks to: Momento (with {@code MOMENTO_API_KEY}) or, in local mode, a Local
 * Momento ({@link LocalMode}).
 */
@ApplicationScoped
public class MomentoConnection {

  private static final Duration WEBHOOK_CALL_DEADLINE = Duration.ofSeconds(3);
  private static final Logger LOG = Logger.getLogger(MomentoConnection.class.getName());

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
  private LocalMode local;

  @PostConstruct
  void connect() {
    // Every gRPC channel and server of the application comes after this connection.
    NettyNativeLibraries.keepOff();
    Optional<ApiKey> key = ModeChoice.momentoKey(settings);
    if (key.isPresent()) {
      mode = Mode.MOMENTO;
      credentials = new ApiKeyCredentials(key.get());
      LOG.warning(
          "\n=== MOMENTO MODE: publishing to Momento at "
              + credentials.getCacheEndpoint()
              + " ("
              + key.get().kind()
              + " API key) ===");
      return;
    }
    local = LocalMode.open(settings, router.caches());
    mode = local.embedded() ? Mode.LOCAL_EMBEDDED : Mode.LOCAL_EXTERNAL;
    credentials = local.credentials();
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
    return local != null
        ? local.pubsubChannel()
        : PubsubChannels.momento(credentials.getCacheEndpoint(), credentials.getAuthToken());
  }

  /**
   * A webhook's current secret ({@code GetWebhookSecret} on the control endpoint): empty when
   * Momento has no such webhook.
   *
   * @throws io.grpc.StatusRuntimeException when Momento could not answer
   */
  public Optional<String> webhookSecret(String cache, String webhook) {
    ManagedChannel channel =
        local != null
            ? local.controlChannel()
            : PubsubChannels.momento(credentials.getControlEndpoint(), credentials.getAuthToken());
    try {
      return Optional.of(
          WebhookGrpc.newBlockingStub(channel)
              .withDeadlineAfter(WEBHOOK_CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
              .getWebhookSecret(
                  _GetWebhookSecretRequest.newBuilder()
                      .setCacheName(cache)
                      .setWebhookName(webhook)
                      .build())
              .getSecretString());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    } finally {
      channel.shutdownNow();
    }
  }

  /**
   * A new TopicClient for where this mode publishes; the caller closes it. In local mode it trusts
   * Local Momento's certificate alone: nothing JVM-wide changes.
   */
  public TopicClient topicClient(TopicConfiguration configuration) {
    return local != null
        ? local.topicClient(configuration)
        : TopicClient.create(credentials, configuration);
  }

  /** Local mode, when the processor is in it. */
  public Optional<LocalMode> local() {
    return Optional.ofNullable(local);
  }

  /** Stops local mode (an embedded Local Momento); called once the clients using it are closed. */
  @PreDestroy
  public synchronized void close() {
    if (local != null) {
      local.close();
      local = null;
    }
  }
}
