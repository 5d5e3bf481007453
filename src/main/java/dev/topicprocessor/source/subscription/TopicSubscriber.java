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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps one subscription to one topic and takes every item in through the {@link Intake}, on a
 * thread of its own. It resumes from the journal's checkpoint; keeps up to {@value #MAX_IN_FLIGHT}
 * items in flight to the journal, so that they share its commits, and each moves the checkpoint
 * only from the item before it, so the checkpoint never passes an item not recorded. When an item
 * is refused (the journal full or unavailable) it reads nothing more, so the stream stops (gRPC
 * flow control), until every item read is in, in order: none is ever dropped. It reconnects with
 * backoff after any error, an end of the stream or a silence far longer than the heartbeat.
 */
final class TopicSubscriber implements Runnable {

  private static final Logger LOG = Logger.getLogger(TopicSubscriber.class.getName());
  private static final long INITIAL_BACKOFF_MILLIS = 250;

  /** Items handed to the intake and not yet committed, at most. */
  static final int MAX_IN_FLIGHT = 256;

  /** An item handed to the intake, with the position before it on the stream. */
  private record Sent(
      InboundEvent event, Checkpoint previous, CompletableFuture<IntakeResult> result) {
    Checkpoint position() {
      return new Checkpoint(
          event.cache(), event.topic(), event.sequencePage(), event.sequenceNumber());
    }
  }

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

  /** The position of the last item taken in (committed), for the status. */
  private volatile Checkpoint lastTaken;

  /** Items handed to the intake, oldest first, whose commit this thread has not yet seen. */
  private final ArrayDeque<Sent> inFlight = new ArrayDeque<>();

  /**
   * The last item read from the stream (or the checkpoint resumed from): the next one's previous.
   */
  private Checkpoint read;

