package dev.topicprocessor.support;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Jackson as the whole application uses it: every factory and mapper is built here. Their buffers
 * are pooled in one pool of this application, not in a thread-local of each thread that parses or
 * writes JSON (Jackson's default): those threads are the server's (request threads), which outlive
 * an undeploy, and a recycled buffer left on one of them kept this application's class loader and
 * all its classes (WildFly, whose request threads are never renewed, kept one per redeploy).
 */
public final class Json {

  private Json() {}

  /** A factory builder with the application's buffer pool, to add constraints or features to. */
  public static JsonFactoryBuilder factoryBuilder() {
    JsonFactoryBuilder builder = new JsonFactoryBuilder();
    builder.recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool());
    return builder;
  }

  /** A factory with the application's buffer pool and Jackson's defaults otherwise. */
  public static JsonFactory factory() {
    return factoryBuilder().build();
  }

  /** A mapper with Jackson's defaults, on the application's buffer pool. */
  public static ObjectMapper mapper() {
    return JsonMapper.builder(factory()).build();
  }
}
