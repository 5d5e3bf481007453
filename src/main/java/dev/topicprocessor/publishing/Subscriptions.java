package dev.topicprocessor.publishing;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import momento.sdk.responses.topic.TopicSubscribeResponse;

/**
 * The subscriptions open on the application's TopicClient. The SDK does not end them when the
 * client closes, so they are tracked here and ended before it is.
 */
@ApplicationScoped
public class Subscriptions {

  private static final Logger LOG = Logger.getLogger(Subscriptions.class.getName());

  private final Set<TopicSubscribeResponse.Subscription> open = ConcurrentHashMap.newKeySet();
  private final java.util.concurrent.atomic.AtomicInteger servingThreads =
      new java.util.concurrent.atomic.AtomicInteger();

  /** A request thread serves a subscription until {@link #served()}. */
  public void serving() {
    servingThreads.incrementAndGet();
  }

  public void served() {
    if (servingThreads.decrementAndGet() == 0) {
      synchronized (servingThreads) {
        servingThreads.notifyAll();
      }
    }
  }

  /**
   * Waits, at most {@code max}, until no request thread serves a subscription any more: at
   * undeploy, a request still running would hold the application's thread-locals.
   */
  public boolean awaitServed(java.time.Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    synchronized (servingThreads) {
      while (servingThreads.get() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        servingThreads.wait(Math.max(1, left / 1_000_000));
      }
    }
    return true;
  }

  public void opened(TopicSubscribeResponse.Subscription subscription) {
    open.add(subscription);
  }

  public void closed(TopicSubscribeResponse.Subscription subscription) {
    if (open.remove(subscription)) {
      subscription.unsubscribe();
    }
  }

  public boolean isOpen(TopicSubscribeResponse.Subscription subscription) {
    return open.contains(subscription);
  }

  public int count() {
    return open.size();
  }

  public void unsubscribeAll() {
    for (TopicSubscribeResponse.Subscription subscription : open) {
      try {
        closed(subscription);
      } catch (RuntimeException e) {
        LOG.log(Level.FINE, "unsubscribe failed", e);
      }
    }
  }
}
