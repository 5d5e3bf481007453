package dev.topicprocessor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.topicprocessor.it.LocalMomentoProcess;
import dev.topicprocessor.it.ServerProcess;
import dev.topicprocessor.localmomento.client.LocalMomentoAdmin;
import dev.topicprocessor.localmomento.client.LocalMomentoConnection;
import dev.topicprocessor.testing.PostgresServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The whole benchmark in one run (src/bench/run.sh starts it): Local Momento, Tomcat with the
 * processor and the baseline servlet, and the seed's Node.js handler, each its own process on
 * loopback; then ingest, acknowledgement latency at half the maximum, end to end, Local Momento
 * alone, memory. Every figure is measured {@code --runs} times (targets interleaved, so that each
 * round compares them under the same noise) and reported as median and spread, in {@code
 * target/bench/results.json} and as a table.
 */
public final class Bench {

  /** The secret the plain Jakarta peer accepts the benchmark's own signed events with. */
  static final String SECRET = "bench-webhook-secret";

  /** The processor's webhook, made before it starts; its routes name it. */
  static final String PROCESSOR_WEBHOOK = "bench-processor";

  static final int TOMCAT_PORT = 28080;
  static final int NODE_PORT = 28090;
  static final int MOMENTO_PLAINTEXT_PORT = 29080;
  static final int MOMENTO_TLS_PORT = 29443;
  static final String ENDPOINT = "bench.momento.localhost";
  static final String CACHE = "default-cache";
  static final String NODE_CACHE = "node-cache";
  static final String JAKARTA_CACHE = "jakarta-cache";
  static final int[] CONNECTIONS = {16, 64, 256};
  static final int PACED_CONNECTIONS = 64;
  static final int[] E2E_RATES = {1000, 5000};
  static final int[] SUBSCRIPTION_RATES = {1000, 5000};
  static final int HTTP_RECEIVER_PORT = 28096;
  static final String BROKER = "tcp://127.0.0.1:28616";

  /** Each kind of destination, fed by a subscription route at the same fixed rate. */
  static final String[] SINKS = {"topic", "http", "jdbc", "jms"};

  static final int SINK_RATE = 1000;

  /**
   * The seed's route by webhook; the same by subscription from "sub in" to "sub out"; and by
   * subscription from "sink http", "sink jdbc" and "sink jms" to the receivers of {@link
   * SinkReceivers}, through the resources of {@link #tomcatResources}.
   */
  static final String ROUTES =
      """
      {"routes": [
        {"name": "seed", "cache": "default-cache", "topic": "topic 1",
         "webhook": "bench-processor", "processors": ["uppercase"], "outbound": ["topic 2"]},
        {"name": "subscribed", "cache": "default-cache", "topic": "sub in",
         "source": "subscription", "processors": ["uppercase"], "outbound": ["sub out"]},
        {"name": "to http", "cache": "default-cache", "topic": "sink http",
         "source": "subscription", "processors": ["uppercase"],
         "outbound": [{"url": "http://127.0.0.1:%d/receive"}]},
        {"name": "to jdbc", "cache": "default-cache", "topic": "sink jdbc",
         "source": "subscription", "processors": ["uppercase"],
         "outbound": [{"datasource": "java:comp/env/jdbc/BenchPg", "sql": "%s"}]},
        {"name": "to jms", "cache": "default-cache", "topic": "sink jms",
         "source": "subscription", "processors": ["uppercase"],
         "outbound": [{"jms": "java:comp/env/jms/queue/bench",
                       "connectionFactory": "java:comp/env/jms/ConnectionFactory"}]}]}
      """
          .formatted(HTTP_RECEIVER_PORT, SinkReceivers.Rows.INSERT);

  static final int[] SUBSCRIBERS = {1, 50};
  static final String[] TARGETS = {"processor", "baseline", "jakarta", "node"};

  /** The webhook handlers, each behind its own Local Momento webhook on "topic 1". */
  static final String[] HANDLERS = {"processor", "jakarta", "node"};

  private final Path work;
  private String processorSecret;
  private final int runs;
  private final Duration runTime;
  private final boolean jfr;
  private boolean serve;

  /** One part alone (for profiling it by hand), or null for the whole benchmark. */
  private String only;

  private final Results results = new Results();
  private final List<long[]> loadWindows = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private final Wrk wrk;
  private ServerProcess tomcat;
  private Instant tomcatUp;
  private NodePeer node;
  private LocalMomentoProcess momento;
  private Pubsub pubsub;
  private PostgresServer postgres;
  private SinkReceivers.Http httpReceiver;
  private SinkReceivers.Rows rows;
  private SinkReceivers.Queue queue;

  private Bench(Path work, int runs, Duration runTime, boolean jfr) {
    this.work = work;
    this.runs = runs;
    this.runTime = runTime;
    this.jfr = jfr;
    this.wrk = new Wrk(Path.of("src/bench/wrk/events.lua").toAbsolutePath());
  }

