package dev.topicprocessor.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The console's chart points: rates and 99th percentiles of what happened between two samples. */
class ProcessorMetricsSampleTest {

  private static void acknowledged(ProcessorMetrics metrics, long millis) {
    metrics.acknowledged(System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(millis));
  }

  @Test
  void aStepWithoutAcknowledgementsHasNoPercentile() {
    ProcessorMetrics metrics = new ProcessorMetrics();
    ProcessorMetrics.Sample first = metrics.sample();
    assertEquals(-1, metrics.sample().ackP99Millis(first));
    assertEquals(-1, metrics.sample().endToEndP99Millis(first));
  }

  @Test
  void thePercentileIsOfTheStepAloneNotOfEverythingBefore() {
    ProcessorMetrics metrics = new ProcessorMetrics();
    ProcessorMetrics.Sample start = metrics.sample();
    for (int i = 0; i < 90; i++) {
      acknowledged(metrics, 2);
    }
    for (int i = 0; i < 10; i++) {
      acknowledged(metrics, 400); // a tenth slow: the p99 is slow
    }
    ProcessorMetrics.Sample slow = metrics.sample();
    double slowP99 = slow.ackP99Millis(start);
    assertTrue(slowP99 >= 400 && slowP99 < 600, "p99 of the slow step: " + slowP99);

    for (int i = 0; i < 200; i++) {
      acknowledged(metrics, 2); // none slow in the next step
    }
    double fastP99 = metrics.sample().ackP99Millis(slow);
    assertTrue(fastP99 >= 2 && fastP99 < 10, "p99 of the next step alone: " + fastP99);
  }

  @Test
  void ratesArePerSecondOverTheStep() throws Exception {
    ProcessorMetrics metrics = new ProcessorMetrics();
    ProcessorMetrics.Sample start = metrics.sample();
    for (int i = 0; i < 50; i++) {
      metrics.received();
      metrics.published(0);
    }
    Thread.sleep(500);
    ProcessorMetrics.Sample end = metrics.sample();
    double seconds = (end.at() - start.at()) / 1000.0;
    assertEquals(50 / seconds, end.receivedPerSecond(start), 0.01);
    assertEquals(50 / seconds, end.publishedPerSecond(start), 0.01);
  }
}
