package dev.topicprocessor.source.subscription;

import dev.topicprocessor.config.Setting;
import dev.topicprocessor.config.Settings;
import dev.topicprocessor.intake.Intake;
import dev.topicprocessor.metrics.ProcessorMetrics;
import dev.topicprocessor.support.DaemonThreads;
import grpc.cache_client.pubsub.PubsubGrpc;
import io.grpc.ManagedChannel;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The second way in: one long-running subscription per inbound topic of the subscription routes,
 * each feeding the {@link Intake}, over one gRPC channel to Momento's Pubsub service (the generated
 * stubs: the Java SDK 1.21.0 cannot resume from a position).
 */
@ApplicationScoped
public class SubscriptionSource {

  private static final Logger LOG = Logger.getLogger(SubscriptionSource.class.getName());

  /** A topic to subscribe to. */
  public record SubscribedTopic(String cache, String topic) {}

  @Inject Intake intake;
  @Inject Settings settings;
  @Inject ProcessorMetrics metrics;

  private final List<TopicSubscriber> subscribers = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private ManagedChannel channel;
  private ScheduledExecutorService watchdog;

  /** Subscribes to each topic; {@code channels} makes the channel to Momento (or Local Momento). */
  public synchronized void start(List<SubscribedTopic> topics, Supplier<ManagedChannel> channels) {
    if (topics.isEmpty() || channel != null) {
      return;
    }
    Duration silence =
        Duration.ofSeconds(
            settings.integer(Setting.TOPIC_PROCESSOR_SUBSCRIPTION_SILENCE_SECONDS, 1, 86_400));
    Duration maxBackoff =
        Duration.ofMillis(
            settings.integer(Setting.TOPIC_PROCESSOR_SUBSCRIPTION_MAX_BACKOFF_MS, 250, 3_600_000));
    channel = channels.get();
    PubsubGrpc.PubsubBlockingStub pubsub = PubsubGrpc.newBlockingStub(channel);
    for (SubscribedTopic topic : topics) {
      TopicSubscriber subscriber =
          new TopicSubscriber(
              topic.cache(), topic.topic(), pubsub, intake, metrics, silence, maxBackoff);
      Thread thread =
          DaemonThreads.named("topic-processor-subscription-" + subscriber.name())
              .newThread(subscriber);
      subscribers.add(subscriber);
      threads.add(thread);
      thread.start();
      LOG.info("subscription source: subscribing to " + subscriber.name());
    }
    watchdog =
        Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("topic-processor-subscription-watchdog"));
    watchdog.scheduleWithFixedDelay(
        () -> subscribers.forEach(s -> s.checkSilence(System.nanoTime())), 1, 1, TimeUnit.SECONDS);
  }

  /**
   * Ends every subscription and closes the channel, waiting at most {@code max}. An item read but
   * not yet committed is not taken: the next start reads it again from the checkpoint.
   */
  public synchronized void stop(Duration max) throws InterruptedException {
    if (channel == null) {
      return;
    }
    watchdog.shutdownNow();
    subscribers.forEach(TopicSubscriber::stop);
    long deadline = System.nanoTime() + max.toNanos();
    for (Thread thread : threads) {
      thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      if (thread.isAlive()) {
        LOG.warning("subscription source: " + thread.getName() + " did not end in time");
      }
    }
    channel.shutdownNow();
    channel.awaitTermination(
        Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
    watchdog.awaitTermination(1, TimeUnit.SECONDS);
    subscribers.clear();
    threads.clear();
    channel = null;
  }

  /** Every subscription's state, in the order of the routes. */
  public List<SubscriptionStatus> status() {
    return subscribers.stream().map(TopicSubscriber::status).toList();
  }
}
