package dev.topicprocessor.sink.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topicprocessor.sink.Delivery;
import dev.topicprocessor.sink.SinkResult;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.activemq.artemis.jms.client.ActiveMQQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Jakarta Messaging sender against a real ActiveMQ Artemis broker (in this JVM, its in-VM
 * acceptor): what arrives on the queue, and how many connections the broker sees.
 */
class JmsSenderTest {

  private static final String URL = "vm://7";
  private EmbeddedActiveMQ broker;
  private ActiveMQConnectionFactory factory;

  @BeforeEach
  void start() throws Exception {
    broker =
        new EmbeddedActiveMQ()
            .setConfiguration(
                new ConfigurationImpl()
                    .setPersistenceEnabled(false)
                    .setSecurityEnabled(false)
                    .addAcceptorConfiguration("in-vm", URL)
                    .addQueueConfiguration(
                        QueueConfiguration.of("orders").setRoutingType(RoutingType.ANYCAST)));
    broker.start();
    factory = new ActiveMQConnectionFactory(URL);
  }

  @AfterEach
  void stop() throws Exception {
    factory.close();
    broker.stop();
  }

  private JmsSender sender() {
    return new JmsSender(
        new JmsDestination("java:/jms/queue/orders", "java:/ConnectionFactory", Map.of()),
        factory,
        new ActiveMQQueue("orders"));
  }

  private static Delivery delivery(int i) {
    return new Delivery(
        "out_" + i,
        "order " + i,
        new Delivery.From("r", "c", "orders in", 0, i, 0, 1, "", "subscription"));
  }

  @Test
  void manySendsFromSeveralThreadsShareAFewConnectionsAndEachArrivesOnce() throws Exception {
    ActiveMQServer server = broker.getActiveMQServer();
    long connectionsBefore = server.getTotalConnectionCount();
    JmsSender sender = sender();
    ExecutorService threads = Executors.newFixedThreadPool(4);
    List<Future<SinkResult>> results = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      int n = i;
      results.add(threads.submit(() -> sender.send(delivery(n))));
    }
    for (Future<SinkResult> result : results) {
      assertInstanceOf(SinkResult.Delivered.class, result.get());
    }
    threads.shutdown();
    long opened = server.getTotalConnectionCount() - connectionsBefore;
    assertTrue(opened <= 4, "400 sends on 4 threads opened " + opened + " connections");

    sender.close();
    assertEquals(0, server.getConnectionCount(), "closed with the sender");

    Set<String> ids = new HashSet<>();
    try (JMSContext context = factory.createContext();
        JMSConsumer consumer = context.createConsumer(context.createQueue("orders"))) {
      for (Message message = consumer.receive(2_000);
          message != null;
          message = consumer.receive(500)) {
        assertTrue(ids.add(message.getStringProperty("tp_output_id")), "each once");
      }
    }
    assertEquals(400, ids.size(), "every message on the queue");
  }

  @Test
  void aSendThatFailsIsRetriableAndTheNextOneOpensAFreshConnection() throws Exception {
    JmsSender sender = sender();
    assertInstanceOf(SinkResult.Delivered.class, sender.send(delivery(1)));
    broker.stop();
    SinkResult.Failed failed = assertInstanceOf(SinkResult.Failed.class, sender.send(delivery(2)));
    assertTrue(failed.retriable(), failed.toString());

    broker.start();
    assertInstanceOf(
        SinkResult.Delivered.class, sender.send(delivery(3)), "after the broker is back");
    sender.close();
  }
}
