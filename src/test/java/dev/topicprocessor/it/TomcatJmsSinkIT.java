package dev.topicprocessor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.io.File;
import java.io.IOException;
import java.net.URL;
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
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Jakarta Messaging sink on Tomcat, as the README tells: an ActiveMQ Artemis broker of its own
 * (here one the test runs, on 127.0.0.1:18616), its client in the application (here in the WAR),
 * and the connection factory and queue bound by {@code JNDIReferenceFactory} in the application's
 * context file. Every output arrives on the queue once, read back by the test.
 */
@DisabledIfSystemProperty(named = "it.server", matches = "wildfly")
@ExtendWith(LocalMomentoForTests.class)
@ExtendWith(ArquillianExtension.class)
class TomcatJmsSinkIT {

  private static final String BROKER = "tcp://127.0.0.1:18616";
  private static EmbeddedActiveMQ broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker =
        new EmbeddedActiveMQ()
            .setConfiguration(
                new ConfigurationImpl()
                    .setPersistenceEnabled(false)
                    .setSecurityEnabled(false)
                    .addAcceptorConfiguration("tcp", BROKER)
                    .addQueueConfiguration(
                        QueueConfiguration.of("orders").setRoutingType(RoutingType.ANYCAST)));
    broker.start();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    broker.stop();
  }

  @Deployment(name = "jms-tomcat", testable = false)
  static WebArchive processor() throws IOException {
    WebArchive war =
        Deployments.withSettings(
            "jms-tomcat.war",
            Map.of(
                "TOPIC_PROCESSOR_ROUTES",
                Deployments.testResource("it-routes-jms-tomcat.json"),
                "TOPIC_PROCESSOR_DATA_DIR",
                Deployments.journalDir("TomcatJmsSinkIT")));
    war.addAsLibrary(
        new File(
            System.getProperty("it.libs", "target/it-libs"), "artemis-jakarta-client-all.jar"));
    war.addAsManifestResource(
        new StringAsset(
            "<Context>\n"
                + "  <Resource name=\"jms/ConnectionFactory\" auth=\"Container\"\n"
                + "    type=\"org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory\"\n"
                + "    factory=\"org.apache.activemq.artemis.jndi.JNDIReferenceFactory\"\n"
                + "    brokerURL=\""
                + BROKER
                + "\"/>\n"
                + "  <Resource name=\"jms/queue/orders\" auth=\"Container\"\n"
                + "    type=\"org.apache.activemq.artemis.jms.client.ActiveMQQueue\"\n"
                + "    factory=\"org.apache.activemq.artemis.jndi.JNDIReferenceFactory\"\n"
                + "    address=\"orders\"/>\n"
                + "</Context>\n"),
        "context.xml");
    return war;
  }

  @Test
  void everyOutputArrivesOnTheBrokersQueueOnceWithItsStableId(@ArquillianResource URL app)
      throws Exception {
    new Http(app).awaitConnected("jms in tomcat", Duration.ofSeconds(30));
    String run = UUID.randomUUID().toString().substring(0, 8);
    List<String> texts = IntStream.range(0, 30).mapToObj(i -> "order " + run + " " + i).toList();
    for (String text : texts) {
      TopicPublishResponse response =
          LocalMomentoForTests.client().publish("default-cache", "jms in tomcat", text).join();
      assertInstanceOf(TopicPublishResponse.Success.class, response, response::toString);
    }
    List<Message> messages = new ArrayList<>();
    try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(BROKER);
        JMSContext context = factory.createContext();
        JMSConsumer consumer = context.createConsumer(context.createQueue("orders"))) {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (messages.size() < texts.size() && System.nanoTime() < deadline) {
        Message message = consumer.receive(1_000);
        if (message != null) {
          messages.add(message);
        }
      }
      Message extra = consumer.receive(1_000);
      assertEquals(null, extra, "nothing more");
    }
    Set<String> expected =
        texts.stream().map(t -> t.toUpperCase(Locale.ROOT)).collect(Collectors.toSet());
    List<String> got = new ArrayList<>();
    Set<String> ids = new java.util.HashSet<>();
    for (Message message : messages) {
      got.add(((TextMessage) message).getText());
      String id = message.getStringProperty("tp_output_id");
      assertTrue(id.matches("out_[0-9a-f]{32}"), id);
      ids.add(id);
      assertEquals("order", message.getStringProperty("kind"));
      assertEquals("jms in tomcat", message.getStringProperty("tp_topic"));
    }
    assertEquals(expected, Set.copyOf(got), "every output on the queue");
    assertEquals(texts.size(), got.size(), "each once");
    assertEquals(texts.size(), ids.size(), "one id per output");
  }
}
