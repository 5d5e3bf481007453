package dev.topicprocessor.localmomento;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The caches of one Local Momento, by name. */
final class Caches {

  private final ConcurrentMap<String, Cache> caches = new ConcurrentHashMap<>();
  private final int historySize;

  Caches(int historySize, List<String> initial) {
    this.historySize = historySize;
    initial.forEach(this::create);
  }

  /** Creates a cache; false when one of that name exists. */
  boolean create(String name) {
    return caches.putIfAbsent(name, new Cache(name, historySize)) == null;
  }

  /** Removes a cache and ends its subscriptions; false when there was none. */
  boolean delete(String name) {
    Cache removed = caches.remove(name);
    if (removed == null) {
      return false;
    }
    removed.endSubscriptions(Status.NOT_FOUND.withDescription("Cache not found: " + name));
    return true;
  }

  /** The cache of that name, or a NOT_FOUND status as Momento answers for an unknown cache. */
  Cache require(String name) {
    Cache cache = caches.get(name);
    if (cache == null) {
      throw notFound(name);
    }
    return cache;
  }

  Collection<Cache> all() {
    return caches.values();
  }

  static StatusRuntimeException notFound(String cacheName) {
    return Status.NOT_FOUND.withDescription("Cache not found: " + cacheName).asRuntimeException();
  }
}
