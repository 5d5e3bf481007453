package dev.topicprocessor.source.subscription;

import com.google.protobuf.ByteString;
import dev.topicprocessor.event.Checkpoint;
import dev.topicprocessor.event.InboundEvent;
import dev.topicprocessor.intake.Intake;
import dev.topicprocessor.intake.IntakeResult;
import dev.topicprocessor.metrics.ProcessorMetrics;
import dev.topicprocessor.support.ThrottledLog;
import grpc.cache_client.pubsub.PubsubGrpc;
import grpc.cache_client.pubsub._Discontinuity;
import grpc.cache_client.pubsub._SubscriptionItem;
import grpc.cache_client.pubsub._SubscriptionRequest;
import grpc.cache_client.pubsub._TopicItem;
import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps one subscription to one topic and takes every item in through the {@link Intake}, on a
 * thread of its own. It resumes from the journal's checkpoint; reads the next item only once the
 * last one is committed, so a full journal stops the stream (gRPC flow control) and no item read is
 * ever dropped; reconnects with backoff after any error, an end of the stream or a silence far
 * longer than the heartbeat.
 */
final class TopicSubscriber implements Runnable {

  private static final Logger LOG = Logger.getLogger(TopicSubscriber.class.getName());
  private static final long INITIAL_BACKOFF_MILLIS = 250;

  private final String cache;
  private final String topic;
  private final PubsubGrpc.PubsubBlockingStub pubsub;
  private final Intake intake;
  private final ProcessorMetrics metrics;
  private final long silenceNanos;
  private final long maxBackoffMillis;
  private final ThrottledLog reconnectLog = new ThrottledLog(LOG, Duration.ofSeconds(30));

  private volatile boolean running = true;
  private volatile Context.CancellableContext stream;

  /** When the thread began waiting for the stream's next message (nanoTime), or 0. */
  private volatile long waitingSince;

  private volatile boolean connected;
  private volatile boolean paused;
  private volatile long sequencePage;
  private volatile long lastSequence;
  private volatile String lastError;

  /** Why the watchdog ended the current stream, or null. */
  private volatile String silenced;

  private final AtomicLong taken = new AtomicLong();
  private final AtomicLong gaps = new AtomicLong();
  private final AtomicLong missed = new AtomicLong();
  private final AtomicLong reconnects = new AtomicLong();

  /** A discontinuity was announced on this page: the next item's jump is counted as missed. */
  private boolean gapAnnounced;

  TopicSubscriber(
      String cache,
      String topic,
      PubsubGrpc.PubsubBlockingStub pubsub,
      Intake intake,
      ProcessorMetrics metrics,
      Duration silence,
      Duration maxBackoff) {
    this.cache = cache;
    this.topic = topic;
    this.pubsub = pubsub;
    this.intake = intake;
    this.metrics = metrics;
    this.silenceNanos = silence.toNanos();
    this.maxBackoffMillis = Math.max(INITIAL_BACKOFF_MILLIS, maxBackoff.toMillis());
  }

  String name() {
    return cache + "/" + topic;
  }

  @Override
  public void run() {
    int failures = 0;
    while (running) {
      long before = taken.get();
      try {
        Checkpoint at = intake.checkpoint(cache, topic);
        sequencePage = at.sequencePage();
        lastSequence = at.sequenceNumber();
        subscribe(at);
        lastError = "the stream ended";
      } catch (StatusRuntimeException e) {
        lastError =
            silenced != null
                ? silenced
                : e.getStatus().getCode() + describe(e.getStatus().getDescription());
      } catch (RuntimeException e) {
        lastError = e.toString();
      }
      silenced = null;
      connected = false;
      if (!running) {
        break;
      }
      failures = taken.get() > before ? 1 : failures + 1;
      reconnects.incrementAndGet();
      metrics.subscriptionReconnect();
      long wait = backoff(failures);
      String why = lastError;
      reconnectLog.warn(
          () ->
              "subscription to "
                  + name()
                  + " lost ("
                  + why
                  + "); reconnecting in "
                  + wait
                  + " ms from #"
                  + lastSequence);
      sleep(wait);
    }
  }

  private void subscribe(Checkpoint at) {
    _SubscriptionRequest request =
        _SubscriptionRequest.newBuilder()
            .setCacheName(cache)
            .setTopic(topic)
            .setResumeAtTopicSequenceNumber(at.resumeAt())
            .setSequencePage(at.sequencePage())
            .build();
    Context.CancellableContext context = Context.current().withCancellation();
    stream = context;
    gapAnnounced = false;
    try {
      context.run(() -> consume(pubsub.subscribe(request)));
    } finally {
      context.cancel(null);
      stream = null;
    }
  }

