package dev.topicprocessor.bench;

import dev.topicprocessor.it.LocalMomentoProcess;
import grpc.cache_client.pubsub.PubsubGrpc;
import grpc.cache_client.pubsub._PublishRequest;
import grpc.cache_client.pubsub._SubscriptionItem;
import grpc.cache_client.pubsub._SubscriptionRequest;
import grpc.cache_client.pubsub._TopicValue;
import grpc.common._Empty;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Publishes and subscribes on Local Momento's plaintext listener with the raw protocol: the
 * benchmark's publisher and subscribers, lighter than an SDK so that they take as little of the
 * machine as they can.
 */
final class Pubsub implements AutoCloseable {

  private final ManagedChannel channel;
  private final PubsubGrpc.PubsubStub stub;

  Pubsub(int plaintextPort) {
    channel = LocalMomentoProcess.plaintextChannel(plaintextPort);
    stub = PubsubGrpc.newStub(channel);
  }

  /** Publishes a text; {@code done} gets null on success, else the error. */
  void publish(String cache, String topic, String text, Consumer<Throwable> done) {
    stub.withDeadlineAfter(10, TimeUnit.SECONDS)
        .publish(
            _PublishRequest.newBuilder()
                .setCacheName(cache)
                .setTopic(topic)
                .setValue(_TopicValue.newBuilder().setText(text))
                .build(),
            new StreamObserver<_Empty>() {
              @Override
              public void onNext(_Empty value) {}

              @Override
              public void onError(Throwable t) {
                done.accept(t);
              }

              @Override
              public void onCompleted() {
                done.accept(null);
              }
            });
  }

  /**
   * Subscribes and waits until the subscription is in place (its first heartbeat); {@code texts}
   * gets every text, on a gRPC thread. Closing the returned handle ends the subscription.
   */
  AutoCloseable subscribe(String cache, String topic, Consumer<String> texts)
      throws InterruptedException {
    CountDownLatch live = new CountDownLatch(1);
    Context.CancellableContext context = Context.current().withCancellation();
    context.run(
        () ->
            stub.subscribe(
                _SubscriptionRequest.newBuilder().setCacheName(cache).setTopic(topic).build(),
                new StreamObserver<_SubscriptionItem>() {
                  @Override
                  public void onNext(_SubscriptionItem item) {
                    live.countDown();
                    if (item.hasItem()) {
                      texts.accept(item.getItem().getValue().getText());
                    }
                  }

                  @Override
                  public void onError(Throwable t) {}

                  @Override
                  public void onCompleted() {}
                }));
    if (!live.await(30, TimeUnit.SECONDS)) {
      context.cancel(null);
      throw new IllegalStateException("no subscription to " + cache + "/" + topic);
    }
    return () -> context.cancel(null);
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