  public static void main(String[] args) throws Exception {
    int runs = 3;
    int seconds = 6;
    boolean jfr = false;
    boolean serve = false;
    String only = null;
    for (String arg : args) {
      if (arg.startsWith("--runs=")) {
        runs = Integer.parseInt(arg.substring("--runs=".length()));
      } else if (arg.startsWith("--seconds=")) {
        seconds = Integer.parseInt(arg.substring("--seconds=".length()));
      } else if (arg.equals("--jfr")) {
        jfr = true;
      } else if (arg.equals("--serve")) {
        serve = true;
      } else if (arg.startsWith("--only=")) {
        only = arg.substring("--only=".length());
      } else {
        System.err.println(
            "usage: src/bench/run.sh [--runs=3] [--seconds=6] [--jfr] [--serve]"
                + " [--only=subscription|e2e|ingest|sinks]");
        System.exit(2);
      }
    }
    Bench bench =
        new Bench(Path.of("target/bench").toAbsolutePath(), runs, Duration.ofSeconds(seconds), jfr);
    bench.serve = serve;
    bench.only = only;
    try {
      bench.run();
    } finally {
      bench.stop();
    }
    System.exit(0); // gRPC's and the JDK client's threads would keep the JVM alive a while
  }

  private void run() throws Exception {
    Instant started = Instant.now();
    describeMachine();
    startAll();
    if (serve) {
      // For profiling by hand: everything up, events ready for wrk, until Ctrl+C.
      Path events = events("processor", 200_000);
      System.out.printf(
          "Serving until Ctrl+C. Events (fresh for 60 s; write more with a new run):%n"
              + "  wrk -t2 -c64 -d10s -s src/bench/wrk/events.lua %s -- %s 2%n"
              + "  wrk -t2 -c64 -d10s -s src/bench/wrk/events.lua %s -- %s 2%n",
          url("processor"), events, url("baseline"), events);
      Thread.sleep(Long.MAX_VALUE);
    }
    if (only != null) {
      switch (only) {
        case "subscription" -> subscriptionPath();
        case "e2e" -> endToEnd();
        case "sinks" -> sinks();
        case "ingest" -> {
          warmUp();
          ingest();
        }
        default -> throw new IllegalArgumentException("--only=" + only + ": no such part");
      }
      memory();
      Path file = work.resolve("results-" + only + ".json");
      results.write(file);
      System.out.println("Results: " + file);
      return;
    }
    warmUp();
    ingest();
    ackAtHalfMaximum();
    endToEnd();
    subscriptionPath();
    sinks();
    localMomento();
    memory();
    processorCounters();
    results.method.put("started", started.toString());
    results.method.put(
        "minutes", Results.round(Duration.between(started, Instant.now()).toSeconds() / 60.0));
    goals();
    Path file = work.resolve("results.json");
    results.write(file);
    System.out.println();
    System.out.println(new Table(results, runs).render());
    System.out.println("Results: " + file);
  }

  // ---------------------------------------------------------------------------------------------
  // The parts