  /** The sequence page of the stream being read (it changes when the topic is reset). */
  private long readPage;

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
        lastTaken = at;
        read = at;
        readPage = at.sequencePage();
        try {
          subscribe(at);
        } finally {
          settleAll(); // the next stream resumes from a checkpoint that has every item read
        }
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
                  + (lastTaken == null ? 0 : lastTaken.sequenceNumber()));
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
        default -> settleCommitted(); // a heartbeat: note commits, take refused items in again
      }
    }
  }

  private void discontinuity(_Discontinuity d) {
    if (read.started() && d.getNewSequencePage() != readPage) {
      gap(0);
      LOG.warning(
          "subscription to "
              + name()
              + ": the topic was reset (sequence page "
              + readPage
              + " -> "
              + d.getNewSequencePage()
              + "); items published before the reset and not taken in are gone");
      readPage = d.getNewSequencePage();
    } else if (read.started()) {
      gapAnnounced = true; // counted with the next item, whose number says how many are gone
    }
  }

  private void take(_TopicItem item) {
    long page = item.getSequencePage();
    long sequence = item.getTopicSequenceNumber();
    long last = read.sequenceNumber();
    if (read.started() && page == readPage && sequence > last + 1) {
      long gone = sequence - last - 1;
      gap(gone);
      LOG.warning(
          "subscription to "
              + name()
              + ": "
              + gone
              + " item(s) after #"
              + last
              + " are gone (the topic no longer had them); carrying on at #"
              + sequence);
    } else if (gapAnnounced) {
      LOG.warning(
          "subscription to "
              + name()
              + ": a discontinuity after #"
              + last
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
    Checkpoint previous = read;
    CompletableFuture<IntakeResult> result = intake.submit(event, previous);
    result.thenAccept(r -> noteIfTaken(event, r)); // for the status, as soon as it is committed
    inFlight.add(new Sent(event, previous, result));
    read = new Checkpoint(cache, topic, page, sequence);
    readPage = page;
    if (result.isDone() && !isIn(result.join())) {
      pause(sequence, result.join());
      settleAll(); // refused at once (the journal full): read nothing more until it is in
    } else {
      settleCommitted();
    }
  }

  /**
   * Takes note of the items committed so far, oldest first; waits for the oldest while too many are
   * in flight. Once one is refused, nothing more is read until every item read is in.
   */
  private void settleCommitted() {
    while (!inFlight.isEmpty()) {
      Sent oldest = inFlight.peek();
      if (!oldest.result().isDone() && inFlight.size() < MAX_IN_FLIGHT) {
        return;
      }
      IntakeResult result = await(oldest);
      if (result == null) {
        return; // stopping
      }
      if (!isIn(result)) {
        pause(oldest.event().sequenceNumber(), result);
        settleAll();
        return;
      }
      inFlight.poll();
    }
  }

  /**
   * Waits for every item in flight, then takes in again, in order, those that were refused, holding
   * each until it is in (or the subscription stops). When some were, the checkpoint is set to the
   * last item read: the later items' own transactions could not move it past the refused ones.
   */
  private void settleAll() {
    List<Sent> refused = new ArrayList<>();
    Checkpoint last = null;
    for (Sent sent; (sent = inFlight.poll()) != null; ) {
      IntakeResult result = await(sent);
      if (result == null) {
        inFlight.clear();
        return; // stopping: what is not committed is not taken; the checkpoint is before it
      }
      if (!isIn(result)) {
        refused.add(sent);
      }
      last = sent.position();
    }
    if (refused.isEmpty()) {
      return;
    }
    for (Sent sent : refused) {
      InboundEvent event = sent.event();
      Supplier<IntakeResult> again =
          () -> {
            IntakeResult result = intake.submit(event, sent.previous()).join();
            noteIfTaken(event, result);
            return result;
          };
      if (!hold(event.sequenceNumber(), again)) {
        return;
      }
    }
    Checkpoint at = last;
    hold(
        at.sequenceNumber(),
        () ->
            intake.saveCheckpoint(at)
                ? new IntakeResult.Accepted()
                : new IntakeResult.Unavailable("the checkpoint could not be saved", null));
  }

  /** The item's result once committed, or null when the subscription stops first. */
  private IntakeResult await(Sent sent) {
    while (running) {
      try {
        return sent.result().get(100, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        // still in flight
      } catch (ExecutionException e) {
        return new IntakeResult.Unavailable("the event could not be recorded", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running = false;
      }
    }
    return null;
  }

  private static boolean isIn(IntakeResult result) {
    return result instanceof IntakeResult.Accepted || result instanceof IntakeResult.Duplicate;
  }

  /** Counts the item as taken in once the journal has it. */
  private void noteIfTaken(InboundEvent event, IntakeResult result) {
    if (isIn(result)) {
      paused = false;
      lastTaken = new Checkpoint(cache, topic, event.sequencePage(), event.sequenceNumber());
      taken.incrementAndGet();
    }
  }

  /**
   * Reads nothing more until what was read is in: the journal refused an item (full, or its
   * database away). Health shows it paused from now on; logged once per pause.
   */
  private void pause(long sequenceNumber, IntakeResult result) {
    if (!paused) {
      LOG.log(
          Level.INFO,
          "subscription to {0} paused at #{1}: {2}",
          new Object[] {name(), sequenceNumber, result});
    }
    paused = true;
  }

  /**
   * Tries {@code attempt} until the journal takes it, with a growing pause, reading nothing more
   * meanwhile; false if the subscription stops first.
   */
  private boolean hold(long sequenceNumber, Supplier<IntakeResult> attempt) {
    long wait = 50;
    while (running) {
      IntakeResult result = attempt.get();
      if (isIn(result)) {
        return true;
      }
      // Full or unavailable: hold this item (never dropped) and read nothing more until it is in.
      pause(sequenceNumber, result);
      sleep(wait);
      wait = Math.min(1_000, wait * 2);
    }
    return false;
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
        lastTaken == null ? 0 : lastTaken.sequencePage(),
        lastTaken == null ? 0 : lastTaken.sequenceNumber(),
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
