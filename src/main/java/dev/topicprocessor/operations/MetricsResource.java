package dev.topicprocessor.operations;

import dev.topicprocessor.metrics.ProcessorMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

/** {@code GET /api/metrics}: every meter in Prometheus text format. */
@ApplicationScoped
@Path("metrics")
public class MetricsResource {

  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  @Inject ProcessorMetrics metrics;

  @GET
  @Produces(PROMETHEUS_TEXT)
  public String scrape() {
    return metrics.scrape();
  }
}