  private void startAll() throws Exception {
    ServerProcess.delete(work.resolve("tomcat"));
    ServerProcess.delete(work.resolve("data"));
    Files.createDirectories(work);
    step("starting Local Momento (java -jar target/local-momento.jar)");
    momento =
        new LocalMomentoProcess(
            MOMENTO_PLAINTEXT_PORT,
            MOMENTO_TLS_PORT,
            ENDPOINT,
            work.resolve("local-momento.p12"),
            CACHE + "," + NODE_CACHE + "," + JAKARTA_CACHE);
    momento.start();
    pubsub = new Pubsub(MOMENTO_PLAINTEXT_PORT);
    // The plain Jakarta peer checks signatures: its webhook's secret is made before Tomcat starts.
    String jakartaSecret;
    try (LocalMomentoConnection connection =
            LocalMomentoConnection.connect(ENDPOINT, "127.0.0.1", MOMENTO_TLS_PORT);
        LocalMomentoAdmin admin = connection.admin()) {
      jakartaSecret = admin.putWebhook(JAKARTA_CACHE, "jakarta-peer", "topic 1", url("jakarta"));
      // The processor's too: it reads the secret from Local Momento, and so does the benchmark.
      processorSecret = admin.putWebhook(CACHE, PROCESSOR_WEBHOOK, "topic 1", url("processor"));
    }

    step("starting the sinks' receivers: HTTP, PostgreSQL, ActiveMQ Artemis");
    httpReceiver = new SinkReceivers.Http(HTTP_RECEIVER_PORT);
    postgres = PostgresServer.start();
    rows = new SinkReceivers.Rows(postgres.dataSource());
    queue = new SinkReceivers.Queue(BROKER, work.resolve("artemis"));

    step("starting Tomcat with the processor and the baseline (-Xmx256m)");
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("MOMENTO_LOCAL_ENDPOINT", "127.0.0.1:" + MOMENTO_TLS_PORT);
    settings.put("LOCAL_MOMENTO_ENDPOINT", ENDPOINT);
    settings.put("BENCH_JAKARTA_PEER_EVENTS_SECRET", SECRET);
    settings.put("BENCH_JAKARTA_PEER_WEBHOOK_SECRET", jakartaSecret);
    settings.put(
        "TOPIC_PROCESSOR_BASE_URL", "http://127.0.0.1:" + TOMCAT_PORT + "/topic-processor");
    settings.put("TOPIC_PROCESSOR_DATA_DIR", work.resolve("data").toString());
    settings.put(
        "TOPIC_PROCESSOR_ROUTES",
        Files.writeString(work.resolve("routes.json"), ROUTES).toString());
    List<String> jvm = new ArrayList<>(List.of("-Xmx256m", GcLog.option(work.resolve("gc.log"))));
    jvm.addAll(collectorOptions());
    // BENCH_SERVER_JVM_OPTIONS: more options for Tomcat's JVM, to try settings side by side
    String extra = System.getenv().getOrDefault("BENCH_SERVER_JVM_OPTIONS", "").trim();
    if (!extra.isEmpty()) {
      jvm.addAll(List.of(extra.split("\\s+")));
    }
    if (jfr) {
      jvm.add("-XX:StartFlightRecording=settings=profile");
    }
    results.method.put("serverJvmOptions", jvm);
    tomcat = new ServerProcess("tomcat", work.resolve("tomcat"), TOMCAT_PORT, settings, jvm);
    tomcat.deploy(baselineWar(), "baseline");
    tomcat.deploy(jakartaPeerWar(), "jakarta-peer");
    tomcatResources();
    tomcat.start();
    tomcatUp = Instant.now();

    step("starting the seed's handler on Node.js (" + version("node", "--version") + ")");
    node = new NodePeer(work.resolve("node"), NODE_PORT, MOMENTO_PLAINTEXT_PORT);
    try (LocalMomentoConnection connection =
            LocalMomentoConnection.connect(ENDPOINT, "127.0.0.1", MOMENTO_TLS_PORT);
        LocalMomentoAdmin admin = connection.admin()) {
      admin.putWebhook(NODE_CACHE, "node-peer", "topic 1", node.url());
    }
  }

  /**
   * Load until each handler's rate settles (results discarded): on 2 cores the server JVM's JIT
   * compiler needs a minute or two of load before the processor reaches its steady speed, and a
   * cold first run would count compilation as the processor's cost.
   */
  private void warmUp() throws Exception {
    for (String target : TARGETS) {
      step("warming up " + target + " (until two 5 s rounds agree within 5%, results discarded)");
      // The processor's JVM needs about a minute of load; the others settle in seconds. Capped,
      // so that the whole benchmark stays within 15 minutes.
      boolean processor = target.equals("processor");
      int atLeast = processor ? 16 : 3;
      int atMost = processor ? 24 : 8;
      double previous = 0;
      for (int round = 1; round <= atMost; round++) {
        long sinceUp = Duration.between(tomcatUp, Instant.now()).toSeconds();
        Wrk.Result result =
            wrk.flat(url(target), events(target, 8000 * 5), 64, Duration.ofSeconds(5));
        drain(target);
        double rate = result.rate();
        System.out.printf(Locale.ROOT, "  %.0f req/s%n", rate);
        if (processor && sinceUp < 60) {
          results.add("warmup.processor.firstMinute", "req/s", rate);
        }
        if (round >= atLeast && Math.abs(rate - previous) <= 0.05 * Math.max(rate, previous)) {
          break;
        }
        previous = rate;
      }
    }
  }

  /**
   * End to end exercises paths that ingest does not (Local Momento's webhook senders, the
   * subscriber's stream): a round at 1,000 events/s for each handler first, results discarded.
   */
  private void warmUpEndToEnd() throws Exception {
    step("warming up end to end (1,000 events/s, results discarded)");
    for (int round = 0; round < 2; round++) {
      for (String target : HANDLERS) {
        EndToEnd.run(pubsub, cacheOf(target), "topic 1", "topic 2", 1000, runTime);
        drain(target);
      }
    }
  }

  /** 1 and 2, and the Node peer under the same load. */
  private void ingest() throws Exception {
    for (int connections : CONNECTIONS) {
      for (int run = 1; run <= runs; run++) {
        step("ingest, " + connections + " connections, run " + run + " of " + runs);
        for (String target : TARGETS) {
          Path events = events(target, 8000 * (int) runTime.toSeconds());
          long from = System.currentTimeMillis();
          Wrk.Result result = wrk.flat(url(target), events, connections, runTime);
          window(target, from);
          String key = "ingest." + target + ".c" + connections;
          record(key, result);
          System.out.printf(
              Locale.ROOT,
              "  %-9s %8.0f req/s  p50 %6.2f ms  p99 %7.2f ms  errors %d%s%n",
              target,
              result.rate(),
              result.p50Ms(),
              result.p99Ms(),
              result.errors(),
              result.wraps() > 0 ? "  (ran out of distinct events: " + result.wraps() + ")" : "");
          drain(target);
        }
      }
    }
  }

