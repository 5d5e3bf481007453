package dev.topicprocessor.sink;

import dev.topicprocessor.support.DaemonThreads;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Threads of a sink's own for an API that blocks (JDBC, Jakarta Messaging), so that {@link
 * Sink#deliver} never blocks its caller. How many run at once is bounded by each destination's
 * limit on deliveries under way.
 */
public final class BlockingDeliveries implements AutoCloseable {

  private final ExecutorService executor;

  public BlockingDeliveries(String threadName) {
    executor = Executors.newCachedThreadPool(DaemonThreads.named(threadName));
  }

  /** Runs one attempt on these threads; once closed, a failure worth retrying. */
  public CompletableFuture<SinkResult> run(Supplier<SinkResult> attempt) {
    try {
      return CompletableFuture.supplyAsync(attempt, executor);
    } catch (RejectedExecutionException stopping) {
      return CompletableFuture.completedFuture(
          new SinkResult.Failed("stopping", "the application is stopping", true));
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
