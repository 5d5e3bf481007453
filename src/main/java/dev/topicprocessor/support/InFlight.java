package dev.topicprocessor.support;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** A count of work under way, and a wait for it to reach zero: how shutdown lets work finish. */
public final class InFlight {

  private final AtomicInteger count = new AtomicInteger();

  public void started() {
    count.incrementAndGet();
  }

  public void ended() {
    if (count.decrementAndGet() == 0) {
      synchronized (count) {
        count.notifyAll();
      }
    }
  }

  public int count() {
    return count.get();
  }

  /** Waits until nothing is under way, at most {@code max}; false when time ran out. */
  public boolean awaitNone(Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    synchronized (count) {
      while (count.get() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        count.wait(Math.max(1, left / 1_000_000));
      }
    }
    return true;
  }
}
