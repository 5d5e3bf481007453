package dev.topicprocessor.support;

import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;

/**
 * gRPC keeps its shared Netty and executor threads for about a second after the last channel
 * closes. Undeploying before they end makes them fail on classes of a closed class loader.
 */
public final class GrpcThreads {

  private static final Logger LOG = Logger.getLogger(GrpcThreads.class.getName());

  private GrpcThreads() {}

  /** Waits until no gRPC thread started from this class loader is alive, at most {@code max}. */
  public static void awaitGone(ClassLoader loader, Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    List<Thread> alive = grpcThreads(loader);
    while (!alive.isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      alive = grpcThreads(loader);
    }
    if (!alive.isEmpty()) {
      LOG.warning("gRPC threads still running after " + max.toMillis() + " ms: " + alive);
    }
  }

  private static List<Thread> grpcThreads(ClassLoader loader) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .filter(t -> t.getName().startsWith("grpc-"))
        .filter(t -> t.getContextClassLoader() == loader)
        .toList();
  }
}
