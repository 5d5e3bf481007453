package dev.topicprocessor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topicprocessor.localmomento.SdkSubscriber;
import java.io.IOException;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import momento.sdk.responses.topic.TopicPublishResponse;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The processor operated from the server's own console, through JMX as the server exposes it
 * (Tomcat: the Manager's JMX proxy; WildFly: remoting JMX on the management port): pause holds what
 * is published in the journal and resume brings it through; a reload of the routes file puts a new
 * route in force without a redeploy, and a broken file is refused while the old routes go on
 * serving.
 */
@ExtendWith(LocalMomentoForTests.class)
@ExtendWith(ArquillianExtension.class)
class OperationsIT {

  static final String APP = "topic-processor-operations";
  static final String PIPELINE = "dev.topicprocessor:type=Pipeline,context=/" + APP;
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Path ROUTES =
      Path.of("target", "it-operations", "routes.json").toAbsolutePath();

  private static final String ONE_ROUTE =
      """
      {"routes": [{"name": "ops", "cache": "default-cache", "topic": "ops in",
                   "processors": ["uppercase"], "outbound": ["ops out"]}]}
      """;

  private static final String TWO_ROUTES =
      """
      {"routes": [
        {"name": "ops", "cache": "default-cache", "topic": "ops in",
         "processors": ["uppercase"], "outbound": ["ops out"]},
        {"name": "ops-more", "cache": "default-cache", "topic": "ops more in",
         "source": "subscription", "processors": ["uppercase"], "outbound": ["ops more out"]}]}
      """;

  @Deployment(testable = false)
  static WebArchive war() throws IOException {
    Files.createDirectories(ROUTES.getParent());
    Files.writeString(ROUTES, ONE_ROUTE);
    return Deployments.withSettings(
        APP + ".war",
        Map.of(
            "TOPIC_PROCESSOR_ROUTES",
            ROUTES.toString(),
            "TOPIC_PROCESSOR_DATA_DIR",
            Deployments.journalDir("operations")));
  }

  @ArquillianResource URL base;

  private static void publish(String topic, String text) {
    TopicPublishResponse response =
        LocalMomentoForTests.client().publish("default-cache", topic, text).join();
    assertInstanceOf(TopicPublishResponse.Success.class, response, response::toString);
  }

  private static boolean await(Check check) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!check.holds()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(100);
    }
    return true;
  }

  interface Check {
    boolean holds() throws Exception;
  }

  @Test
  void pauseHoldsEventsInTheJournalAndResumeBringsThemAllThrough() throws Exception {
    try (ServerJmx jmx = ServerJmx.of(base);
        SdkSubscriber out =
            SdkSubscriber.subscribe(LocalMomentoForTests.client(), "default-cache", "ops out")) {
      List<String> names = jmx.names("dev.topicprocessor:context=/" + APP + ",*");
      assertTrue(names.stream().anyMatch(n -> n.contains("type=Pipeline")), names.toString());
      assertTrue(
          names.stream().anyMatch(n -> n.contains("type=Route") && n.contains("name=ops")),
          names.toString());
      assertTrue(
          names.stream().anyMatch(n -> n.contains("type=Sink") && n.contains("ops out")),
          names.toString());

      assertEquals("true", jmx.invoke(PIPELINE, "pause"));
      assertEquals("true", jmx.get(PIPELINE, "Paused"));
      assertEquals(
          true, Http.json(new Http(base).get("api/health")).get("paused").asBoolean(), "health");
      long received = Long.parseLong(jmx.get(PIPELINE, "Received"));
      IntStream.rangeClosed(1, 20).forEach(i -> publish("ops in", "held " + i));
      assertTrue(
          await(() -> Long.parseLong(jmx.get(PIPELINE, "Received")) >= received + 20),
          "all 20 accepted while paused: " + jmx.get(PIPELINE, "Received"));
      assertTrue(Long.parseLong(jmx.get(PIPELINE, "Backlog")) >= 20, "and journaled");
      Thread.sleep(2_000); // ten passes of the journal's reader
      assertEquals(List.of(), List.copyOf(out.texts), "none processed while paused");

      assertEquals("true", jmx.invoke(PIPELINE, "resume"));
      List<String> arrived = new ArrayList<>(out.next(20, WAIT));
      arrived.sort(null);
      assertEquals(
          IntStream.rangeClosed(1, 20).mapToObj(i -> "HELD " + i).sorted().toList(),
          arrived,
          "every held event, once");
      assertEquals("false", jmx.get(PIPELINE, "Paused"));
      assertTrue(await(() -> "0".equals(jmx.get(PIPELINE, "Backlog"))), "backlog done");
      String route = "dev.topicprocessor:type=Route,context=/" + APP + ",name=ops";
      assertTrue(Long.parseLong(jmx.get(route, "Events")) >= 20, jmx.get(route, "Events"));
      assertTrue(Long.parseLong(jmx.get(route, "Delivered")) >= 20, jmx.get(route, "Delivered"));
    }
  }

  @Test
  void aReloadedRouteServesWithoutARedeployAndABrokenFileIsRefused() throws Exception {
    try (ServerJmx jmx = ServerJmx.of(base);
        SdkSubscriber out =
            SdkSubscriber.subscribe(LocalMomentoForTests.client(), "default-cache", "ops out");
        SdkSubscriber more =
            SdkSubscriber.subscribe(
                LocalMomentoForTests.client(), "default-cache", "ops more out")) {
      try {
        Files.writeString(ROUTES, TWO_ROUTES);
        String reloaded = jmx.invoke(PIPELINE, "reloadRoutes");
        assertTrue(reloaded.startsWith("reloaded: 2 route(s)"), reloaded);
        assertTrue(reloaded.contains("added [ops-more]"), reloaded);
        new Http(base).awaitConnected("ops more in", WAIT); // its subscription, on this node
        publish("ops more in", "new route");
        assertEquals(List.of("NEW ROUTE"), more.next(1, WAIT), "the new route serves");
        List<String> names = jmx.names("dev.topicprocessor:context=/" + APP + ",*");
        assertTrue(
            names.stream()
                .anyMatch(n -> n.contains("type=Subscription") && n.contains("name=ops-more")),
            names.toString());
        String subscription =
            "dev.topicprocessor:type=Subscription,context=/" + APP + ",name=ops-more";
        assertEquals("true", jmx.get(subscription, "Connected"));

        Files.writeString(ROUTES, "{\"routes\": [{\"name\": \"ops\", ");
        String refused = jmx.invoke(PIPELINE, "reloadRoutes");
        assertTrue(refused.startsWith("refused, the routes in force stay"), refused);
        assertTrue(refused.contains("routes.json"), refused);
        assertEquals("2", jmx.get(PIPELINE, "Routes"));
        publish("ops in", "old route");
        assertEquals(List.of("OLD ROUTE"), out.next(1, WAIT), "the old routes still serve");

        // The same from the console's API: for operators only, and refused with a problem.
        HttpResponse<String> anonymous = new Http(base).send("POST", "api/pipeline/reload-routes");
        assertEquals(401, anonymous.statusCode(), anonymous.body());
        HttpResponse<String> broken = new Http(base).operator("POST", "api/pipeline/reload-routes");
        assertEquals(422, broken.statusCode(), broken.body());
        assertEquals(
            "urn:topic-processor:problem:routes-invalid", Http.json(broken).get("type").asText());
      } finally {
        Files.writeString(ROUTES, ONE_ROUTE);
        jmx.invoke(PIPELINE, "reloadRoutes");
      }
      List<String> names = jmx.names("dev.topicprocessor:context=/" + APP + ",*");
      assertTrue(
          names.stream().noneMatch(n -> n.contains("ops-more")),
          "a route removed by a reload loses its MBeans: " + names);
    }
  }
}