  /** The processor's highest sustained ingest rate (median of runs, best connection count). */
  private double maximum(String target) {
    double best = 0;
    for (int connections : CONNECTIONS) {
      best = Math.max(best, results.median("ingest." + target + ".c" + connections + ".rate"));
    }
    return best;
  }

  /** The acknowledgement's latency at half the processor's maximum, for it and the Node peer. */
  private void ackAtHalfMaximum() throws Exception {
    double rate = Math.max(100, Math.floor(maximum("processor") / 2));
    results.method.put("halfMaximumRate", rate);
    for (int run = 1; run <= runs; run++) {
      step(String.format(Locale.ROOT, "acknowledgement at %.0f/s, run %d of %d", rate, run, runs));
      for (String target : HANDLERS) {
        Path events = events(target, (int) (rate * 2 * runTime.toSeconds()));
        long from = System.currentTimeMillis();
        Wrk.Result result = wrk.paced(url(target), events, PACED_CONNECTIONS, runTime, rate);
        window(target, from);
        record("ack." + target + ".half", result);
        System.out.printf(
            Locale.ROOT,
            "  %-9s %8.0f req/s  p50 %6.2f ms  p99 %7.2f ms  p99.9 %7.2f ms%n",
            target,
            result.rate(),
            result.p50Ms(),
            result.p99Ms(),
            result.p999Ms());
        drain(target);
      }
    }
  }

  /** 3: publish to "topic 1" at fixed rates, time each text's arrival on "topic 2". */
  private void endToEnd() throws Exception {
    warmUpEndToEnd();
    List<Integer> rates = new ArrayList<>();
    for (int rate : E2E_RATES) {
      rates.add(rate);
    }
    results.method.put("endToEndRates", rates);
    for (int rate : rates) {
      String name = "r" + rate;
      for (int run = 1; run <= runs; run++) {
        step("end to end at " + rate + " events/s, run " + run + " of " + runs);
        for (String target : HANDLERS) {
          String cache = cacheOf(target);
          long from = System.currentTimeMillis();
          EndToEnd.Result result = EndToEnd.run(pubsub, cache, "topic 1", "topic 2", rate, runTime);
          window(target, from);
          record("e2e." + target + "." + name, result);
          System.out.printf(
              Locale.ROOT,
              "  %-9s sent %6d  received %6d  lost %5d  %7.0f/s  p50 %7.2f ms  p99 %8.2f ms  p99.9 %8.2f ms%n",
              target,
              result.sent(),
              result.received(),
              result.lost(),
              result.sustainedRate(),
              result.p50Ms(),
              result.p99Ms(),
              result.p999Ms());
          drain(target);
        }
      }
    }
  }

  /**
   * The subscription path end to end: publish to "sub in" at fixed rates, the processor's
   * subscription takes each item in, journals and processes it, publishes to "sub out", where the
   * subscriber times it. Then the highest rate it sustains (nothing lost, and arrivals within 5 %
   * of the offered rate): up by half from the last fixed rate while it holds, else halfway down
   * towards the highest fixed rate that held; one run each, four at most, to bound the time.
   */
  private void subscriptionPath() throws Exception {
    step("warming up the subscription path (1,000 events/s, results discarded)");
    EndToEnd.run(pubsub, CACHE, "sub in", "sub out", 1000, runTime);
    drain("processor");
    double held = 0;
    double failed = 0;
    for (int rate : SUBSCRIPTION_RATES) {
      boolean all = true;
      for (int run = 1; run <= runs; run++) {
        step("subscription path at " + rate + " events/s, run " + run + " of " + runs);
        all &= sustained(recordSubscription("sub.processor.r" + rate, rate), rate);
      }
      if (all) {
        held = Math.max(held, rate);
      } else if (failed == 0) {
        failed = rate;
      }
    }
    for (int attempt = 0; attempt < 4; attempt++) {
      double rate = failed == 0 ? Math.round(held * 1.5) : Math.round((held + failed) / 2);
      if (held > 0 && failed > 0 && failed - held <= 0.1 * held) {
        break; // close enough
      }
      step("subscription path at " + (int) rate + " events/s (searching the highest sustained)");
      if (sustained(recordSubscription("sub.processor.search" + attempt, rate), rate)) {
        held = rate;
      } else {
        failed = rate;
      }
    }
    results.add("sub.processor.maxSustained", "events/s", held);
  }

  /** Nothing lost, and the arrivals kept up with the offered rate (within 5 %). */
  private static boolean sustained(EndToEnd.Result result, double rate) {
    return result.lost() == 0 && result.sustainedRate() >= 0.95 * rate;
  }

  private EndToEnd.Result recordSubscription(String key, double rate) throws Exception {
    return measure(key, "processor", "sub in", EndToEnd.topic(pubsub, CACHE, "sub out"), rate);
  }

