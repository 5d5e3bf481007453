package dev.topicprocessor.support;

import jakarta.enterprise.concurrent.ContextService;
import java.util.concurrent.Executor;

/**
 * An executor that runs work on the calling thread in the context a {@code ContextService} captured
 * when it was made. Apart from {@link DeploymentContext} so that its Jakarta Concurrency types are
 * loaded only where the server has them.
 */
final class ContextServiceExecutor {

  private ContextServiceExecutor() {}

  static Executor of(Object service) {
    Executor direct = Runnable::run;
    return ((ContextService) service).createContextualProxy(direct, Executor.class);
  }
}
