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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The second way in: one long-running subscription per inbound topic this node holds, each feeding
 * the {@link Intake} on a thread of its own, over one gRPC channel to Momento's Pubsub service (the
 * generated stubs: the Java SDK 1.21.0 cannot resume from a position). Topics are subscribed to and
 * let go one at a time: in a cluster, each is held by one node at a time.
 */
@ApplicationScoped
public class SubscriptionSource {

  private static final Logger LOG = Logger.getLogger(SubscriptionSource.class.getName());

  /** A topic to subscribe to. */
  public record SubscribedTopic(String cache, String topic) {

    /** How logs and leases name it: {@code cache/topic}. */
    public String name() {
      return cache + "/" + topic;
    }

    /** The lease that lets one node at a time subscribe to it. */
    public String lease() {
      return "subscription " + name();
    }
  }

  private record Running(TopicSubscriber subscriber, Thread thread) {}

  @Inject Intake intake;
  @Inject Settings settings;
  @Inject ProcessorMetrics metrics;

  /** The subscriptions running, in the order they began. */
  private final Map<SubscribedTopic, Running> running = new LinkedHashMap<>();

  /** Ended, their threads not yet joined. */
  private final List<Thread> ending = new ArrayList<>();

  private Supplier<ManagedChannel> channels;
  private ManagedChannel channel;
  private PubsubGrpc.PubsubBlockingStub pubsub;
  private ScheduledExecutorService watchdog;
  private Duration silence;
  private Duration maxBackoff;

  /**
   * Makes the source ready to subscribe; {@code channels} makes the channel to Momento (or Local
   * Momento) at the first subscription.
   */
  public synchronized void open(Supplier<ManagedChannel> channels) {
    this.channels = channels;
    silence =
        Duration.ofSeconds(
            settings.integer(Setting.TOPIC_PROCESSOR_SUBSCRIPTION_SILENCE_SECONDS, 1, 86_400));
    maxBackoff =
        Duration.ofMillis(
            settings.integer(Setting.TOPIC_PROCESSOR_SUBSCRIPTION_MAX_BACKOFF_MS, 250, 3_600_000));
  }

  /** Subscribes to this topic, from its checkpoint, unless this source does already. */
  public synchronized void subscribe(SubscribedTopic topic) {
    if (channels == null || running.containsKey(topic)) {
      return;
    }
    if (channel == null) {
      channel = channels.get();
      pubsub = PubsubGrpc.newBlockingStub(channel);
      watchdog =
          Executors.newSingleThreadScheduledExecutor(
              DaemonThreads.named("topic-processor-subscription-watchdog"));
      watchdog.scheduleWithFixedDelay(this::checkSilence, 1, 1, TimeUnit.SECONDS);
    }
    TopicSubscriber subscriber =
        new TopicSubscriber(
            topic.cache(), topic.topic(), pubsub, intake, metrics, silence, maxBackoff);
    Thread thread =
        DaemonThreads.named("topic-processor-subscription-" + subscriber.name())
            .newThread(subscriber);
    running.put(topic, new Running(subscriber, thread));
    thread.start();
    LOG.info("subscription source: subscribing to " + subscriber.name());
  }

  /**
   * Ends the subscription to this topic without waiting for its thread: an item read but not yet
   * committed is not taken, and whoever subscribes next reads it again from the checkpoint.
   */
  public synchronized void unsubscribe(SubscribedTopic topic) {
    Running ended = running.remove(topic);
    if (ended != null) {
      ended.subscriber().stop();
      ending.add(ended.thread());
      LOG.info("subscription source: no longer subscribed to " + ended.subscriber().name());
    }
  }

  private synchronized void checkSilence() {
    long now = System.nanoTime();
    running.values().forEach(r -> r.subscriber().checkSilence(now));
  }

  /**
   * Ends every subscription and closes the channel, waiting at most {@code max}. An item read but
   * not yet committed is not taken: the next start reads it again from the checkpoint.
   */
  public void stop(Duration max) throws InterruptedException {
    List<Thread> threads;
    ManagedChannel closing;
    ScheduledExecutorService dog;
    synchronized (this) {
      channels = null;
      List.copyOf(running.keySet()).forEach(this::unsubscribe);
      threads = List.copyOf(ending);
      ending.clear();
      closing = channel;
      dog = watchdog;
      channel = null;
      pubsub = null;
      watchdog = null;
    }
    if (dog != null) {
      dog.shutdownNow();
    }
    long deadline = System.nanoTime() + max.toNanos();
    for (Thread thread : threads) {
      thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      if (thread.isAlive()) {
        LOG.warning("subscription source: " + thread.getName() + " did not end in time");
      }
    }
    if (closing != null) {
      closing.shutdownNow();
      closing.awaitTermination(
          Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
    }
    if (dog != null) {
      dog.awaitTermination(1, TimeUnit.SECONDS);
    }
  }

  /** The state of every subscription this source runs, in the order they began. */
  public synchronized List<SubscriptionStatus> status() {
    return running.values().stream().map(r -> r.subscriber().status()).toList();
  }
}
