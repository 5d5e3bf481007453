package dev.topicprocessor.support;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTest {

  /**
   * Jackson's default pool keeps a buffer in a thread-local of every thread that used it: the
   * server's request threads, which outlive an undeploy (RedeployIT sees the class loader stay).
   */
  @Test
  void buffersArePooledByTheApplicationNotLeftOnTheThread() {
    for (JsonFactory factory :
        List.of(Json.factory(), Json.mapper().getFactory(), Json.factoryBuilder().build())) {
      assertFalse(factory._getRecyclerPool() instanceof JsonRecyclerPools.ThreadLocalPool);
      assertSame(JsonRecyclerPools.sharedConcurrentDequePool(), factory._getRecyclerPool());
    }
  }
}