  /**
   * One run by subscription: publish to {@code inbound} at {@code rate}, time the arrivals at the
   * receiver, record the figures under {@code key} as processor load, print them, let the processor
   * drain.
   */
  private EndToEnd.Result measure(
      String key, String label, String inbound, EndToEnd.Receiver receiver, double rate)
      throws Exception {
    long from = System.currentTimeMillis();
    EndToEnd.Result result = EndToEnd.run(pubsub, CACHE, inbound, receiver, rate, runTime);
    window("processor", from);
    record(key, result);
    System.out.printf(
        Locale.ROOT,
        "  %-9s sent %6d  received %6d  lost %5d  %7.0f/s  p50 %7.2f ms  p99 %8.2f ms%n",
        label,
        result.sent(),
        result.received(),
        result.lost(),
        result.sustainedRate(),
        result.p50Ms(),
        result.p99Ms());
    drain("processor");
    return result;
  }

  /**
   * Each kind of destination at {@link #SINK_RATE}: publish to its route's inbound topic, the
   * processor's subscription takes it in, journals and processes it, its sink delivers it, and the
   * receiver times it. A short round of each first, results discarded.
   */
  private void sinks() throws Exception {
    step("warming up the sinks (" + SINK_RATE + " events/s, results discarded)");
    for (String sink : SINKS) {
      EndToEnd.run(pubsub, CACHE, inboundOf(sink), receiverOf(sink), SINK_RATE, runTime);
      drain("processor");
    }
    for (int run = 1; run <= runs; run++) {
      step("each sink at " + SINK_RATE + " events/s, run " + run + " of " + runs);
      for (String sink : SINKS) {
        measure(
            "sink." + sink + ".r" + SINK_RATE, sink, inboundOf(sink), receiverOf(sink), SINK_RATE);
      }
    }
  }

  private static String inboundOf(String sink) {
    return sink.equals("topic") ? "sub in" : "sink " + sink;
  }

  private EndToEnd.Receiver receiverOf(String sink) {
    return switch (sink) {
      case "topic" -> EndToEnd.topic(pubsub, CACHE, "sub out");
      case "http" -> httpReceiver;
      case "jdbc" -> rows;
      case "jms" -> queue;
      default -> throw new IllegalArgumentException(sink);
    };
  }

  /** 6: Local Momento alone. */
  private void localMomento() throws Exception {
    for (int subscribers : SUBSCRIBERS) {
      for (int run = 1; run <= runs; run++) {
        step("Local Momento alone, " + subscribers + " subscriber(s), run " + run + " of " + runs);
        LocalMomentoThroughput.Result result =
            LocalMomentoThroughput.run(
                MOMENTO_PLAINTEXT_PORT,
                CACHE,
                subscribers,
                Duration.ofSeconds(Math.min(5, runTime.toSeconds())));
        String key = "momento.s" + subscribers;
        results.add(key + ".publish", "msg/s", result.publishRate());
        results.add(key + ".delivery", "msg/s", result.deliveryRate());
        results.add(key + ".missing", "msg", result.missing());
        System.out.printf(
            Locale.ROOT,
            "  publishes %8.0f/s  deliveries %9.0f/s  missing %d  publish errors %d%n",
            result.publishRate(),
            result.deliveryRate(),
            result.missing(),
            result.publishErrors());
      }
    }
  }

  /** 5: the server JVM's collector under the processor's load, and each process's peak memory. */
  private void memory() throws Exception {
    GcLog.Summary gc = GcLog.within(GcLog.read(work.resolve("gc.log")), loadWindows);
    results.add("memory.processor.heapAfterGcMedian", "MB", gc.heapAfterGcMedianMb());
    results.add("memory.processor.heapAfterGcMax", "MB", gc.heapAfterGcMaxMb());
    results.add("memory.processor.gcPauses", "pauses", gc.pauses());
    results.add("memory.processor.gcPauseTotal", "ms", gc.totalMs());
    results.add("memory.processor.gcPauseMax", "ms", gc.maxMs());
    results.add("memory.processor.gcPausedPercent", "%", gc.pausedPercent());
    results.add("memory.processor.rssPeak", "MB", peakRssMb(tomcat.jvm()));
    results.add("memory.node.rssPeak", "MB", peakRssMb(node.handle()));
    results.add("memory.momento.rssPeak", "MB", peakRssMb(momento.jvm()));
  }

  /** What the processor counted: nothing should have been rejected or seen twice. */
  private void processorCounters() throws Exception {
    Map<String, Double> counters = new LinkedHashMap<>();
    List<String> names =
        List.of(
            "topic_processor_events_received_total",
            "topic_processor_events_processed_total",
            "topic_processor_events_rejected_total",
            "topic_processor_events_duplicates_total",
            "topic_processor_messages_published_total",
            "topic_processor_publish_failures_total",
            "topic_processor_journal_commit_size_count",
            "topic_processor_journal_commit_size_sum");
    for (String line : get(tomcat.url().resolve("api/metrics")).body().lines().toList()) {
      if (names.stream().anyMatch(line::startsWith)) {
        int space = line.lastIndexOf(' ');
        counters.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
      }
    }
    results.method.put("processorCounters", counters);
  }

