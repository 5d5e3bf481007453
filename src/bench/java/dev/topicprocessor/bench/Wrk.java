package dev.topicprocessor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** wrk (Debian's 4.1.0) in its own process with the benchmark's script, and what it measured. */
final class Wrk {

  static final int THREADS = 2;

  /**
   * @param requests responses received (any status)
   * @param errors non-2xx/3xx answers, socket errors and timeouts (5 s, Momento's limit)
   * @param wraps times a thread ran out of distinct events and started over (should be 0)
   */
  record Result(
      long requests,
      double seconds,
      long errors,
      double p50Ms,
      double p99Ms,
      double p999Ms,
      double maxMs,
      long wraps) {

    double rate() {
      return requests / seconds;
    }
  }

  private final Path script;

  Wrk(Path script) {
    this.script = script;
  }

  /** As fast as the server answers, on {@code connections} connections. */
  Result flat(URI url, Path events, int connections, Duration duration) throws Exception {
    return run(url, events, connections, duration, 0);
  }

  /**
   * Paced: each connection waits a random 0 to 2x{@code connections/rate} s before each request,
   * about {@code rate} requests/s in all while answers are fast.
   */
  Result paced(URI url, Path events, int connections, Duration duration, double rate)
      throws Exception {
    return run(
        url, events, connections, duration, Math.max(1, Math.round(connections * 1000 / rate)));
  }

  private Result run(URI url, Path events, int connections, Duration duration, long delayMs)
      throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "wrk",
                "-t" + THREADS,
                "-c" + connections,
                "-d" + duration.toSeconds() + "s",
                "--timeout",
                "5s",
                "-s",
                script.toString(),
                url.toString(),
                "--",
                events.toString(),
                String.valueOf(THREADS)));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (delayMs > 0) {
      builder.environment().put("WRK_DELAY_MS", String.valueOf(delayMs));
    }
    Process wrk = builder.start();
    String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = wrk.waitFor();
    String json =
        output
            .lines()
            .filter(line -> line.startsWith("WRK_JSON "))
            .findFirst()
            .orElseThrow(() -> new IOException("wrk (exit " + exit + ") said:\n" + output))
            .substring("WRK_JSON ".length());
    JsonNode n = new ObjectMapper().readTree(json);
    long errors =
        n.get("connectErrors").asLong()
            + n.get("readErrors").asLong()
            + n.get("writeErrors").asLong()
            + n.get("statusErrors").asLong()
            + n.get("timeouts").asLong();
    return new Result(
        n.get("requests").asLong(),
        n.get("durationMicros").asLong() / 1e6,
        errors,
        n.get("p50Micros").asLong() / 1e3,
        n.get("p99Micros").asLong() / 1e3,
        n.get("p999Micros").asLong() / 1e3,
        n.get("maxMicros").asLong() / 1e3,
        n.get("wraps").asLong());
  }
}
