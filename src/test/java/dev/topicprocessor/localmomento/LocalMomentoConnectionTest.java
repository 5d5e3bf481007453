package dev.topicprocessor.localmomento;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.topicprocessor.localmomento.client.LocalMomentoConnection;
import java.util.concurrent.CompletableFuture;
import momento.sdk.TopicClient;
import momento.sdk.config.TopicConfigurations;
import momento.sdk.responses.topic.TopicPublishResponse;
import org.junit.jupiter.api.Test;

/** Connections to several Local Momentos in one JVM, made at the same moment, all work. */
class LocalMomentoConnectionTest {

  @Test
  void twoConnectionsMadeAtOnceBothTrustTheirServer() throws Exception {
    // Before LocalTrust loaded the new trust under its lock, about one round in eight failed
    // the TLS handshake (PKIX) on one side.
    for (int round = 0; round < 8; round++) {
      try (LocalMomento a = start("a" + round);
          LocalMomento b = start("b" + round)) {
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> publishThrough(a));
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> publishThrough(b));
        first.join();
        second.join();
      }
    }
  }

  private static LocalMomento start(String name) throws Exception {
    return LocalMomento.start(
        LocalMomentoConfig.ephemeral().withEndpoint(name + ".connection-test.localhost"));
  }

  private static void publishThrough(LocalMomento momento) {
    try (LocalMomentoConnection connection = momento.connection();
        TopicClient client = connection.topicClient(TopicConfigurations.Laptop.latest())) {
      TopicPublishResponse response = client.publish("default-cache", "t", "x").join();
      assertInstanceOf(TopicPublishResponse.Success.class, response, response::toString);
    }
  }
}
