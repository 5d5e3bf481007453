package dev.topicprocessor.localmomento;

import grpc.control_client.ScsControlGrpc;
import grpc.control_client._Cache;
import grpc.control_client._CacheLimits;
import grpc.control_client._CreateCacheRequest;
import grpc.control_client._CreateCacheResponse;
import grpc.control_client._DeleteCacheRequest;
import grpc.control_client._DeleteCacheResponse;
import grpc.control_client._ListCachesRequest;
import grpc.control_client._ListCachesResponse;
import grpc.control_client._TopicLimits;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.Comparator;
import java.util.logging.Logger;

/**
 * The cache-management calls of Momento's {@code control_client.ScsControl} that an SDK makes
 * before it publishes: CreateCache, ListCaches, DeleteCache. The others answer UNIMPLEMENTED.
 */
final class ControlService extends ScsControlGrpc.ScsControlImplBase {

  private static final Logger LOG = Logger.getLogger(ControlService.class.getName());
  private static final int MAX_CACHE_NAME_LENGTH = 255;

  private final Caches caches;
  private final _TopicLimits topicLimits;

  ControlService(Caches caches, int maxPayloadBytes) {
    this.caches = caches;
    this.topicLimits =
        _TopicLimits.newBuilder().setMaxPublishMessageSizeKb(maxPayloadBytes / 1024).build();
  }

  @Override
  public void createCache(
      _CreateCacheRequest request, StreamObserver<_CreateCacheResponse> response) {
    String name = request.getCacheName();
    if (name.isBlank() || name.length() > MAX_CACHE_NAME_LENGTH) {
      response.onError(
          Requests.invalidArgument(
              "cache name must be 1 to " + MAX_CACHE_NAME_LENGTH + " characters"));
      return;
    }
    if (!caches.create(name)) {
      response.onError(
          Status.ALREADY_EXISTS
              .withDescription("Cache with name " + name + " already exists")
              .asRuntimeException());
      return;
    }
    LOG.info("cache created: " + name);
    response.onNext(_CreateCacheResponse.getDefaultInstance());
    response.onCompleted();
  }

  @Override
  public void deleteCache(
      _DeleteCacheRequest request, StreamObserver<_DeleteCacheResponse> response) {
    if (!caches.delete(request.getCacheName())) {
      response.onError(Caches.notFound(request.getCacheName()));
      return;
    }
    LOG.info("cache deleted: " + request.getCacheName());
    response.onNext(_DeleteCacheResponse.getDefaultInstance());
    response.onCompleted();
  }

  @Override
  public void listCaches(_ListCachesRequest request, StreamObserver<_ListCachesResponse> response) {
    var list = _ListCachesResponse.newBuilder();
    caches.all().stream()
        .map(Cache::name)
        .sorted(Comparator.naturalOrder())
        .forEach(
            name ->
                list.addCache(
                    _Cache.newBuilder()
                        .setCacheName(name)
                        .setCacheLimits(_CacheLimits.getDefaultInstance())
                        .setTopicLimits(topicLimits)));
    response.onNext(list.build());
    response.onCompleted();
  }
}