  private void consume(Iterator<_SubscriptionItem> items) {
    while (running) {
      waitingSince = System.nanoTime();
      boolean more;
      try {
        more = items.hasNext();
      } finally {
        waitingSince = 0;
      }
      if (!more) {
        return;
      }
      _SubscriptionItem item = items.next();
      connected = true;
      switch (item.getKindCase()) {
        case ITEM -> take(item.getItem());
        case DISCONTINUITY -> discontinuity(item.getDiscontinuity());
        default -> {} // heartbeat: the stream is alive
      }
    }
  }

  private void discontinuity(_Discontinuity d) {
    if (lastSequence > 0 && d.getNewSequencePage() != sequencePage) {
      gap(0);
      LOG.warning(
          "subscription to "
              + name()
              + ": the topic was reset (sequence page "
              + sequencePage
              + " -> "
              + d.getNewSequencePage()
              + "); items published before the reset and not taken in are gone");
      sequencePage = d.getNewSequencePage();
    } else if (lastSequence > 0) {
      gapAnnounced = true; // counted with the next item, whose number says how many are gone
    }
  }

  private void take(_TopicItem item) {
    long page = item.getSequencePage();
    long sequence = item.getTopicSequenceNumber();
    if (lastSequence > 0 && page == sequencePage && sequence > lastSequence + 1) {
      long gone = sequence - lastSequence - 1;
      gap(gone);
      LOG.warning(
          "subscription to "
              + name()
              + ": "
              + gone
              + " item(s) after #"
              + lastSequence
              + " are gone (the topic no longer had them); carrying on at #"
              + sequence);
    } else if (gapAnnounced) {
      LOG.warning(
          "subscription to "
              + name()
              + ": a discontinuity after #"
              + lastSequence
              + " announced a gap, but the next item is #"
              + sequence);
    }
    gapAnnounced = false;
    boolean binary =
        item.getValue().getKindCase() == grpc.cache_client.pubsub._TopicValue.KindCase.BINARY;
    ByteString value = binary ? item.getValue().getBinary() : item.getValue().getTextBytes();
    InboundEvent event =
        new InboundEvent(
            InboundEvent.Via.SUBSCRIPTION,
            cache,
            topic,
            page,
            sequence,
            0,
            System.currentTimeMillis(),
            item.getPublisherId(),
            value.toByteArray(),
            binary);
    long wait = 50;
    while (running) {
      IntakeResult result = intake.accept(event);
      if (result instanceof IntakeResult.Accepted || result instanceof IntakeResult.Duplicate) {
        paused = false;
        sequencePage = page;
        lastSequence = sequence;
        taken.incrementAndGet();
        return;
      }
      // Full or unavailable: hold this item (never dropped) and read nothing more until it is in.
      if (!paused) {
        LOG.log(
            Level.INFO,
            "subscription to {0} paused at #{1}: {2}",
            new Object[] {name(), sequence, result});
      }
      paused = true;
      sleep(wait);
      wait = Math.min(1_000, wait * 2);
    }
  }

  private void gap(long gone) {
    gaps.incrementAndGet();
    missed.addAndGet(gone);
    metrics.subscriptionGap(gone);
  }

  /** Ends a stream that has been silent for too long; called by the watchdog. */
  void checkSilence(long nowNanos) {
    long since = waitingSince;
    Context.CancellableContext open = stream;
    if (since != 0 && open != null && nowNanos - since > silenceNanos) {
      silenced = "silent for " + Duration.ofNanos(nowNanos - since).toSeconds() + " s";
      open.cancel(null);
    }
  }

  /** Ends the subscription: the stream is cancelled, an item not yet committed is not taken. */
  void stop() {
    running = false;
    Context.CancellableContext open = stream;
    if (open != null) {
      open.cancel(null);
    }
  }

  SubscriptionStatus status() {
    return new SubscriptionStatus(
        cache,
        topic,
        connected,
        paused,
        sequencePage,
        lastSequence,
        taken.get(),
        gaps.get(),
        missed.get(),
        reconnects.get(),
        lastError);
  }

  private long backoff(int failures) {
    long ceiling =
        Math.min(
            maxBackoffMillis, INITIAL_BACKOFF_MILLIS << Math.min(16, Math.max(0, failures - 1)));
    return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
  }

  private void sleep(long millis) {
    long deadline = System.currentTimeMillis() + millis;
    try {
      while (running && System.currentTimeMillis() < deadline) {
        Thread.sleep(Math.min(50, Math.max(1, deadline - System.currentTimeMillis())));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  private static String describe(String description) {
    return description == null || description.isBlank() ? "" : ": " + description;
  }
}
