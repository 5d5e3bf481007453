package dev.topicprocessor.client;

import dev.topicprocessor.routing.Router;
import grpc.cache_client.pubsub.PubsubGrpc;
import grpc.cache_client.pubsub._SubscriptionItem;
import grpc.cache_client.pubsub._SubscriptionRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Whether Momento accepts the processor's key, for health: a subscription to a topic of its own,
 * ended at its first item (Momento's first item is a heartbeat), made at start and again when the
 * last answer is older than {@link #FRESH}. {@code UNAUTHENTICATED} is a refused key; any other
 * answer after authentication (a heartbeat, a cache not found, a permission the key lacks) means
 * the key was accepted; no answer means Momento could not be reached.
 */
@ApplicationScoped
public class MomentoKeyCheck {

  static final String TOPIC = "topic-processor.key-check";
  static final Duration FRESH = Duration.ofSeconds(30);
  private static final Duration DEADLINE = Duration.ofSeconds(10);
  private static final Logger LOG = Logger.getLogger(MomentoKeyCheck.class.getName());

  /** What Momento said of the key, and when. */
  public record Verdict(Key key, String detail, long checkedAtMillis) {}

  /** The key's standing with Momento. */
  public enum Key {
    UNCHECKED,
    ACCEPTED,
    REFUSED,
    UNREACHABLE;

    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final Supplier<ManagedChannel> channels;
  private final Supplier<String> cache;
  private volatile Verdict verdict = new Verdict(Key.UNCHECKED, "not checked yet", 0);
  private ManagedChannel checking; // guarded by this
  private boolean closed; // guarded by this

  protected MomentoKeyCheck() {
    this.channels = null;
    this.cache = null;
  }

  @Inject
  public MomentoKeyCheck(MomentoConnection momento, Router router) {
    this(
        momento::pubsubChannel, () -> router.caches().stream().findFirst().orElse("default-cache"));
  }

  /**
   * @param channels a new channel to the Pubsub service per check (closed by the check)
   * @param cache the cache to subscribe in
   */
  MomentoKeyCheck(Supplier<ManagedChannel> channels, Supplier<String> cache) {
    this.channels = channels;
    this.cache = cache;
  }

  /** The last verdict; starts a new check when it is older than {@link #FRESH}. */
  public Verdict verdict() {
    Verdict last = verdict;
    if (System.currentTimeMillis() - last.checkedAtMillis() > FRESH.toMillis()) {
      check();
    }
    return last;
  }

  /** Starts a check unless one is under way; its answer comes on gRPC's threads. */
  public synchronized void check() {
    if (checking != null || closed) {
      return;
    }
    ManagedChannel channel = channels.get();
    checking = channel;
    PubsubGrpc.newStub(channel)
        .withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
        .subscribe(
            _SubscriptionRequest.newBuilder().setCacheName(cache.get()).setTopic(TOPIC).build(),
            new ClientResponseObserver<_SubscriptionRequest, _SubscriptionItem>() {
              private ClientCallStreamObserver<_SubscriptionRequest> call;

              @Override
              public void beforeStart(ClientCallStreamObserver<_SubscriptionRequest> call) {
                this.call = call;
              }

              @Override
              public void onNext(_SubscriptionItem item) {
                done(
                    channel,
                    new Verdict(Key.ACCEPTED, "a heartbeat came", System.currentTimeMillis()));
                call.cancel("the key check has its answer", null);
              }

              @Override
              public void onError(Throwable error) {
                done(channel, verdictOf(Status.fromThrowable(error)));
              }

              @Override
              public void onCompleted() {
                done(
                    channel,
                    new Verdict(Key.ACCEPTED, "the stream ended", System.currentTimeMillis()));
              }
            });
  }

  /** What a failed check says of the key. */
  static Verdict verdictOf(Status status) {
    long now = System.currentTimeMillis();
    String detail =
        status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription());
    return switch (status.getCode()) {
      case UNAUTHENTICATED -> new Verdict(Key.REFUSED, detail, now);
      case UNAVAILABLE, DEADLINE_EXCEEDED, UNKNOWN, INTERNAL, CANCELLED ->
          new Verdict(Key.UNREACHABLE, detail, now);
        // Answered after authentication: a cache not found, a permission the key lacks, a limit.
      default -> new Verdict(Key.ACCEPTED, detail, now);
    };
  }

  private void done(ManagedChannel channel, Verdict answer) {
    Key before = verdict.key();
    synchronized (this) {
      if (checking != channel) {
        return; // already answered, or closed
      }
      checking = null;
      if (!closed) {
        verdict = answer;
      }
    }
    channel.shutdown();
    if (answer.key() != before && answer.key() == Key.REFUSED) {
      LOG.warning(
          "Momento refuses the API key ("
              + answer.detail()
              + "): check MOMENTO_API_KEY and"
              + " MOMENTO_ENDPOINT. Accepted events wait in the journal until it is accepted.");
    } else if (answer.key() != before) {
      LOG.info("Momento API key: " + answer.key() + " (" + answer.detail() + ")");
    }
  }

  /** Ends a check under way; no other starts. */
  @PreDestroy
  public synchronized void close() {
    closed = true;
    if (checking != null) {
      checking.shutdownNow();
      checking = null;
    }
  }
}
