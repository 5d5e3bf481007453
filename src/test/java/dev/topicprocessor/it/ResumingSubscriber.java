package dev.topicprocessor.it;

import grpc.cache_client.pubsub.PubsubGrpc;
import grpc.cache_client.pubsub._SubscriptionItem;
import grpc.cache_client.pubsub._SubscriptionRequest;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A subscriber that never gives up, as a careful user writes one: when its stream ends (Local
 * Momento stopped) it subscribes again, resuming after the last sequence number on its page; a
 * restarted Local Momento answers with a discontinuity and what the new page kept. Counts every
 * text it receives, with the sequence number of its first copy and when it last arrived.
 */
final class ResumingSubscriber implements AutoCloseable {

  private final ManagedChannel channel;
  private final PubsubGrpc.PubsubStub stub;
  private final String cache;
  private final String topic;
  private final ScheduledExecutorService retry = Executors.newSingleThreadScheduledExecutor();
  private final Map<String, Integer> counts = new ConcurrentHashMap<>();
  private final Map<String, Long> lastArrival = new ConcurrentHashMap<>();
  private final Map<String, Long> firstSequence = new ConcurrentHashMap<>();
  final List<String> discontinuities = new CopyOnWriteArrayList<>();
  private volatile long lastSequence;
  private volatile long page;
  private volatile boolean closed;
  private final java.util.concurrent.CountDownLatch live =
      new java.util.concurrent.CountDownLatch(1);

  ResumingSubscriber(int plaintextPort, String cache, String topic) {
    this(plaintextPort, "test-key", cache, topic);
  }

  ResumingSubscriber(int plaintextPort, String apiKey, String cache, String topic) {
    channel = LocalMomentoProcess.plaintextChannel(plaintextPort, apiKey);
    stub = PubsubGrpc.newStub(channel);
    this.cache = cache;
    this.topic = topic;
    subscribe();
  }

  private void subscribe() {
    if (closed) {
      return;
    }
    _SubscriptionRequest.Builder request =
        _SubscriptionRequest.newBuilder().setCacheName(cache).setTopic(topic);
    if (lastSequence > 0) {
      request.setResumeAtTopicSequenceNumber(lastSequence + 1).setSequencePage(page);
    }
    stub.subscribe(
        request.build(),
        new StreamObserver<>() {
          @Override
          public void onNext(_SubscriptionItem item) {
            live.countDown(); // a heartbeat comes first on every subscription
            switch (item.getKindCase()) {
              case ITEM -> {
                lastSequence = item.getItem().getTopicSequenceNumber();
                page = item.getItem().getSequencePage();
                String text = item.getItem().getValue().getText();
                long now = System.currentTimeMillis();
                firstSequence.putIfAbsent(text, lastSequence);
                lastArrival.put(text, now);
                counts.merge(text, 1, Integer::sum);
              }
              case DISCONTINUITY -> {
                discontinuities.add(item.getDiscontinuity().toString().replace('\n', ' '));
                lastSequence = item.getDiscontinuity().getNewTopicSequence();
                page = item.getDiscontinuity().getNewSequencePage();
              }
              default -> {
                // heartbeat
              }
            }
          }

          @Override
          public void onError(Throwable t) {
            again();
          }

          @Override
          public void onCompleted() {
            again();
          }
        });
  }

  private void again() {
    if (!closed) {
      retry.schedule(this::subscribe, 200, TimeUnit.MILLISECONDS);
    }
  }

  /** Waits for the subscription to be in place. */
  void awaitLive() throws InterruptedException {
    if (!live.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the subscription did not start");
    }
  }

  /** How often each text arrived. */
  Map<String, Integer> counts() {
    return Map.copyOf(counts);
  }

  /**
   * The topic sequence number Momento gave a text's first copy, or null: unlike arrival times, it
   * orders publishes as Momento took them, whatever the delay to this subscriber.
   */
  Long firstSequence(String text) {
    return firstSequence.get(text);
  }

  /** When a text last arrived (epoch ms), or null. */
  Long lastArrival(String text) {
    return lastArrival.get(text);
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    retry.shutdownNow();
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
