package dev.topicprocessor.support;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A JDK {@link HttpClient} on named daemon threads of its own, made on first use: on JDK 17 a
 * client cannot be closed and its selector thread outlives an undeploy until it is collected, so
 * only an application that sends HTTP has one. {@link #close()} stops its threads.
 */
public final class LazyHttpClient implements AutoCloseable {

  private final String threadName;
  private final HttpClient.Redirect redirects;
  private ExecutorService executor;
  private HttpClient client;

  /**
   * @param threadName names its threads
   */
  public LazyHttpClient(String threadName, HttpClient.Redirect redirects) {
    this.threadName = threadName;
    this.redirects = redirects;
  }

  public synchronized HttpClient get() {
    if (client == null) {
      executor = Executors.newCachedThreadPool(DaemonThreads.named(threadName));
      client =
          HttpClient.newBuilder()
              .executor(executor)
              .connectTimeout(Duration.ofSeconds(5))
              .followRedirects(redirects)
              .build();
    }
    return client;
  }

  @Override
  public synchronized void close() {
    if (executor != null) {
      executor.shutdownNow();
    }
    client = null;
  }
}
