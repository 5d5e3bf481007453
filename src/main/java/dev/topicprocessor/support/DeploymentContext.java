package dev.topicprocessor.support;

import java.util.concurrent.Executor;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Runs work in the context of the thread that deployed the application, where its JNDI names
 * ({@code java:comp/env/…}, {@code java:app/…}) resolve: for work asked for later from a thread of
 * the server's own, such as a JMX call. Where the server has Jakarta Concurrency (WildFly), through
 * its default {@code ContextService}, which carries the naming context over; elsewhere (Tomcat,
 * which finds an application's names by its class loader) with the application's class loader as
 * the thread's context class loader.
 */
public final class DeploymentContext {

  private static final Logger LOG = Logger.getLogger(DeploymentContext.class.getName());
  static final String CONTEXT_SERVICE = "java:comp/DefaultContextService";

  private final ClassLoader loader;
  private final Executor contextual;

  private DeploymentContext(ClassLoader loader, Executor contextual) {
    this.loader = loader;
    this.contextual = contextual;
  }

  /** The context of the calling thread: call it on the thread that deploys the application. */
  public static DeploymentContext capture() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    Object service;
    try {
      service = new InitialContext().lookup(CONTEXT_SERVICE);
    } catch (NamingException | RuntimeException e) {
      return new DeploymentContext(loader, null); // no Jakarta Concurrency here (Tomcat)
    }
    try {
      return new DeploymentContext(loader, ContextServiceExecutor.of(service));
    } catch (RuntimeException | LinkageError e) {
      LOG.fine(() -> CONTEXT_SERVICE + " cannot carry the context over: " + e);
      return new DeploymentContext(loader, null);
    }
  }

  /** Runs {@code work} now, on the calling thread, in the deployment's context. */
  public void run(Runnable work) {
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      if (contextual != null) {
        contextual.execute(work);
      } else {
        work.run();
      }
    } finally {
      thread.setContextClassLoader(before);
    }
  }
}
