package dev.topicprocessor.localmomento;

import dev.topicprocessor.momento.WebhookSignature;
import grpc.webhook.WebhookGrpc;
import grpc.webhook._DeleteWebhookRequest;
import grpc.webhook._DeleteWebhookResponse;
import grpc.webhook._GetWebhookSecretRequest;
import grpc.webhook._GetWebhookSecretResponse;
import grpc.webhook._ListWebhookRequest;
import grpc.webhook._ListWebhooksResponse;
import grpc.webhook._PutWebhookRequest;
import grpc.webhook._PutWebhookResponse;
import grpc.webhook._RotateWebhookSecretRequest;
import grpc.webhook._RotateWebhookSecretResponse;
import grpc.webhook._WebhookDestination;
import grpc.webhook._WebhookId;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Comparator;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import java.util.logging.Logger;

/** Momento's {@code webhook.Webhook} service: registering webhooks and managing their secrets. */
final class WebhookService extends WebhookGrpc.WebhookImplBase {

  private static final Logger LOG = Logger.getLogger(WebhookService.class.getName());
  private static final int MAX_NAME_LENGTH = 128;

  private final Caches caches;
  private final int webhooksPerCache;

  WebhookService(Caches caches, int webhooksPerCache) {
    this.caches = caches;
    this.webhooksPerCache = webhooksPerCache;
  }

  @Override
  public void putWebhook(_PutWebhookRequest request, StreamObserver<_PutWebhookResponse> response) {
    answer(
        response,
        () -> {
          var spec = request.getWebhook();
          Cache cache = caches.require(cacheName(spec.getWebhookId()));
          String name = webhookName(spec.getWebhookId());
          String topic = Requests.requireName("topic name", spec.getTopicName());
          URI url = postUrl(spec.getDestination());
          ConcurrentMap<String, Webhook> webhooks = cache.webhooks();
          Webhook stored =
              webhooks.compute(
                  name,
                  (key, existing) -> {
                    if (existing != null) {
                      // Updating a webhook keeps its secret.
                      return new Webhook(cache.name(), name, topic, url, existing.secret());
                    }
                    if (webhooks.size() >= webhooksPerCache) {
                      throw Requests.limitExceeded(
                          "A cache may have at most " + webhooksPerCache + " webhooks",
                          "webhooks_limit_exceeded");
                    }
                    return new Webhook(
                        cache.name(), name, topic, url, WebhookSignature.newSecret());
                  });
          LOG.info("webhook registered: " + stored);
          return _PutWebhookResponse.newBuilder().setSecretString(stored.secret()).build();
        });
  }

  @Override
  public void deleteWebhook(
      _DeleteWebhookRequest request, StreamObserver<_DeleteWebhookResponse> response) {
    answer(
        response,
        () -> {
          Cache cache = caches.require(cacheName(request.getWebhookId()));
          Webhook removed = cache.webhooks().remove(webhookName(request.getWebhookId()));
          if (removed != null) {
            LOG.info("webhook deleted: " + removed);
          }
          return _DeleteWebhookResponse.getDefaultInstance();
        });
  }

  @Override
  public void listWebhooks(
      _ListWebhookRequest request, StreamObserver<_ListWebhooksResponse> response) {
    answer(
        response,
        () -> {
          Cache cache = caches.require(Requests.requireName("cache name", request.getCacheName()));
          var list = _ListWebhooksResponse.newBuilder();
          cache.webhooks().values().stream()
              .sorted(Comparator.comparing(Webhook::name))
              .forEach(
                  w ->
                      list.addWebhook(
                          grpc.webhook._Webhook.newBuilder()
                              .setWebhookId(
                                  _WebhookId.newBuilder()
                                      .setCacheName(w.cache())
                                      .setWebhookName(w.name()))
                              .setTopicName(w.topic())
                              .setDestination(
                                  _WebhookDestination.newBuilder()
                                      .setPostUrl(w.url().toString()))));
          return list.build();
        });
  }

  @Override
  public void getWebhookSecret(
      _GetWebhookSecretRequest request, StreamObserver<_GetWebhookSecretResponse> response) {
    answer(
        response,
        () -> {
          Cache cache = caches.require(Requests.requireName("cache name", request.getCacheName()));
          Webhook webhook = existing(cache, request.getWebhookName());
          return _GetWebhookSecretResponse.newBuilder()
              .setCacheName(webhook.cache())
              .setWebhookName(webhook.name())
              .setSecretString(webhook.secret())
              .build();
        });
  }

  @Override
  public void rotateWebhookSecret(
      _RotateWebhookSecretRequest request, StreamObserver<_RotateWebhookSecretResponse> response) {
    answer(
        response,
        () -> {
          Cache cache = caches.require(cacheName(request.getWebhookId()));
          String name = webhookName(request.getWebhookId());
          Webhook rotated =
              cache
                  .webhooks()
                  .computeIfPresent(
                      name, (key, webhook) -> webhook.withSecret(WebhookSignature.newSecret()));
          if (rotated == null) {
            throw webhookNotFound(cache.name(), name);
          }
          LOG.info("webhook secret rotated: " + rotated);
          return _RotateWebhookSecretResponse.newBuilder()
              .setSecretString(rotated.secret())
              .build();
        });
  }

  private static <T> void answer(StreamObserver<T> response, Supplier<T> call) {
    T result;
    try {
      result = call.get();
    } catch (StatusRuntimeException e) {
      response.onError(e);
      return;
    }
    response.onNext(result);
    response.onCompleted();
  }

  private static String cacheName(_WebhookId id) {
    return Requests.requireName("cache name", id.getCacheName());
  }

  private static String webhookName(_WebhookId id) {
    return webhookName(id.getWebhookName());
  }

  private static String webhookName(String name) {
    Requests.requireName("webhook name", name);
    if (name.length() > MAX_NAME_LENGTH) {
      throw Requests.invalidArgument(
          "webhook name must be at most " + MAX_NAME_LENGTH + " characters");
    }
    return name;
  }

  private static Webhook existing(Cache cache, String name) {
    Webhook webhook = cache.webhooks().get(webhookName(name));
    if (webhook == null) {
      throw webhookNotFound(cache.name(), name);
    }
    return webhook;
  }

  private static StatusRuntimeException webhookNotFound(String cache, String name) {
    return Status.NOT_FOUND
        .withDescription("Webhook not found: " + name + " in cache " + cache)
        .asRuntimeException();
  }

  private static URI postUrl(_WebhookDestination destination) {
    if (destination.getKindCase() != _WebhookDestination.KindCase.POST_URL) {
      throw Requests.invalidArgument("webhook destination must be a post_url");
    }
    String text = destination.getPostUrl();
    try {
      URI url = new URI(text);
      String scheme = url.getScheme();
      if (url.getHost() == null
          || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
        throw Requests.invalidArgument(
            "webhook post_url must be an absolute http or https URL, got '" + text + "'");
      }
      return url;
    } catch (URISyntaxException e) {
      throw Requests.invalidArgument("webhook post_url is not a URL: " + e.getMessage());
    }
  }
}
