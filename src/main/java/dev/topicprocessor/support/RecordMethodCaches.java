package dev.topicprocessor.support;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.runtime.ObjectMethods;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * On JDK 17, a record's {@code equals}, {@code hashCode} and {@code toString} are made by {@link
 * ObjectMethods}, which adapts method handles of its own (static, so the server's) to the record's
 * class; each such handle keeps its last adaptation, and with it the class loader of the last
 * record made so, until another record replaces it (JDK 19 made that cache soft). After an
 * undeploy, that is this application's class loader, with all its classes. {@link #release()} makes
 * the same methods for a class of the JDK, so the handles let go of the application's.
 */
public final class RecordMethodCaches {

  private static final Logger LOG = Logger.getLogger(RecordMethodCaches.class.getName());

  private RecordMethodCaches() {}

  /** Call last at undeploy, once no record of the application will be made again. */
  public static void release() {
    MethodHandles.Lookup lookup = MethodHandles.lookup();
    MethodHandle[] none = new MethodHandle[0];
    try {
      ObjectMethods.bootstrap(
          lookup, "equals", equalsType(), String.class, "", none); // (String, Object)boolean
      ObjectMethods.bootstrap(
          lookup,
          "hashCode",
          MethodType.methodType(int.class, String.class),
          String.class,
          "",
          none);
      ObjectMethods.bootstrap(
          lookup,
          "toString",
          MethodType.methodType(String.class, String.class),
          String.class,
          "",
          none);
    } catch (Throwable e) {
      LOG.log(Level.FINE, "the JDK's record method caches were not released", e);
    }
  }

  private static MethodType equalsType() {
    return MethodType.methodType(boolean.class, String.class, Object.class);
  }
}
