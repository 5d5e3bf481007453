package dev.topicprocessor.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.topicprocessor.it.LocalMomentoProcess;
import dev.topicprocessor.it.ServerProcess;
import dev.topicprocessor.testing.PostgresServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Sizing (src/bench/run.sh --cluster): one node against two sharing one PostgreSQL journal, on this
 * machine. Each node is a Tomcat of its own with the seed's route; PostgreSQL and Local Momento run
 * beside them. Both nodes run throughout and are warmed up alike. A measurement offers signed
 * webhooks as fast as the nodes answer for {@code --seconds}, all to the first node (one node; the
 * other idles) or spread evenly over both (as a load balancer would), then waits until every
 * acknowledged event is processed: acknowledged/s is what the webhooks got answered, processed/s is
 * what the nodes worked off from the first request to the last event processed. One node and two
 * alternate, {@code --runs} times, so that each pair runs under the same noise.
 */
public final class ClusterBench {

  static final int FIRST_PORT = 28181;
  static final int PLAINTEXT_PORT = 29180;
  static final int TLS_PORT = 29543;
  static final String ENDPOINT = "cluster-bench.momento.localhost";
  static final int CONNECTIONS = 64;

  private final Path work = Path.of("target/bench/cluster").toAbsolutePath();
  private final int runs;
  private final Duration runTime;
  private final Wrk wrk = new Wrk(Path.of("src/bench/wrk/events.lua").toAbsolutePath());
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<ServerProcess> nodes = new ArrayList<>();
  private final Map<String, List<Map<String, Double>>> results = new TreeMap<>();
  private PostgresServer postgres;
  private LocalMomentoProcess momento;

  private ClusterBench(int runs, Duration runTime) {
    this.runs = runs;
    this.runTime = runTime;
  }

  public static void main(String[] args) throws Exception {
    int runs = 3;
    int seconds = 10;
    for (String arg : args) {
      if (arg.startsWith("--runs=")) {
        runs = Integer.parseInt(arg.substring("--runs=".length()));
      } else if (arg.startsWith("--seconds=")) {
        seconds = Integer.parseInt(arg.substring("--seconds=".length()));
      } else if (!arg.equals("--cluster")) {
        System.err.println("usage: src/bench/run.sh --cluster [--runs=3] [--seconds=10]");
        System.exit(2);
      }
    }
    ClusterBench bench = new ClusterBench(runs, Duration.ofSeconds(seconds));
    try {
      bench.run();
    } finally {
      bench.stop();
    }
    System.exit(0);
  }

