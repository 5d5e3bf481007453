package dev.topicprocessor.sink.jms;

import dev.topicprocessor.sink.BlockingDeliveries;
import dev.topicprocessor.sink.Delivery;
import dev.topicprocessor.sink.Destination;
import dev.topicprocessor.sink.Sink;
import dev.topicprocessor.sink.SinkResult;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Sends each output as a persistent text message to a Jakarta Messaging queue, on threads of its
 * own, with the output's stable id as the message properties {@code tp_output_id} and {@code
 * _AMQ_DUPL_ID} (ActiveMQ Artemis, WildFly's broker, then drops a repeat). The queue and its
 * connection factory are looked up at start. On a server without Jakarta Messaging (Tomcat as
 * shipped) the application still deploys; deliveries to a queue then wait in the journal, and the
 * log says why.
 */
@ApplicationScoped
public class JmsSink implements Sink {

  private static final Logger LOG = Logger.getLogger(JmsSink.class.getName());

  private final BlockingDeliveries threads = new BlockingDeliveries("topic-processor-jms-sink");

  /** Senders by destination; none where the lookup failed. */
  private final Map<JmsDestination, JmsSender> senders = new ConcurrentHashMap<>();

  @PreDestroy
  public void stop() {
    threads.close();
    senders.values().forEach(JmsSender::close);
  }

  @Override
  public boolean accepts(Destination destination) {
    return destination instanceof JmsDestination;
  }

  @Override
  public void prepare(Destination destination) {
    JmsDestination jms = (JmsDestination) destination;
    try {
      sender(jms);
    } catch (RuntimeException | LinkageError e) {
      LOG.warning(
          "Jakarta Messaging destination "
              + jms
              + " is not reachable yet ("
              + describe(e)
              + "); deliveries to it wait in the journal until it is");
    }
  }

  private JmsSender sender(JmsDestination destination) {
    return senders.computeIfAbsent(destination, JmsSender::lookUp);
  }

  @Override
  public CompletableFuture<SinkResult> deliver(Destination destination, Delivery delivery) {
    JmsDestination jms = (JmsDestination) destination;
    return threads.run(() -> send(jms, delivery));
  }

  private SinkResult send(JmsDestination destination, Delivery delivery) {
    JmsSender sender;
    try {
      sender = sender(destination);
    } catch (RuntimeException | LinkageError e) {
      return new SinkResult.Failed("jms-unavailable", describe(e), true);
    }
    return sender.send(delivery);
  }

  private static String describe(Throwable e) {
    if (e instanceof NoClassDefFoundError) {
      return "this server has no Jakarta Messaging (" + e.getMessage() + ")";
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }
}
