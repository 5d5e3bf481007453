package dev.topicprocessor.operations;

import dev.topicprocessor.support.InFlight;
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
  private final InFlight serving = new InFlight();

  /** A request thread serves a subscription until {@link #served()}. */
  public void serving() {
    serving.started();
  }

  public void served() {
    serving.ended();
  }

  /**
   * Waits, at most {@code max}, until no request thread serves a subscription any more: at
   * undeploy, a request still running would hold the application's thread-locals.
   */
  public boolean awaitServed(java.time.Duration max) throws InterruptedException {
    return serving.awaitNone(max);
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
