package dev.topicprocessor.sink.jms;

import dev.topicprocessor.sink.Delivery;
import dev.topicprocessor.sink.SinkResult;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.TextMessage;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * What touches the Jakarta Messaging API, kept apart so that {@link JmsSink} loads on a server
 * without it. Sends on one queue run in parallel on the sink's threads, each with a context of its
 * own for the time of the send; contexts are kept for the next sends (at most {@link #IDLE} unused
 * ones), so that a connection to the broker is not opened and closed per message. A context whose
 * send failed is closed, never reused.
 */
final class JmsSender implements AutoCloseable {

  /** ActiveMQ Artemis drops a message whose duplicate id it has seen. */
  static final String ARTEMIS_DUPLICATE_ID = "_AMQ_DUPL_ID";

  /** Unused contexts kept open; more are closed when their send is done. */
  static final int IDLE = 16;

  private final JmsDestination destination;
  private final ConnectionFactory factory;
  private final jakarta.jms.Destination queue;
  private final BlockingQueue<JMSContext> idle = new ArrayBlockingQueue<>(IDLE);
  private volatile boolean closed;

  JmsSender(JmsDestination destination, ConnectionFactory factory, jakarta.jms.Destination queue) {
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
    JMSContext context = null;
    try {
      context = idle.poll();
      if (context == null) {
        context = factory.createContext(JMSContext.AUTO_ACKNOWLEDGE);
      }
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
      if (closed || !idle.offer(context)) {
        context.close();
      }
      return new SinkResult.Delivered();
    } catch (JMSException | RuntimeException e) {
      closeQuietly(context);
      return failure(e);
    }
  }

  private static SinkResult failure(Exception e) {
    if (e instanceof InvalidDestinationRuntimeException
        || e instanceof MessageFormatRuntimeException) {
      return new SinkResult.Failed("jms-refused", describe(e), false);
    }
    if (e instanceof JMSException) {
      return new SinkResult.Failed("jms-error", describe(e), true);
    }
    return new SinkResult.Failed("jms-unavailable", describe(e), true);
  }

  /** Closes the contexts kept; sends still running close theirs when done. */
  @Override
  public void close() {
    closed = true;
    for (JMSContext context = idle.poll(); context != null; context = idle.poll()) {
      closeQuietly(context);
    }
  }

  private static void closeQuietly(JMSContext context) {
    if (context == null) {
      return;
    }
    try {
      context.close();
    } catch (RuntimeException e) {
      // a broken connection: nothing more to do with it
    }
  }

  private static String describe(Exception e) {
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }
}
