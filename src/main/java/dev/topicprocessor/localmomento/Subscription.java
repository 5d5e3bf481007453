package dev.topicprocessor.localmomento;

import grpc.cache_client.pubsub._Discontinuity;
import grpc.cache_client.pubsub._Heartbeat;
import grpc.cache_client.pubsub._SubscriptionItem;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One subscriber's stream. It holds a cursor into its topic's history and sends from it only while
 * the transport is ready, so a slow subscriber costs no memory beyond the topic's history: when it
 * falls further behind than the history reaches, it receives a discontinuity and carries on from
 * the oldest kept message, as Momento does.
 *
 * <p>Every wake-up ({@link #signal()}) schedules one drain on the executor; drains of one
 * subscription never overlap, so the stream observer is only ever called from one thread at a time.
 */
final class Subscription {

  private static final Logger LOG = Logger.getLogger(Subscription.class.getName());
  private static final _SubscriptionItem HEARTBEAT =
      _SubscriptionItem.newBuilder().setHeartbeat(_Heartbeat.getDefaultInstance()).build();

  private final Topic topic;
  private final ServerCallStreamObserver<_SubscriptionItem> stream;
  private final Executor executor;
  private final AtomicInteger wip = new AtomicInteger();

  // Touched only inside drain(), which never runs concurrently with itself.
  private long cursor;
  private _SubscriptionItem pending;
  private boolean finished;

  /** The cursor as other threads may read it: the next sequence number to send. */
  private volatile long next;

  private volatile boolean heartbeatDue = true; // the first message is always a heartbeat
  private volatile boolean cancelled;
  private volatile Status terminal;

  /**
   * @param resumeAt the request's {@code resume_at_topic_sequence_number}: 0 for only new messages
   * @param sequencePage the request's {@code sequence_page}: 0 when the client has none
   */
  Subscription(
      Topic topic,
      ServerCallStreamObserver<_SubscriptionItem> stream,
      Executor executor,
      long resumeAt,
      long sequencePage) {
    this.topic = topic;
    this.stream = stream;
    this.executor = executor;
    long latest = topic.latest();
    if (resumeAt == 0) {
      cursor = latest + 1;
    } else if (sequencePage != 0 && sequencePage != topic.page()) {
      // The topic was reset since the client last saw it: replay what the new page kept.
      cursor = topic.oldest();
      pending = discontinuity(resumeAt - 1, cursor - 1);
    } else if (resumeAt > latest + 1) {
      cursor = latest + 1;
      pending = discontinuity(resumeAt - 1, latest);
    } else {
      cursor = resumeAt; // older than the history: the drain reports the gap itself
    }
    next = cursor;
  }

  Topic topic() {
    return topic;
  }

  /** Something changed: a publish, the transport became ready, a heartbeat, an end. */
  void signal() {
    if (wip.getAndIncrement() == 0) {
      executor.execute(this::drain);
    }
  }

  void heartbeat() {
    heartbeatDue = true;
    signal();
  }

  /** The client went away. */
  void cancel() {
    cancelled = true;
    topic.detach(this);
    signal();
  }

  /** Ends the stream with this status (for example UNAVAILABLE, so that SDKs resubscribe). */
  void end(Status status) {
    terminal = status;
    signal();
  }

  private void drain() {
    int missed = 1;
    do {
      try {
        drainOnce();
      } catch (RuntimeException e) {
        // The transport refused a message (the call ended under us): this stream is over.
        LOG.log(Level.FINE, "subscription stream failed", e);
        finish();
      }
      missed = wip.addAndGet(-missed);
    } while (missed != 0);
  }

  private void drainOnce() {
    if (finished) {
      return;
    }
    if (cancelled) {
      finish();
      return;
    }
    Status status = terminal;
    if (status != null) {
      finish();
      stream.onError(status.asRuntimeException());
      return;
    }
    while (stream.isReady()) {
      if (heartbeatDue) {
        heartbeatDue = false;
        stream.onNext(HEARTBEAT);
      } else if (pending != null) {
        stream.onNext(pending);
        pending = null;
      } else if (!sendNext()) {
        return;
      }
    }
  }

  /** Sends the message at the cursor, or a discontinuity; false when there is nothing to send. */
  private boolean sendNext() {
    Topic.Read read = topic.read(cursor);
    if (read instanceof Topic.Read.Item item) {
      stream.onNext(item.item());
      cursor++;
      next = cursor;
      return true;
    }
    if (read instanceof Topic.Read.Gone gone) {
      stream.onNext(discontinuity(cursor - 1, gone.oldest() - 1));
      cursor = gone.oldest();
      next = cursor;
      return true;
    }
    return false;
  }

  private _SubscriptionItem discontinuity(long last, long next) {
    return _SubscriptionItem.newBuilder()
        .setDiscontinuity(
            _Discontinuity.newBuilder()
                .setLastTopicSequence(Math.max(0, last))
                .setNewTopicSequence(Math.max(0, next))
                .setNewSequencePage(topic.page()))
        .build();
  }

  /** Whether everything published to the topic so far was handed to the transport (or it ended). */
  boolean caughtUp() {
    return finished || cancelled || next > topic.latest();
  }

  private void finish() {
    finished = true;
    topic.detach(this);
  }
}