  /** Issue 15's goals, each from figures of this run. */
  private void goals() {
    double[] ratios = new double[2];
    StringBuilder ingest = new StringBuilder();
    int[] counts = {64, 256};
    boolean ingestMet = true;
    for (int i = 0; i < counts.length; i++) {
      double ours = results.median("ingest.processor.c" + counts[i] + ".rate");
      double node = results.median("ingest.node.c" + counts[i] + ".rate");
      double jakarta = results.median("ingest.jakarta.c" + counts[i] + ".rate");
      ratios[0] = ours / node;
      ratios[1] = ours / jakarta;
      ingestMet &= ratios[0] >= 3 && ratios[1] >= 0.8;
      ingest.append(
          String.format(
              Locale.ROOT,
              "%s%d connections: %.2fx Node.js, %.2fx plain Jakarta",
              i == 0 ? "" : "; ",
              counts[i],
              ratios[0],
              ratios[1]));
    }
    results.goal(
        "webhook ingest at least 3x the Node.js seed and 0.8x the plain Jakarta peer (64 and 256"
            + " connections)",
        ingest.toString(),
        ingestMet);
    double ackP99 = results.median("ack.processor.half.p99");
    results.goal(
        "acknowledgement p99 under 10 ms at half the maximum rate",
        String.format(
            Locale.ROOT, "%.1f ms at %.0f/s", ackP99, results.method.get("halfMaximumRate")),
        ackP99 < 10);
    double p50 = results.median("e2e.processor.r1000.p50");
    double p99 = results.median("e2e.processor.r1000.p99");
    double nodeP50 = results.median("e2e.node.r1000.p50");
    double nodeP99 = results.median("e2e.node.r1000.p99");
    double lost = results.median("e2e.processor.r1000.lost");
    results.goal(
        "end to end at 1,000 events/s by webhook: p50 and p99 no higher than the Node.js seed's",
        String.format(
            Locale.ROOT,
            "p50 %.1f vs %.1f ms, p99 %.1f vs %.1f ms, %.0f lost",
            p50,
            nodeP50,
            p99,
            nodeP99,
            lost),
        p50 <= nodeP50 && p99 <= nodeP99 && lost == 0);
    double lossless = results.median("sub.processor.maxSustained");
    double momentoAlone = results.median("momento.s1.delivery");
    results.goal(
        "subscription path: at least 5,000 events/s sustained with nothing lost, and at least 0.5x"
            + " Local Momento's own publish-to-subscriber rate",
        String.format(
            Locale.ROOT,
            "%.0f events/s sustained with nothing lost; %.2fx Local Momento alone (%.0f/s)",
            lossless,
            lossless / momentoAlone,
            momentoAlone),
        lossless >= 5000 && lossless >= 0.5 * momentoAlone);
    double pauseMax = results.median("memory.processor.gcPauseMax");
    results.goal(
        "with -Xmx256m no GC pause over 50 ms under load",
        String.format(Locale.ROOT, "longest pause %.1f ms", pauseMax),
        pauseMax <= 50);
    List<Double> firstMinute = results.figure("warmup.processor.firstMinute").runs();
    double steady = results.median("ingest.processor.c64.rate");
    double mean = firstMinute.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    double lowest = firstMinute.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    results.goal(
        "the first minute after a deploy at no less than half the steady rate (64 connections)",
        String.format(
            Locale.ROOT,
            "%.0f req/s on average over the first minute's 5 s rounds (lowest %.0f), %.2fx the"
                + " steady %.0f",
            mean,
            lowest,
            mean / steady,
            steady),
        mean >= 0.5 * steady);
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private void record(String key, Wrk.Result result) {
    results.add(key + ".rate", "req/s", result.rate());
    results.add(key + ".p50", "ms", result.p50Ms());
    results.add(key + ".p99", "ms", result.p99Ms());
    results.add(key + ".p999", "ms", result.p999Ms());
    results.add(key + ".max", "ms", result.maxMs());
    results.add(key + ".errors", "requests", result.errors());
    results.add(key + ".repeated", "wraps", result.wraps());
  }

  private void record(String key, EndToEnd.Result result) {
    results.add(key + ".p50", "ms", result.p50Ms());
    results.add(key + ".p99", "ms", result.p99Ms());
    results.add(key + ".p999", "ms", result.p999Ms());
    results.add(key + ".max", "ms", result.maxMs());
    results.add(key + ".sustained", "events/s", result.sustainedRate());
    results.add(key + ".lost", "events", result.lost());
    results.add(key + ".duplicates", "events", result.duplicates());
  }

  private URI url(String target) {
    return switch (target) {
      case "baseline" -> URI.create("http://127.0.0.1:" + TOMCAT_PORT + "/baseline/");
      case "processor" -> tomcat.url().resolve("api/webhooks/momento");
      case "jakarta" -> URI.create("http://127.0.0.1:" + TOMCAT_PORT + "/jakarta-peer/");
      case "node" -> node.url();
      default -> throw new IllegalArgumentException(target);
    };
  }

  /** Fresh signed events for one run; the baseline gets the processor's (it ignores them). */
  private Path events(String target, int count) throws IOException {
    return SignedEvents.write(
        work.resolve("events-" + target + ".txt"),
        cacheOf(target),
        "topic 1",
        target.equals("jakarta") || target.equals("node") ? SECRET : processorSecret,
        count);
  }

  /** The cache whose "topic 1" webhook leads to this handler. */
  private static String cacheOf(String target) {
    return switch (target) {
      case "node" -> NODE_CACHE;
      case "jakarta" -> JAKARTA_CACHE;
      default -> CACHE;
    };
  }

  private void window(String target, long from) {
    if (target.equals("processor")) {
      loadWindows.add(new long[] {from, System.currentTimeMillis()});
    }
  }

  /** Waits until the processor has worked off what it accepted, so runs do not overlap. */
  private void drain(String target) throws Exception {
    if (!target.equals("processor")) {
      Thread.sleep(500);
      return;
    }
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode health = new ObjectMapper().readTree(get(tomcat.url().resolve("api/health")).body());
      if (health.path("backlog").asLong(-1) == 0 && health.path("queued").asLong(-1) == 0) {
        Thread.sleep(500);
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the processor did not work off its backlog within 3 minutes");
  }

  private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The sinks' resources as a Tomcat operator makes them (README, "Destinations"): pooled
   * PostgreSQL connections and the broker's connection factory and queue in the processor's context
   * file, the drivers in Tomcat's lib.
   */
  private void tomcatResources() throws Exception {
    Path lib = tomcat.base().resolve("lib");
    Files.createDirectories(lib);
    Path driver =
        Path.of(
            org.postgresql.Driver.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
    Files.copy(driver, lib.resolve(driver.getFileName()));
    Path artemis = Path.of("target/it-libs/artemis-jakarta-client-all.jar");
    Files.copy(artemis, lib.resolve(artemis.getFileName()));
    Path contexts = tomcat.base().resolve("conf/Catalina/localhost");
    Files.createDirectories(contexts);
    Files.writeString(
        contexts.resolve("topic-processor.xml"),
        "<Context>\n"
            + "  <Resource name=\"jdbc/BenchPg\" auth=\"Container\" type=\"javax.sql.DataSource\""
            + " driverClassName=\"org.postgresql.Driver\" url=\""
            + postgres.url("postgres")
            + "\" username=\"tp\" password=\"\" maxTotal=\"16\" maxWaitMillis=\"5000\"/>\n"
            + "  <Resource name=\"jms/ConnectionFactory\" auth=\"Container\""
            + " type=\"org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory\""
            + " factory=\"org.apache.activemq.artemis.jndi.JNDIReferenceFactory\" brokerURL=\""
            + BROKER
            + "\"/>\n"
            + "  <Resource name=\"jms/queue/bench\" auth=\"Container\""
            + " type=\"org.apache.activemq.artemis.jms.client.ActiveMQQueue\""
            + " factory=\"org.apache.activemq.artemis.jndi.JNDIReferenceFactory\" address=\""
            + SinkReceivers.Queue.NAME
            + "\"/>\n"
            + "</Context>\n");
  }

  /** The -XX: options of server-config/tomcat/setenv.sh: the collector settings we recommend. */
  private static List<String> collectorOptions() throws IOException {
    List<String> options = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("server-config/tomcat/setenv.sh"))) {
      if (line.startsWith("CATALINA_OPTS=")) {
        for (String word : line.replace("\"", " ").split("\\s+")) {
          if (word.startsWith("-XX:")) {
            options.add(word);
          }
        }
      }
    }
    return options;
  }

  /** A WAR with {@link NoContentServlet} alone. */
  private Path baselineWar() throws IOException {
    Path war = work.resolve("baseline.war");
    String entry = NoContentServlet.class.getName().replace('.', '/') + ".class";
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(war));
        InputStream clazz = NoContentServlet.class.getResourceAsStream("/" + entry)) {
      zip.putNextEntry(new ZipEntry("WEB-INF/classes/" + entry));
      clazz.transferTo(zip);
      zip.closeEntry();
    }
    return war;
  }

  /**
   * The plain Jakarta peer ({@code bench.peer}): its classes, the two of topic-processor's it uses
   * (the webhook signature, the Local Momento client), and the libraries it needs, taken from the
   * processor's own WAR so that both run the same Jersey, Jackson and Momento SDK.
   */
  private Path jakartaPeerWar() throws IOException {
    Path war = work.resolve("jakarta-peer.war");
    List<String> wanted =
        List.of(
            "jersey-",
            "hk2-",
            "aopalliance-",
            "javassist-",
            "osgi-resource-locator-",
            "jakarta.",
            "jackson-",
            "sdk-",
            "grpc-",
            "protobuf-",
            "proto-google-",
            "client-protos-",
            "guava-",
            "failureaccess-",
            "listenablefuture-",
            "gson-",
            "jjwt-",
            "perfmark-",
            "annotations-",
            "animal-sniffer-",
            "error_prone_",
            "j2objc-",
            "jsr305-",
            "checker-qual-",
            "slf4j-",
            "bcp",
            "bcutil-");
    Path classes = Path.of("target/test-classes");
    Path main = Path.of("target/classes");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(war));
        java.util.zip.ZipFile app =
            new java.util.zip.ZipFile(Path.of("target/topic-processor.war").toFile())) {
      for (Path root :
          List.of(
              classes.resolve("dev/topicprocessor/bench/peer"),
              main.resolve("dev/topicprocessor/localmomento/client"))) {
        Path base = root.startsWith(classes) ? classes : main;
        try (var files = Files.list(root)) {
          for (Path file : files.toList()) {
            zip.putNextEntry(new ZipEntry("WEB-INF/classes/" + base.relativize(file)));
            Files.copy(file, zip);
            zip.closeEntry();
          }
        }
      }
      String signature = "dev/topicprocessor/momento/WebhookSignature.class";
      zip.putNextEntry(new ZipEntry("WEB-INF/classes/" + signature));
      Files.copy(main.resolve(signature), zip);
      zip.closeEntry();
      for (ZipEntry entry : java.util.Collections.list(app.entries())) {
        String name = entry.getName();
        if (!name.startsWith("WEB-INF/lib/") || name.contains("jersey-cdi")) {
          continue;
        }
        String jar = name.substring("WEB-INF/lib/".length());
        if (wanted.stream().anyMatch(jar::startsWith)) {
          zip.putNextEntry(new ZipEntry(name));
          try (InputStream in = app.getInputStream(entry)) {
            in.transferTo(zip);
          }
          zip.closeEntry();
        }
      }
    }
    return war;
  }

  private void describeMachine() throws IOException {
    Map<String, Object> m = results.machine;
    m.put("cpus", Runtime.getRuntime().availableProcessors());
    m.put("cpuModel", firstValue(Path.of("/proc/cpuinfo"), "model name"));
    String memory = firstValue(Path.of("/proc/meminfo"), "MemTotal");
    m.put(
        "memory",
        memory.endsWith("kB")
            ? String.format(
                Locale.ROOT,
                "%.0f GiB",
                Long.parseLong(memory.replace("kB", "").trim()) / 1024.0 / 1024.0)
            : memory);
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    m.put("node", version("node", "--version"));
    // "wrk debian/4.1.0-3+b2 [epoll] Copyright ...": the name and the version
    m.put("wrk", version("wrk", "-v").replaceFirst("^(\\S+ \\S+).*", "$1"));
    Map<String, Object> method = results.method;
    method.put("runs", runs);
    method.put("secondsPerRun", runTime.toSeconds());
    method.put("wrkThreads", Wrk.THREADS);
    method.put("textBytes", SignedEvents.TEXT_BYTES);
    method.put("pacedConnections", PACED_CONNECTIONS);
    method.put(
        "note",
        "all processes share this machine's cores: load generators, servers, Local Momento");
  }

  private static String firstValue(Path file, String name) throws IOException {
    if (!Files.exists(file)) {
      return "unknown";
    }
    return Files.readAllLines(file).stream()
        .filter(line -> line.startsWith(name))
        .map(line -> line.substring(line.indexOf(':') + 1).trim())
        .findFirst()
        .orElse("unknown");
  }

  private static String version(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      return out.lines().findFirst().orElse("").trim();
    } catch (IOException | InterruptedException e) {
      return "unknown";
    }
  }

  private static double peakRssMb(ProcessHandle process) throws IOException {
    Path status = Path.of("/proc/" + process.pid() + "/status");
    String peak = firstValue(status, "VmHWM");
    return peak.equals("unknown")
        ? Double.NaN
        : Long.parseLong(peak.replace("kB", "").trim()) / 1024.0;
  }

  private static void step(String what) {
    System.out.printf(Locale.ROOT, "%tT %s%n", System.currentTimeMillis(), what);
  }

  private void stop() throws Exception {
    if (pubsub != null) {
      pubsub.close();
    }
    if (node != null) {
      node.close();
    }
    if (tomcat != null) {
      if (jfr) {
        // The server is killed, not stopped: dump the flight recording first.
        Path recording = work.resolve("server.jfr");
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(tomcat.jvm().pid()),
                "JFR.dump",
                "filename=" + recording)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start()
            .waitFor();
        System.out.println("Flight recording of the server: " + recording);
      }
      tomcat.close();
    }
    if (momento != null) {
      momento.close();
    }
    for (AutoCloseable receiver : new AutoCloseable[] {httpReceiver, queue, postgres}) {
      if (receiver != null) {
        receiver.close();
      }
    }
  }
}
