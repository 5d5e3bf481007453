package dev.topicprocessor.localmomento;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import grpc.cache_client.pubsub._SubscriptionItem;
import grpc.cache_client.pubsub._SubscriptionRequest;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * 50 subscribers on one topic while 4 publishers send 20,000 messages in all: every subscriber gets
 * every message exactly once, in sequence order, and all see the same order.
 */
class LocalMomentoConcurrencyIT {

  private static final int SUBSCRIBERS = 50;
  private static final int PUBLISHERS = 4;
  private static final int PER_PUBLISHER = 5_000;
  private static final int TOTAL = PUBLISHERS * PER_PUBLISHER;

  /** Checks one subscriber's stream as it arrives, keeping only a few numbers. */
  static final class Checker implements StreamObserver<_SubscriptionItem> {
    final CountDownLatch subscribed = new CountDownLatch(1);
    final CountDownLatch complete = new CountDownLatch(1);
    final int[] lastIndexPerPublisher = new int[PUBLISHERS];
    volatile long expected = 1;
    volatile long orderHash = 17;
    volatile String problem;
    volatile int discontinuities;

    Checker() {
      java.util.Arrays.fill(lastIndexPerPublisher, -1);
    }

    @Override
    public void onNext(_SubscriptionItem item) {
      switch (item.getKindCase()) {
        case HEARTBEAT -> subscribed.countDown();
        case DISCONTINUITY -> {
          discontinuities++;
          fail("discontinuity " + item.getDiscontinuity());
        }
        case ITEM -> {
          long sequence = item.getItem().getTopicSequenceNumber();
          if (sequence != expected) {
            fail("expected #" + expected + ", got #" + sequence);
            return;
          }
          String text = item.getItem().getValue().getText(); // "p<publisher>-<index>"
          int dash = text.indexOf('-');
          int publisher = Integer.parseInt(text.substring(1, dash));
          int index = Integer.parseInt(text.substring(dash + 1));
          if (index != lastIndexPerPublisher[publisher] + 1) {
            fail(
                "publisher "
                    + publisher
                    + ": "
                    + index
                    + " after "
                    + lastIndexPerPublisher[publisher]);
            return;
          }
          lastIndexPerPublisher[publisher] = index;
          orderHash = orderHash * 31 + text.hashCode();
          expected = sequence + 1;
          if (sequence == TOTAL) {
            complete.countDown();
          }
        }
        default -> fail("unexpected " + item);
      }
    }

    private void fail(String what) {
      if (problem == null) {
        problem = what;
      }
      complete.countDown();
    }

    @Override
    public void onError(Throwable t) {
      fail("stream failed: " + t);
    }

    @Override
    public void onCompleted() {
      fail("stream completed");
    }
  }

  @Test
  void fiftySubscribersEachGetAllTwentyThousandMessagesOnceInOrder() throws Exception {
    // A subscriber that lags further behind than the history legitimately gets a discontinuity
    // (tested elsewhere); here the history covers the whole run so that only fan-out is judged,
    // however slowly a busy machine lets the subscribers drain.
    LocalMomentoConfig config = LocalMomentoConfig.ephemeral().withHistorySize(TOTAL);
    try (LocalMomento momento = LocalMomento.start(config)) {
      List<RawClient> subscriberChannels = new ArrayList<>();
      List<Checker> checkers = new ArrayList<>();
      for (int c = 0; c < 5; c++) {
        subscriberChannels.add(new RawClient(momento.plaintextPort()));
      }
      for (int s = 0; s < SUBSCRIBERS; s++) {
        Checker checker = new Checker();
        checkers.add(checker);
        subscriberChannels
            .get(s % subscriberChannels.size())
            .pubsubAsync
            .subscribe(
                _SubscriptionRequest.newBuilder()
                    .setCacheName("default-cache")
                    .setTopic("busy")
                    .build(),
                checker);
      }
      for (Checker checker : checkers) {
        assertTrue(checker.subscribed.await(10, TimeUnit.SECONDS), "subscribed");
      }

      ExecutorService publishers = Executors.newFixedThreadPool(PUBLISHERS);
      List<Future<?>> sent = new ArrayList<>();
      for (int p = 0; p < PUBLISHERS; p++) {
        int publisher = p;
        sent.add(
            publishers.submit(
                () -> {
                  try (RawClient client = new RawClient(momento.plaintextPort())) {
                    for (int i = 0; i < PER_PUBLISHER; i++) {
                      client.publish("default-cache", "busy", "p" + publisher + "-" + i);
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> future : sent) {
        future.get(5, TimeUnit.MINUTES);
      }
      publishers.shutdown();

      for (Checker checker : checkers) {
        assertTrue(
            checker.complete.await(Duration.ofMinutes(3).toSeconds(), TimeUnit.SECONDS),
            "subscriber finished");
      }
      long hash = checkers.get(0).orderHash;
      for (Checker checker : checkers) {
        assertEquals(null, checker.problem);
        assertEquals(TOTAL + 1, checker.expected, "every sequence number once");
        for (int p = 0; p < PUBLISHERS; p++) {
          assertEquals(PER_PUBLISHER - 1, checker.lastIndexPerPublisher[p]);
        }
        assertEquals(hash, checker.orderHash, "all subscribers saw the same order");
      }
      assertEquals(TOTAL, momento.stats().published());
      for (RawClient client : subscriberChannels) {
        client.close();
      }
    }
  }
}
