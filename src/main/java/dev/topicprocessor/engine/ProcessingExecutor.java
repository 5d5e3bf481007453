package dev.topicprocessor.engine;

import dev.topicprocessor.config.Setting;
import dev.topicprocessor.config.Settings;
import dev.topicprocessor.metrics.ProcessorMetrics;
import dev.topicprocessor.support.DaemonThreads;
import dev.topicprocessor.support.NettyThreadLocals;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Runs event processing off the request thread: the container's managed executor where it has one
 * (WildFly), else a pool of the application's own (Tomcat), shut down at undeploy.
 */
@ApplicationScoped
public class ProcessingExecutor {

  static final String MANAGED_EXECUTOR = "java:comp/DefaultManagedExecutorService";
  private static final Logger LOG = Logger.getLogger(ProcessingExecutor.class.getName());

  @Inject Settings settings;
  @Inject ProcessorMetrics metrics;

  private final AtomicInteger waiting = new AtomicInteger();
  private ExecutorService executor;
  private boolean owned;

  @PostConstruct
  void start() {
    String dedicated = settings.require(Setting.TOPIC_PROCESSOR_MANAGED_EXECUTOR);
    String found = dedicated;
    ExecutorService managed = lookup(dedicated);
    if (managed == null) {
      found = MANAGED_EXECUTOR;
      managed = lookup(MANAGED_EXECUTOR);
    }
    if (managed != null) {
      executor = managed;
      owned = false;
      LOG.info("processing on the container's managed executor " + found);
    } else {
      int workers = settings.integer(Setting.TOPIC_PROCESSOR_WORKERS, 1, 1024);
      executor =
          new ThreadPoolExecutor(
              workers,
              workers,
              0,
              TimeUnit.MILLISECONDS,
              new LinkedBlockingQueue<>(),
              DaemonThreads.numbered("topic-processor-worker"));
      owned = true;
      LOG.info("processing on " + workers + " worker threads of the application's own");
    }
    metrics.queueDepth(waiting::get);
  }

  /**
   * Hands work over. How much work waits is bounded by the caller: {@link Dispatcher} holds at most
   * {@code TOPIC_PROCESSOR_QUEUE_CAPACITY} events in memory.
   *
   * @throws RejectedExecutionException when the executor is stopping (or a managed one refuses)
   */
  public void submit(Runnable work) {
    waiting.incrementAndGet();
    try {
      executor.execute(
          () -> {
            waiting.decrementAndGet();
            try {
              work.run();
            } finally {
              if (!owned) {
                // The managed executor's threads are the server's and outlive an undeploy:
                // what gRPC's Netty kept on one (its thread-local map) would keep this
                // application's class loader.
                NettyThreadLocals.clear();
              }
            }
          });
    } catch (RejectedExecutionException e) {
      waiting.decrementAndGet();
      throw e;
    }
  }

  public int waiting() {
    return waiting.get();
  }

  /** Lets queued and running work finish for a while, then stops the application's own pool. */
  @PreDestroy
  void stop() {
    if (!owned) {
      return; // a managed executor belongs to the container
    }
    executor.shutdown();
    try {
      if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warning(
            "undeploy: " + executor.shutdownNow().size() + " queued events were not processed");
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private static ExecutorService lookup(String name) {
    try {
      Object found = new InitialContext().lookup(name);
      return found instanceof ExecutorService service ? service : null;
    } catch (NamingException | RuntimeException e) {
      return null;
    }
  }
}
