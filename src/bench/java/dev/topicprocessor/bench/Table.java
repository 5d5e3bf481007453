package dev.topicprocessor.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The results as Markdown tables (the console's summary, and what the README's Performance section
 * shows): each cell the median of the runs, with ±half the spread between the lowest and the
 * highest run as a share of the median.
 */
final class Table {

  private final Results r;
  private final int runs;
  private final StringBuilder out = new StringBuilder();

  Table(Results results, int runs) {
    this.r = results;
    this.runs = runs;
  }

  String render() {
    Map<String, Object> m = r.method;
    out.append(
        String.format(
            Locale.ROOT,
            "Machine: %s cores (%s), %s, %s, %s, Node.js %s, %s. Median of %d runs of %s s each"
                + " (lowest–highest run).%n%n",
            r.machine.get("cpus"),
            r.machine.get("cpuModel"),
            r.machine.get("memory"),
            r.machine.get("os"),
            r.machine.get("java"),
            r.machine.get("node"),
            r.machine.get("wrk"),
            runs,
            m.get("secondsPerRun")));

    out.append(
        "**Ingest**: distinct signed events POSTed as fast as they are answered (wrk, 2 threads),"
            + " 100-byte texts."
            + " Baseline: a servlet answering 204 on the same Tomcat. Plain Jakarta: the seed's"
            + " handler as a JAX-RS resource on the same Tomcat that checks the signature and"
            + " publishes inside the request, keeping nothing.\n\n");
    List<List<String>> rows = new ArrayList<>();
    rows.add(
        List.of(
            "connections",
            "baseline req/s",
            "processor req/s",
            "ratio",
            "ack p50 ms",
            "ack p99 ms",
            "ack p99.9 ms",
            "errors",
            "plain Jakarta req/s",
            "plain Jakarta p99 ms",
            "Node.js req/s",
            "Node.js p99 ms"));
    for (int c : Bench.CONNECTIONS) {
      String p = "ingest.processor.c" + c;
      String b = "ingest.baseline.c" + c;
      String n = "ingest.node.c" + c;
      String j = "ingest.jakarta.c" + c;
      rows.add(
          List.of(
              String.valueOf(c),
              cell(b + ".rate", 0),
              cell(p + ".rate", 0),
              String.format(Locale.ROOT, "%.2f", r.median(p + ".rate") / r.median(b + ".rate")),
              cell(p + ".p50", 1),
              cell(p + ".p99", 1),
              cell(p + ".p999", 1),
              cell(p + ".errors", 0),
              cell(j + ".rate", 0),
              cell(j + ".p99", 1),
              cell(n + ".rate", 0),
              cell(n + ".p99", 1)));
    }
    table(rows);

    out.append(
        String.format(
            Locale.ROOT,
            "%n**Acknowledgement at half the processor's maximum** (%.0f requests/s offered, %d"
                + " paced connections):%n%n",
            m.get("halfMaximumRate"),
            Bench.PACED_CONNECTIONS));
    rows = new ArrayList<>();
    rows.add(List.of("handler", "req/s", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "errors"));
    for (String target : List.of(Bench.HANDLERS)) {
      String k = "ack." + target + ".half";
      rows.add(
          List.of(
              name(target),
              cell(k + ".rate", 0),
              cell(k + ".p50", 1),
              cell(k + ".p99", 1),
              cell(k + ".p999", 1),
              cell(k + ".max", 1),
              cell(k + ".errors", 0)));
    }
    table(rows);

    out.append(
        "\n**End to end**: publish to \"topic 1\" at a fixed rate → Local Momento's webhook →"
            + " handler → \"topic 2\" → subscriber; latency from just before each publish to its"
            + " arrival.\n\n");
    rows = new ArrayList<>();
    rows.add(
        List.of(
            "offered events/s",
            "handler",
            "sustained/s",
            "p50 ms",
            "p99 ms",
            "p99.9 ms",
            "lost",
            "duplicates"));
    @SuppressWarnings("unchecked")
    List<Integer> rates = (List<Integer>) m.get("endToEndRates");
    for (int i = 0; i < rates.size(); i++) {
      String name = "r" + rates.get(i);
      for (String target : List.of(Bench.HANDLERS)) {
        String k = "e2e." + target + "." + name;
        rows.add(
            List.of(
                String.valueOf(rates.get(i)),
                name(target),
                cell(k + ".sustained", 0),
                cell(k + ".p50", 1),
                cell(k + ".p99", 1),
                cell(k + ".p999", 1),
                cell(k + ".lost", 0),
                cell(k + ".duplicates", 0)));
      }
    }
    table(rows);

    out.append(
        "\n**Subscription path**: publish to \"sub in\" at a fixed rate → the processor's"
            + " subscription → journal → uppercase → \"sub out\" → subscriber; no webhook.\n\n");
    rows = new ArrayList<>();
    rows.add(List.of("offered events/s", "sustained/s", "p50 ms", "p99 ms", "lost", "duplicates"));
    for (int rate : Bench.SUBSCRIPTION_RATES) {
      String k = "sub.processor.r" + rate;
      rows.add(
          List.of(
              String.valueOf(rate),
              cell(k + ".sustained", 0),
              cell(k + ".p50", 1),
              cell(k + ".p99", 1),
              cell(k + ".lost", 0),
              cell(k + ".duplicates", 0)));
    }
    table(rows);
    out.append(
        String.format(
            Locale.ROOT,
            "%nHighest rate sustained (nothing lost, arrivals within 5 %% of the offered rate;"
                + " searched from the fixed rates): %s events/s.%n",
            cell("sub.processor.maxSustained", 0)));

    out.append(
        String.format(
            Locale.ROOT,
            "%n**Each kind of destination** at %d events/s: publish to the route's inbound topic"
                + " → the processor's subscription → journal → uppercase → the sink → its receiver"
                + " in the benchmark's JVM; latency from just before the publish to the arrival"
                + " (PostgreSQL: the row's clock_timestamp() at its insert; ActiveMQ Artemis: a"
                + " persistent queue, the consumer's delivery).%n%n",
            Bench.SINK_RATE));
    rows = new ArrayList<>();
    rows.add(List.of("destination", "sustained/s", "p50 ms", "p99 ms", "p99.9 ms", "lost"));
    for (String sink : Bench.SINKS) {
      String k = "sink." + sink + ".r" + Bench.SINK_RATE;
      rows.add(
          List.of(
              sinkName(sink),
              cell(k + ".sustained", 0),
              cell(k + ".p50", 1),
              cell(k + ".p99", 1),
              cell(k + ".p999", 1),
              cell(k + ".lost", 0)));
    }
    table(rows);

    out.append("\n**Local Momento alone** (one publisher, 128 publishes in flight):\n\n");
    rows = new ArrayList<>();
    rows.add(List.of("subscribers", "publishes/s", "deliveries/s", "missing"));
    for (int s : Bench.SUBSCRIBERS) {
      String k = "momento.s" + s;
      rows.add(
          List.of(
              String.valueOf(s),
              cell(k + ".publish", 0),
              cell(k + ".delivery", 0),
              cell(k + ".missing", 0)));
    }
    table(rows);

    out.append(
        "\n**Memory**: Tomcat with -Xmx256m; collector figures over the processor's load"
            + " windows only.\n\n");
    rows = new ArrayList<>();
    rows.add(
        List.of(
            "heap after GC, median / max MB",
            "GC pauses",
            "pause total / max ms",
            "time paused",
            "peak RSS MB: Tomcat / Node.js / Local Momento"));
    rows.add(
        List.of(
            cell("memory.processor.heapAfterGcMedian", 0)
                + " / "
                + cell("memory.processor.heapAfterGcMax", 0),
            cell("memory.processor.gcPauses", 0),
            cell("memory.processor.gcPauseTotal", 0)
                + " / "
                + cell("memory.processor.gcPauseMax", 1),
            cell("memory.processor.gcPausedPercent", 2) + " %",
            cell("memory.processor.rssPeak", 0)
                + " / "
                + cell("memory.node.rssPeak", 0)
                + " / "
                + cell("memory.momento.rssPeak", 0)));
    table(rows);

    out.append("\n**Goals**:\n\n");
    rows = new ArrayList<>();
    rows.add(List.of("goal", "measured", "met"));
    for (Map<String, Object> goal : r.goals) {
      rows.add(
          List.of(
              String.valueOf(goal.get("goal")),
              String.valueOf(goal.get("measured")),
              Boolean.TRUE.equals(goal.get("met")) ? "yes" : "**no**"));
    }
    table(rows);
    return out.toString();
  }

