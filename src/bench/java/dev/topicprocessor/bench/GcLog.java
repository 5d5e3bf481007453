package dev.topicprocessor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server JVM's garbage collector log ({@code -Xlog:gc:file=...:timemillis}): its pauses, and
 * the heap left after each, within the time windows when load ran.
 */
final class GcLog {

  /** -Xlog option that writes the log this class reads. */
  static String option(Path file) {
    return "-Xlog:gc:file=" + file + ":timemillis";
  }

  // [1732270000123ms] GC(3) Pause Young (Normal) (G1 Evacuation Pause) 45M->12M(256M) 4.123ms
  // (the kind has digits: "G1"; until 2026-12-02 it was matched without, and only remarks,
  // cleanups and full collections were counted)
  private static final Pattern PAUSE =
      Pattern.compile(
          "^\\[(\\d+)ms\\] GC\\(\\d+\\) (Pause .*?) (\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)"
              + " ([0-9.]+)ms$");

  record Pause(long atMillis, String kind, double afterMb, double ms) {}

  /**
   * @param pauses stop-the-world pauses in the windows
   * @param pausedPercent share of the windows' time spent paused
   * @param heapAfterGcMaxMb the most heap still in use right after a collection
   */
  record Summary(
      int pauses,
      double totalMs,
      double maxMs,
      double pausedPercent,
      double heapAfterGcMedianMb,
      double heapAfterGcMaxMb) {}

  private GcLog() {}

  static List<Pause> read(Path file) throws IOException {
    List<Pause> pauses = new ArrayList<>();
    if (!Files.exists(file)) {
      return pauses;
    }
    for (String line : Files.readAllLines(file)) {
      Matcher m = PAUSE.matcher(line);
      if (m.find()) {
        pauses.add(
            new Pause(
                Long.parseLong(m.group(1)),
                m.group(2).trim(),
                megabytes(m.group(5), m.group(6)),
                Double.parseDouble(m.group(9))));
      }
    }
    return pauses;
  }

  /** The pauses that began within one of the windows ({start, end} in epoch ms). */
  static Summary within(List<Pause> all, List<long[]> windows) {
    List<Pause> in = new ArrayList<>();
    long windowMillis = 0;
    for (long[] window : windows) {
      windowMillis += window[1] - window[0];
      for (Pause pause : all) {
        if (pause.atMillis() >= window[0] && pause.atMillis() <= window[1]) {
          in.add(pause);
        }
      }
    }
    double total = in.stream().mapToDouble(Pause::ms).sum();
    long[] after = in.stream().mapToLong(p -> Math.round(p.afterMb() * 10)).sorted().toArray();
    return new Summary(
        in.size(),
        total,
        in.stream().mapToDouble(Pause::ms).max().orElse(0),
        windowMillis == 0 ? 0 : 100 * total / windowMillis,
        Results.percentile(after, 50) / 10,
        Results.percentile(after, 100) / 10);
  }

  private static double megabytes(String value, String unit) {
    double v = Double.parseDouble(value);
    return switch (unit) {
      case "K" -> v / 1024;
      case "G" -> v * 1024;
      default -> v;
    };
  }
}
