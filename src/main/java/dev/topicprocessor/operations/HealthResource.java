package dev.topicprocessor.operations;

import dev.topicprocessor.client.MomentoConnection;
import dev.topicprocessor.client.MomentoKeyCheck;
import dev.topicprocessor.engine.DestinationGuards;
import dev.topicprocessor.engine.Dispatcher;
import dev.topicprocessor.engine.ProcessingExecutor;
import dev.topicprocessor.journal.Journal;
import dev.topicprocessor.journal.Membership;
import dev.topicprocessor.routing.Router;
import dev.topicprocessor.source.subscription.SubscriptionSource;
import dev.topicprocessor.source.webhook.WebhookSecrets;
import dev.topicprocessor.support.Readiness;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Providers;
import jakarta.ws.rs.ext.RuntimeDelegate;
import java.lang.annotation.Annotation;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/health}: 200 with JSON when ready to accept webhooks, 503 otherwise (starting,
 * stopping, or its journal's database away, saying why).
 */
@ApplicationScoped
@Path("health")
public class HealthResource {

  @Inject Readiness readiness;
  @Inject MomentoConnection momento;
  @Inject MomentoKeyCheck keyCheck;
  @Inject Router router;
  @Inject ProcessingExecutor executor;
  @Inject WebhookSecrets secrets;
  @Inject Journal journal;
  @Inject Membership membership;
  @Inject SubscriptionSource subscriptionSource;
  @Inject DestinationGuards guards;
  @Inject Dispatcher dispatcher;

  @Context Providers providers;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Response health() {
    Map<String, Object> body = new LinkedHashMap<>();
    // A node whose journal cannot be written accepts nothing: it says so, and why.
    java.util.Optional<String> journalDown =
        readiness.ready() ? membership.unavailable() : java.util.Optional.empty();
    boolean ready = readiness.ready() && journalDown.isEmpty();
    body.put("status", ready ? "UP" : "DOWN");
    body.put("state", readiness.state());
    body.put("mode", String.valueOf(momento.mode()));
    // Where it publishes, and whether Momento accepts its key (a refused key is said as such).
    if (momento.mode() != null) {
      MomentoKeyCheck.Verdict key = keyCheck.verdict();
      Map<String, Object> connection = new LinkedHashMap<>();
      connection.put("endpoint", momento.credentials().getCacheEndpoint());
      connection.put("key", key.key().toString());
      connection.put("detail", key.detail());
      connection.put(
          "checkedAt",
          key.checkedAtMillis() == 0
              ? null
              : java.time.Instant.ofEpochMilli(key.checkedAtMillis()).toString());
      body.put("momento", connection);
    }
    body.put("routes", router.routes().size());
    body.put("webhookSecrets", secrets.all().size());
    body.put("queued", executor.waiting());
    body.put("paused", dispatcher.paused()); // by an operator: accepting, not processing
    // Per subscription route's topic: connected, the last position taken in, the gaps seen.
    body.put("subscriptions", subscriptionSource.status());
    body.put("destinations", guards.status(router.destinations()));
    journalDown.ifPresent(why -> body.put("journal", "unavailable: " + why));
    if (ready) {
      body.put("journal", journal.description());
      body.put("backlog", journal.backlog());
      body.put("deadLetters", journal.deadLetterCount());
      // The nodes sharing the journal, which are alive, and which holds each subscription or task.
      Membership.Status cluster = membership.status();
      body.put("node", cluster.node());
      body.put("nodesAlive", cluster.alive());
      body.put("nodes", cluster.nodes());
      body.put("leases", cluster.leases());
    }
    // Which JAX-RS runtime answers: Jersey on every server.
    body.put("jaxrs", RuntimeDelegate.getInstance().getClass().getName());
    // Which provider writes JSON: Jackson's own JAX-RS provider.
    var json =
        providers.getMessageBodyWriter(
            Map.class, Map.class, new Annotation[0], MediaType.APPLICATION_JSON_TYPE);
    body.put("json", json == null ? null : json.getClass().getName());
    return Response.status(ready ? 200 : 503).entity(body).build();
  }
}