  private static String name(String target) {
    return switch (target) {
      case "node" -> "Node.js (seed)";
      case "jakarta" -> "plain Jakarta";
      default -> "topic-processor";
    };
  }

  private static String sinkName(String sink) {
    return switch (sink) {
      case "topic" -> "Momento topic";
      case "http" -> "HTTP (JDK HttpServer)";
      case "jdbc" -> "JDBC (PostgreSQL)";
      case "jms" -> "Jakarta Messaging (ActiveMQ Artemis)";
      default -> sink;
    };
  }

  /** The median, and the lowest and highest run when they differ. */
  private String cell(String key, int decimals) {
    Results.Figure f = r.figure(key);
    if (f.runs().isEmpty()) {
      return "–";
    }
    String format = "%." + decimals + "f";
    String value = String.format(Locale.ROOT, format, f.median());
    String min = String.format(Locale.ROOT, format, f.min());
    String max = String.format(Locale.ROOT, format, f.max());
    return min.equals(max) ? value : value + " (" + min + "–" + max + ")";
  }

  private void table(List<List<String>> rows) {
    for (int i = 0; i < rows.size(); i++) {
      out.append("| ").append(String.join(" | ", rows.get(i))).append(" |\n");
      if (i == 0) {
        out.append("|").append("---|".repeat(rows.get(i).size())).append('\n');
      }
    }
  }
}
