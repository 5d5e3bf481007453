package dev.topicprocessor.localmomento;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import grpc.cache_client.pubsub.PubsubGrpc;
import grpc.cache_client.pubsub._PublishRequest;
import grpc.cache_client.pubsub._SubscriptionItem;
import grpc.cache_client.pubsub._SubscriptionRequest;
import grpc.cache_client.pubsub._TopicValue;
import grpc.control_client.ScsControlGrpc;
import grpc.webhook.WebhookGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Plain gRPC stubs of the client-protos, over the plaintext listener, as any SDK would call. */
public final class RawClient implements AutoCloseable {

  final ManagedChannel channel;

  /** Stubs whose deadline runs 30 s from when the client was made: for a test's first calls. */
  final PubsubGrpc.PubsubBlockingStub pubsub;

  final PubsubGrpc.PubsubStub pubsubAsync;
  final ScsControlGrpc.ScsControlBlockingStub control;
  final WebhookGrpc.WebhookBlockingStub webhooks;

  RawClient(int port) {
    this(port, "any-key");
  }

  /**
   * @param apiKey the authorization header, or null to send none
   */
  RawClient(int port, String apiKey) {
    NettyChannelBuilder builder = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext();
    if (apiKey != null) {
      Metadata headers = new Metadata();
      headers.put(AuthorizationInterceptor.AUTHORIZATION, apiKey);
      builder.intercept(MetadataUtils.newAttachHeadersInterceptor(headers));
    }
    channel = builder.build();
    pubsub = PubsubGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    pubsubAsync = PubsubGrpc.newStub(channel);
    control = ScsControlGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    webhooks = WebhookGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  /** Publishes with a deadline of its own (a stub's deadline is fixed when the stub is made). */
  void publish(String cache, String topic, String text) {
    publishText(channel, cache, topic, text, Duration.ofSeconds(30));
  }

  /** Publishes a text to a topic over any channel to Local Momento, waiting up to a deadline. */
  public static void publishText(
      ManagedChannel channel, String cache, String topic, String text, Duration deadline) {
    PubsubGrpc.newBlockingStub(channel)
        .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
        .publish(
            _PublishRequest.newBuilder()
                .setCacheName(cache)
                .setTopic(topic)
                .setValue(_TopicValue.newBuilder().setText(text))
                .build());
  }

  Stream subscribe(String cache, String topic, long resumeAt, long page) {
    Stream stream = new Stream();
    pubsubAsync.subscribe(
        _SubscriptionRequest.newBuilder()
            .setCacheName(cache)
            .setTopic(topic)
            .setResumeAtTopicSequenceNumber(resumeAt)
            .setSequencePage(page)
            .build(),
        stream);
    return stream;
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  /** One subscription stream: what arrived, and how it ended. */
  static final class Stream
      implements ClientResponseObserver<_SubscriptionRequest, _SubscriptionItem> {
    final BlockingQueue<_SubscriptionItem> items = new LinkedBlockingQueue<>();
    final BlockingQueue<Status> end = new LinkedBlockingQueue<>();
    private volatile ClientCallStreamObserver<_SubscriptionRequest> call;

    @Override
    public void beforeStart(ClientCallStreamObserver<_SubscriptionRequest> requestStream) {
      call = requestStream;
    }

    @Override
    public void onNext(_SubscriptionItem item) {
      items.add(item);
    }

    @Override
    public void onError(Throwable t) {
      end.add(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      end.add(Status.OK);
    }

    _SubscriptionItem next(Duration within) throws InterruptedException {
      _SubscriptionItem item = items.poll(within.toMillis(), TimeUnit.MILLISECONDS);
      assertNotNull(item, "no subscription item within " + within + "; ended: " + end.peek());
      return item;
    }

    /** The next item that is not a heartbeat. */
    _SubscriptionItem nextContent(Duration within) throws InterruptedException {
      long deadline = System.nanoTime() + within.toNanos();
      while (true) {
        _SubscriptionItem item =
            next(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
        if (item.getKindCase() != _SubscriptionItem.KindCase.HEARTBEAT) {
          return item;
        }
      }
    }

    void awaitHeartbeat() throws InterruptedException {
      assertEquals(
          _SubscriptionItem.KindCase.HEARTBEAT, next(Duration.ofSeconds(10)).getKindCase());
    }

    Status awaitEnd(Duration within) throws InterruptedException {
      Status status = end.poll(within.toMillis(), TimeUnit.MILLISECONDS);
      assertNotNull(status, "the stream did not end within " + within);
      return status;
    }

    void cancel() {
      call.cancel("test is done", null);
    }
  }
}
