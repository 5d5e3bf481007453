package dev.topicprocessor.client;

import dev.topicprocessor.config.Setting;
import dev.topicprocessor.config.Settings;
import dev.topicprocessor.support.GrpcThreads;
import dev.topicprocessor.support.NettyThreadLocals;
import dev.topicprocessor.support.RecordMethodCaches;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.logging.Logger;
import momento.sdk.TopicClient;
import momento.sdk.config.TopicConfigurations;

/**
 * The application's one TopicClient. {@code TopicClient} is a final class, which CDI cannot proxy,
 * so it is produced as a {@code @Singleton}: one instance for the whole application, made at start
 * and disposed at undeploy.
 */
@ApplicationScoped
public class TopicClientProducer {

  private static final Logger LOG = Logger.getLogger(TopicClientProducer.class.getName());
  private static final Duration GRPC_THREADS_GRACE = Duration.ofSeconds(5);

  @Inject MomentoConnection momento;
  @Inject Settings settings;

  @Produces
  @Singleton
  TopicClient topicClient() {
    // SDK 1.21.0 truncates the deadline to whole seconds; the setting is in whole seconds.
    Duration deadline =
        Duration.ofSeconds(
            settings.integer(Setting.TOPIC_PROCESSOR_PUBLISH_TIMEOUT_SECONDS, 1, 300));
    TopicClient client =
        momento.topicClient(TopicConfigurations.InRegion.latest().withTimeout(deadline));
    LOG.info("TopicClient ready for " + momento.credentials().getCacheEndpoint());
    return client;
  }

  /**
   * Closes the client and waits for gRPC's threads to finish, so that none of them runs into an
   * undeployed class loader. Subscriptions were ended and in-flight events drained before, while
   * every bean was still alive ({@code Startup.stop}); CDI destroys beans in no set order, so a
   * disposer must not call other beans.
   */
  void close(@Disposes TopicClient client) {
    client.close();
    GrpcThreads.awaitGone(TopicClientProducer.class.getClassLoader(), GRPC_THREADS_GRACE);
    NettyThreadLocals.clear(); // the undeploying thread belongs to the server
    RecordMethodCaches.release(); // again: beans destroyed after Startup.stop may make records
    LOG.info("TopicClient closed");
  }
}
