package dev.topicprocessor.support;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A warning that can repeat thousands of times a second (every retry during an outage, every 503
 * under overload): logged at WARNING once per interval, at FINE otherwise. The counts are in the
 * metrics.
 */
public final class ThrottledLog {

  private final Logger log;
  private final long intervalMillis;
  private final AtomicLong lastWarning = new AtomicLong(Long.MIN_VALUE / 2);

  public ThrottledLog(Logger log, Duration interval) {
    this.log = log;
    this.intervalMillis = interval.toMillis();
  }

  public void warn(Supplier<String> message) {
    long now = System.currentTimeMillis();
    long last = lastWarning.get();
    if (now - last >= intervalMillis && lastWarning.compareAndSet(last, now)) {
      log.warning(
          message.get()
              + " (more like this in the next "
              + intervalMillis / 1000
              + " s are logged at FINE)");
    } else {
      log.log(Level.FINE, message);
    }
  }
}
