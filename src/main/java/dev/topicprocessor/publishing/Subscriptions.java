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

  public void opened(TopicSubscribeResponse.Subscription subscription) {
    open.add(subscription);
  }

  public void closed(TopicSubscribeResponse.Subscription subscription) {
    if (open.remove(subscription)) {
      subscription.unsubscribe();
    }
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
