package dev.topicprocessor.support;

import java.util.List;
import java.util.logging.Logger;

/**
 * Keeps this application's gRPC (the Netty inside {@code grpc-netty-shaded}) off Netty's native
 * libraries, the epoll transport and netty-tcnative's OpenSSL. Each deployment would load its own
 * copy of each, and their JNI global references to the application's classes are never released: a
 * library cannot be unloaded before its class loader is collected, and the references keep the
 * loader alive. Every undeploy would then leave the application's class loader behind, with its
 * thousands of classes (RedeployIT counts them). Java's NIO transport and its own TLS serve
 * instead.
 *
 * <p>Netty decides once, when its {@code Epoll} and {@code OpenSsl} classes are initialised, by a
 * system property. Those classes are this application's own, so the properties are set only while
 * they are initialised here, and put back as they were: other applications of the server are not
 * affected.
 */
public final class NettyNativeLibraries {

  private static final Logger LOG = Logger.getLogger(NettyNativeLibraries.class.getName());

  private static final String SHADED = "io.grpc.netty.shaded.";

  /** Each class that loads a native library when initialised, and the property that stops it. */
  private static final List<String[]> DECIDERS =
      List.of(
          new String[] {"io.netty.channel.epoll.Epoll", "io.netty.transport.noNative"},
          new String[] {"io.netty.handler.ssl.OpenSsl", "io.netty.handler.ssl.noOpenSsl"});

  private NettyNativeLibraries() {}

  /** Initialises Netty's deciding classes with their native libraries off; before any gRPC use. */
  public static synchronized void keepOff() {
    ClassLoader loader = NettyNativeLibraries.class.getClassLoader();
    for (String[] decider : DECIDERS) {
      String property = SHADED + decider[1];
      String before = System.getProperty(property);
      System.setProperty(property, "true");
      try {
        Class.forName(SHADED + decider[0], true, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        LOG.fine(() -> decider[0] + " is not there: " + e);
      } finally {
        if (before == null) {
          System.clearProperty(property);
        } else {
          System.setProperty(property, before);
        }
      }
    }
  }
}
