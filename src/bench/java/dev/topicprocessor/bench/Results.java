package dev.topicprocessor.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every figure of a benchmark run, each measured several times, and how they are written. */
final class Results {

  /** One figure: the value of each run; reported as median and spread (min to max). */
  record Figure(String key, String unit, List<Double> runs) {

    double median() {
      double[] sorted = runs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      if (sorted.length == 0) {
        return Double.NaN;
      }
      int middle = sorted.length / 2;
      return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    double min() {
      return runs.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    double max() {
      return runs.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    Map<String, Object> json() {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("unit", unit);
      out.put("median", round(median()));
      out.put("min", round(min()));
      out.put("max", round(max()));
      out.put("runs", runs.stream().map(Results::round).toList());
      return out;
    }
  }

  private final Map<String, Figure> figures = new LinkedHashMap<>();
  final Map<String, Object> machine = new LinkedHashMap<>();
  final Map<String, Object> method = new LinkedHashMap<>();
  final List<Map<String, Object>> goals = new ArrayList<>();

  /** Adds one run's value to a figure, e.g. {@code ingest.processor.c64.rate}. */
  void add(String key, String unit, double value) {
    figures.computeIfAbsent(key, k -> new Figure(k, unit, new ArrayList<>())).runs().add(value);
  }

  Figure figure(String key) {
    Figure figure = figures.get(key);
    return figure != null ? figure : new Figure(key, "", List.of());
  }

  /** The median of a figure, NaN if it was not measured. */
  double median(String key) {
    return figure(key).median();
  }

  void goal(String goal, String measured, boolean met) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("goal", goal);
    entry.put("measured", measured);
    entry.put("met", met);
    goals.add(entry);
  }

  void write(Path file) throws IOException {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("machine", machine);
    out.put("method", method);
    out.put("goals", goals);
    Map<String, Object> all = new LinkedHashMap<>();
    figures.forEach((key, figure) -> all.put(key, figure.json()));
    out.put("figures", all);
    Files.createDirectories(file.getParent());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), out);
  }

  static double round(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return value;
    }
    return Math.round(value * 100) / 100.0;
  }

  /** The value at rank {@code p} percent of sorted values (nearest rank). */
  static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  static long[] sorted(long[] values) {
    long[] copy = values.clone();
    Arrays.sort(copy);
    return copy;
  }
}
