package dev.topicprocessor.sink.jms;

import dev.topicprocessor.sink.Delivery;
import dev.topicprocessor.sink.SinkResult;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.TextMessage;
import java.util.Map;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * What touches the Jakarta Messaging API, kept apart so that {@link JmsSink} loads on a server
 * without it. One context per send: sends on one queue run in parallel on the sink's threads.
 */
final class JmsSender {

  /** ActiveMQ Artemis drops a message whose duplicate id it has seen. */
  static final String ARTEMIS_DUPLICATE_ID = "_AMQ_DUPL_ID";

  private final JmsDestination destination;
  private final ConnectionFactory factory;
  private final jakarta.jms.Destination queue;

  private JmsSender(
      JmsDestination destination, ConnectionFactory factory, jakarta.jms.Destination queue) {
    this.destination = destination;
    this.factory = factory;
    this.queue = queue;
  }

  static JmsSender lookUp(JmsDestination destination) {
    try {
      InitialContext context = new InitialContext();
      Object factory = context.lookup(destination.connectionFactory());
      Object queue = context.lookup(destination.queue());
      if (!(factory instanceof ConnectionFactory f)) {
        throw new IllegalStateException(
            destination.connectionFactory() + " is not a ConnectionFactory");
      }
      if (!(queue instanceof jakarta.jms.Destination q)) {
        throw new IllegalStateException(destination.queue() + " is not a queue");
      }
      return new JmsSender(destination, f, q);
    } catch (NamingException e) {
      throw new IllegalStateException("JNDI: " + e.getMessage(), e);
    }
  }

  SinkResult send(Delivery delivery) {
    try (JMSContext context = factory.createContext(JMSContext.AUTO_ACKNOWLEDGE)) {
      TextMessage message = context.createTextMessage(delivery.text());
      message.setStringProperty("tp_output_id", delivery.id());
      message.setStringProperty(ARTEMIS_DUPLICATE_ID, delivery.id());
      message.setStringProperty("tp_route", delivery.from().route());
      message.setStringProperty("tp_cache", delivery.from().cache());
      message.setStringProperty("tp_topic", delivery.from().topic());
      message.setLongProperty("tp_sequence_number", delivery.from().sequenceNumber());
      for (Map.Entry<String, Object> property : destination.properties().entrySet()) {
        message.setObjectProperty(property.getKey(), property.getValue());
      }
      context.createProducer().setDeliveryMode(DeliveryMode.PERSISTENT).send(queue, message);
      return new SinkResult.Delivered();
    } catch (InvalidDestinationRuntimeException | MessageFormatRuntimeException e) {
      return new SinkResult.Failed("jms-refused", describe(e), false);
    } catch (JMSRuntimeException e) {
      return new SinkResult.Failed("jms-unavailable", describe(e), true);
    } catch (JMSException e) {
      return new SinkResult.Failed("jms-error", describe(e), true);
    }
  }

  private static String describe(Exception e) {
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }
}