  private void run() throws Exception {
    Instant started = Instant.now();
    ServerProcess.delete(work);
    Files.createDirectories(work);
    postgres = PostgresServer.start();
    postgres.createDatabase("journal");
    momento =
        new LocalMomentoProcess(
            PLAINTEXT_PORT, TLS_PORT, ENDPOINT, work.resolve("id.p12"), "default-cache");
    momento.start();
    for (int i = 0; i < 2; i++) {
      Map<String, String> settings = new TreeMap<>();
      settings.put("MOMENTO_LOCAL_ENDPOINT", "127.0.0.1:" + TLS_PORT);
      settings.put("LOCAL_MOMENTO_ENDPOINT", ENDPOINT);
      settings.put("TOPIC_PROCESSOR_BASE_URL", "http://127.0.0.1:" + port(i) + "/topic-processor");
      settings.put("TOPIC_PROCESSOR_JOURNAL_URL", postgres.url("journal"));
      settings.put("TOPIC_PROCESSOR_JOURNAL_USER", "tp");
      nodes.add(new ServerProcess("tomcat", work.resolve("node-" + i), port(i), settings, jvm()));
    }
    nodes.get(0).start();
    nodes.get(1).start();
    // The built-in route's webhook, which the first node made: its secret signs the events.
    secret =
        LocalMomentoProcess.webhookSecret(
            PLAINTEXT_PORT, "default-cache", "topic-processor.topic_1");
    System.out.println("cluster bench: warming up both nodes");
    for (int i = 0; i < 3; i++) { // the JIT needs a while: these figures keep rising at first
      measure(2);
      measure(1);
    }
    for (int run = 1; run <= runs; run++) {
      System.out.printf("cluster bench: run %d of %d, one node%n", run, runs);
      record("one node", measure(1));
      System.out.printf("cluster bench: run %d of %d, two nodes%n", run, runs);
      record("two nodes", measure(2));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("started", started.toString());
    out.put("minutes", Duration.between(started, Instant.now()).toSeconds() / 60.0);
    out.put(
        "method",
        String.format(
            Locale.ROOT,
            "%d connections on one node (the other idle) or spread evenly over two, %d s of"
                + " load per measurement, %d runs alternating one node and two after a warm-up;"
                + " Tomcat 10.1 nodes (-Xmx1g), PostgreSQL 15 journal, Local Momento, wrk: all"
                + " on this machine",
            CONNECTIONS,
            runTime.toSeconds(),
            runs));
    out.put("cores", Runtime.getRuntime().availableProcessors());
    out.put("runs", results);
    Map<String, Map<String, Double>> medians = new TreeMap<>();
    results.forEach((name, list) -> medians.put(name, medians(list)));
    out.put("median", medians);
    Path file = work.resolve("results.json");
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), out);
    System.out.println();
    System.out.println("| nodes | acknowledged/s | processed/s | ack p99 (ms) |");
    System.out.println("|---|---|---|---|");
    medians.forEach(
        (name, m) ->
            System.out.printf(
                Locale.ROOT,
                "| %s | %.0f | %.0f | %.1f |%n",
                name,
                m.get("acknowledged"),
                m.get("processed"),
                m.get("p99Ms")));
    double ratio =
        medians.get("two nodes").get("processed") / medians.get("one node").get("processed");
    System.out.printf(Locale.ROOT, "two nodes / one node, processed: %.2f%n", ratio);
    System.out.println("Results: " + file);
  }

  private static List<String> jvm() {
    return List.of("-Xmx1g");
  }

  private static int port(int node) {
    return FIRST_PORT + 100 * node;
  }

  /**
   * One measurement with the load on the first {@code count} nodes (with one, the other runs idle:
   * both JVMs are equally warm).
   */
  private String secret;

  private Map<String, Double> measure(int count) throws Exception {
    List<Path> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      events.add(
          SignedEvents.write(
              work.resolve("events-" + i + ".txt"),
              "default-cache",
              "topic 1",
              secret,
              8000 * (int) runTime.toSeconds() / count));
    }
    double before = processed(2);
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(count);
    List<Future<Wrk.Result>> load = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      URI url = nodes.get(i).url().resolve("api/webhooks/momento");
      Path file = events.get(i);
      load.add(pool.submit(() -> wrk.flat(url, file, CONNECTIONS / count, runTime)));
    }
    long acknowledged = 0;
    double seconds = 0;
    double p99 = 0;
    long wraps = 0;
    for (Future<Wrk.Result> f : load) {
      Wrk.Result r = f.get();
      acknowledged += r.requests() - r.errors();
      seconds = Math.max(seconds, r.seconds());
      p99 = Math.max(p99, r.p99Ms());
      wraps += r.wraps();
    }
    pool.shutdown();
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    double done = processed(2) - before;
    while (done < acknowledged && System.nanoTime() < deadline) {
      Thread.sleep(50);
      done = processed(2) - before;
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    Map<String, Double> result = new LinkedHashMap<>();
    result.put("acknowledged", acknowledged / seconds);
    result.put("processed", done / elapsed);
    result.put("p99Ms", p99);
    result.put("wraps", (double) wraps);
    System.out.printf(
        Locale.ROOT,
        "  %d node(s): %.0f acknowledged/s, %.0f processed/s (all %d processed %.1f s after the"
            + " first request), ack p99 %.1f ms%n",
        count,
        acknowledged / seconds,
        done / elapsed,
        acknowledged,
        elapsed,
        p99);
    return result;
  }

  /** Events processed so far by the first {@code count} nodes. */
  private double processed(int count) throws Exception {
    double sum = 0;
    for (int i = 0; i < count; i++) {
      HttpResponse<String> metrics =
          http.send(
              HttpRequest.newBuilder(nodes.get(i).url().resolve("api/metrics")).build(),
              HttpResponse.BodyHandlers.ofString());
      for (String line : metrics.body().split("\n")) {
        if (line.startsWith("topic_processor_events_processed_total ")) {
          sum += Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim());
        }
      }
    }
    return sum;
  }

  private void record(String name, Map<String, Double> result) {
    results.computeIfAbsent(name, n -> new ArrayList<>()).add(result);
  }

  private static Map<String, Double> medians(List<Map<String, Double>> runs) {
    Map<String, Double> medians = new LinkedHashMap<>();
    for (String key : runs.get(0).keySet()) {
      double[] values = runs.stream().mapToDouble(r -> r.get(key)).sorted().toArray();
      medians.put(key, values[values.length / 2]);
    }
    return medians;
  }

  private void stop() throws Exception {
    for (ServerProcess node : nodes) {
      node.close();
    }
    if (momento != null) {
      momento.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }
}
