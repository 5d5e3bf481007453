package dev.topicprocessor.localmomento;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import momento.sdk.ISubscriptionCallbacks;
import momento.sdk.TopicClient;
import momento.sdk.responses.topic.TopicDiscontinuity;
import momento.sdk.responses.topic.TopicMessage;
import momento.sdk.responses.topic.TopicSubscribeResponse;

/** A real SDK subscription that records what its callbacks saw. */
public final class SdkSubscriber implements ISubscriptionCallbacks, AutoCloseable {

  public final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
  final List<TopicDiscontinuity> discontinuities =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  final AtomicInteger heartbeats = new AtomicInteger();
  final AtomicInteger connectionLost = new AtomicInteger();
  final AtomicInteger connectionRestored = new AtomicInteger();
  final AtomicInteger errors = new AtomicInteger();
  private TopicSubscribeResponse.Subscription subscription;

  public static SdkSubscriber subscribe(TopicClient client, String cache, String topic) {
    SdkSubscriber subscriber = new SdkSubscriber();
    TopicSubscribeResponse response = client.subscribe(cache, topic, subscriber).join();
    subscriber.subscription =
        assertInstanceOf(
            TopicSubscribeResponse.Subscription.class,
            response,
            () ->
                response
                    + (response instanceof Throwable t && t.getCause() != null
                        ? " caused by " + t.getCause()
                        : ""));
    return subscriber;
  }

  /** The next {@code count} texts, in arrival order; fails when they do not come in time. */
  public List<String> next(int count, Duration within) throws InterruptedException {
    List<String> received = new ArrayList<>();
    long deadline = System.nanoTime() + within.toNanos();
    while (received.size() < count) {
      String text = texts.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (text == null) {
        break;
      }
      received.add(text);
    }
    assertEquals(count, received.size(), "texts received " + received);
    return received;
  }

  @Override
  public void onItem(TopicMessage message) {
    texts.add(((TopicMessage.Text) message).getValue());
  }

  @Override
  public void onCompleted() {}

  @Override
  public void onError(Throwable t) {
    errors.incrementAndGet();
  }

  @Override
  public void onDiscontinuity(TopicDiscontinuity discontinuity) {
    discontinuities.add(discontinuity);
  }

  @Override
  public void onHeartbeat() {
    heartbeats.incrementAndGet();
  }

  @Override
  public void onConnectionLost() {
    connectionLost.incrementAndGet();
  }

  @Override
  public void onConnectionRestored() {
    connectionRestored.incrementAndGet();
  }

  @Override
  public void close() {
    if (subscription != null) {
      subscription.unsubscribe();
    }
  }
}
