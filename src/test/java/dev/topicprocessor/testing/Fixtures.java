package dev.topicprocessor.testing;

import dev.topicprocessor.config.Settings;
import dev.topicprocessor.journal.Journal;
import dev.topicprocessor.metrics.ProcessorMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** What tests without a server share: settings from a map, an embedded journal, a wait. */
public final class Fixtures {

  private Fixtures() {}

  /** Settings as system properties would give them; everything else at its default. */
  public static Settings settings(Map<String, String> values) {
    Map<String, String> copy = new HashMap<>(values);
    return new Settings(name -> null, copy::get, name -> null);
  }

  /** The embedded journal of application {@code name} in {@code dir}, opened. */
  public static Journal journal(
      Path dir, String name, Map<String, String> settings, ProcessorMetrics metrics) {
    Map<String, String> values = new HashMap<>(settings);
    values.put("TOPIC_PROCESSOR_DATA_DIR", dir.toString());
    Journal journal = new Journal(settings(values), metrics);
    journal.open(name);
    return journal;
  }

  /** Waits until {@code condition} holds, at most {@code max}; says whether it did. */
  public static boolean await(BooleanSupplier condition, Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }
}
