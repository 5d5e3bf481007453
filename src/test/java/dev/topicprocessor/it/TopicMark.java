package dev.topicprocessor.it;

import dev.topicprocessor.localmomento.RawClient;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A text the test itself publishes to a topic at a chosen moment, such as a second after a killed
 * JVM was gone. Its topic sequence number then splits what Momento took before that moment from
 * what it took after, whatever the delay to the test's subscriber.
 */
final class TopicMark {

  private final Thread thread;
  private final String text;

  private TopicMark(Thread thread, String text) {
    this.thread = thread;
    this.text = text;
  }

  /** Publishes {@code text} to the topic after {@code delay}, on a thread of its own. */
  static TopicMark publishLater(
      int plaintextPort, String cache, String topic, String text, Duration delay) {
    Thread thread =
        new Thread(
            () -> {
              ManagedChannel channel = LocalMomentoProcess.plaintextChannel(plaintextPort);
              try {
                Thread.sleep(delay.toMillis());
                RawClient.publishText(channel, cache, topic, text, Duration.ofSeconds(10));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                channel.shutdownNow();
              }
            },
            "topic-mark");
    thread.start();
    return new TopicMark(thread, text);
  }

  /** The sequence number Momento gave the mark, once {@code subscriber} (on its topic) has it. */
  long sequence(ResumingSubscriber subscriber) throws InterruptedException {
    thread.join(TimeUnit.SECONDS.toMillis(30));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (subscriber.firstSequence(text) == null && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    Long sequence = subscriber.firstSequence(text);
    if (sequence == null) {
      throw new AssertionError("the mark '" + text + "' never reached the test's subscriber");
    }
    return sequence;
  }
}
