package dev.topicprocessor.support;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads of the application's own, named so that a thread dump (and RedeployIT) can tell them
 * apart; daemons, so that none keeps a JVM alive. Whoever makes them stops them at undeploy.
 */
public final class DaemonThreads {

  private DaemonThreads() {}

  /** Threads all called {@code name}: for single-thread executors. */
  public static ThreadFactory named(String name) {
    return r -> daemon(new Thread(r, name));
  }

  /** Threads called {@code prefix-1}, {@code prefix-2}, …: for pools. */
  public static ThreadFactory numbered(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return r -> daemon(new Thread(r, prefix + "-" + count.incrementAndGet()));
  }

  private static Thread daemon(Thread thread) {
    thread.setDaemon(true);
    return thread;
  }
}
