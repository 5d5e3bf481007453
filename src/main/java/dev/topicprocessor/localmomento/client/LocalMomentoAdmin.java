package dev.topicprocessor.localmomento.client;

import grpc.control_client.ScsControlGrpc;
import grpc.control_client._CreateCacheRequest;
import grpc.webhook.WebhookGrpc;
import grpc.webhook._DeleteWebhookRequest;
import grpc.webhook._GetWebhookSecretRequest;
import grpc.webhook._PutWebhookRequest;
import grpc.webhook._RotateWebhookSecretRequest;
import grpc.webhook._Webhook;
import grpc.webhook._WebhookDestination;
import grpc.webhook._WebhookId;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * The cache and webhook management calls the Java SDK 1.21.0 lacks, made over a Local Momento's TLS
 * listener with the client-protos stubs: what the processor's local mode uses to create its caches
 * and register its webhooks.
 */
public final class LocalMomentoAdmin implements AutoCloseable {

  private static final long DEADLINE_SECONDS = 10;

  private final ManagedChannel channel;
  private final ScsControlGrpc.ScsControlBlockingStub control;
  private final WebhookGrpc.WebhookBlockingStub webhooks;

  LocalMomentoAdmin(LocalMomentoConnection connection) {
    channel = connection.channel("control." + connection.endpoint());
    control = ScsControlGrpc.newBlockingStub(channel);
    webhooks = WebhookGrpc.newBlockingStub(channel);
  }

  /** Creates a cache; true when it was created, false when it already existed. */
  public boolean createCache(String name) {
    try {
      control
          .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
          .createCache(_CreateCacheRequest.newBuilder().setCacheName(name).build());
      return true;
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.ALREADY_EXISTS) {
        return false;
      }
      throw e;
    }
  }

  /** Registers (or updates) a webhook and returns its secret. */
  public String putWebhook(String cache, String name, String topic, URI url) {
    return webhooks
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
        .putWebhook(
            _PutWebhookRequest.newBuilder()
                .setWebhook(
                    _Webhook.newBuilder()
                        .setWebhookId(
                            _WebhookId.newBuilder().setCacheName(cache).setWebhookName(name))
                        .setTopicName(topic)
                        .setDestination(
                            _WebhookDestination.newBuilder().setPostUrl(url.toString())))
                .build())
        .getSecretString();
  }

  /** Whether the cache has a webhook of that name. */
  public boolean hasWebhook(String cache, String name) {
    try {
      webhookSecret(cache, name);
      return true;
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }

  /** A webhook's current secret ({@code GetWebhookSecret}). */
  public String webhookSecret(String cache, String name) {
    return webhooks
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
        .getWebhookSecret(
            _GetWebhookSecretRequest.newBuilder().setCacheName(cache).setWebhookName(name).build())
        .getSecretString();
  }

  /**
   * Replaces a webhook's secret at once, as Momento's {@code RotateWebhookSecret} does (no
   * overlap), and returns the new one.
   */
  public String rotateWebhookSecret(String cache, String name) {
    return webhooks
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
        .rotateWebhookSecret(
            _RotateWebhookSecretRequest.newBuilder()
                .setWebhookId(_WebhookId.newBuilder().setCacheName(cache).setWebhookName(name))
                .build())
        .getSecretString();
  }

  public void deleteWebhook(String cache, String name) {
    webhooks
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
        .deleteWebhook(
            _DeleteWebhookRequest.newBuilder()
                .setWebhookId(_WebhookId.newBuilder().setCacheName(cache).setWebhookName(name))
                .build());
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
