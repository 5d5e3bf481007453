package dev.topicprocessor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topicprocessor.it.jms.QueueReaderServlet;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import momento.sdk.responses.topic.TopicPublishResponse;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Outputs sent to a Jakarta Messaging queue of WildFly's own ActiveMQ Artemis (standalone-full.xml,
 * queue made by server-config/wildfly/topic-processor-jms.cli), read back by a consumer deployed
 * beside the processor. WildFly only: Tomcat has no Jakarta Messaging of its own.
 */
@EnabledIfSystemProperty(named = "it.server", matches = "wildfly")
@ExtendWith(LocalMomentoForTests.class)
@ExtendWith(ArquillianExtension.class)
class JmsSinkIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Deployment(name = "jms", testable = false, order = 2)
  static WebArchive processor() throws IOException {
    return Deployments.withSettings(
        "jms.war",
        Map.of(
            "TOPIC_PROCESSOR_ROUTES",
            Deployments.testResource("it-routes-jms.json"),
            "TOPIC_PROCESSOR_DATA_DIR",
            Deployments.journalDir("JmsSinkIT")));
  }

  @Deployment(name = "queue-reader", testable = false, order = 1)
  static WebArchive reader() {
    return ShrinkWrap.create(WebArchive.class, "queue-reader.war")
        .addClass(QueueReaderServlet.class);
  }

  @Test
  void everyOutputArrivesOnTheQueueOnceWithItsStableId(
      @ArquillianResource @OperateOnDeployment("jms") URL app,
      @ArquillianResource @OperateOnDeployment("queue-reader") URL reader)
      throws Exception {
    new Http(app).awaitConnected("jms in", Duration.ofSeconds(30));
    String run = UUID.randomUUID().toString().substring(0, 8);
    List<String> texts = IntStream.range(0, 50).mapToObj(i -> "order " + run + " " + i).toList();
    for (String text : texts) {
      TopicPublishResponse response =
          LocalMomentoForTests.client().publish("default-cache", "jms in", text).join();
      assertInstanceOf(TopicPublishResponse.Success.class, response, response::toString);
    }
    List<String[]> messages = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (messages.size() < texts.size() && System.nanoTime() < deadline) {
      String body =
          Answers.send(
                  HTTP, HttpRequest.newBuilder(URI.create(reader + "messages?max=100")).build())
              .body();
      for (String line : body.split("\r?\n")) { // Undertow ends lines with CRLF
        if (!line.isBlank()) {
          messages.add(line.split("\t", 4));
        }
      }
    }
    Set<String> expected =
        texts.stream().map(t -> t.toUpperCase(Locale.ROOT)).collect(Collectors.toSet());
    List<String> got = messages.stream().map(m -> m[3]).toList();
    assertEquals(expected, Set.copyOf(got), "every output on the queue");
    assertEquals(texts.size(), got.size(), "each once");
    Set<String> ids = messages.stream().map(m -> m[0]).collect(Collectors.toSet());
    assertEquals(texts.size(), ids.size(), "one id per output");
    for (String[] message : messages) {
      assertTrue(message[0].matches("out_[0-9a-f]{32}"), message[0]);
      assertEquals(message[0], message[1], "Artemis' duplicate id is the output's id");
      assertEquals("order", message[2], "the route's property");
    }
  }
}
