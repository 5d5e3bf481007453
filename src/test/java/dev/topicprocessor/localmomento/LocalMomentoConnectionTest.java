package dev.topicprocessor.localmomento;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.topicprocessor.localmomento.client.LocalMomentoConnection;
import java.util.concurrent.CompletableFuture;
import momento.sdk.TopicClient;
import momento.sdk.config.TopicConfigurations;
import momento.sdk.responses.topic.TopicPublishResponse;
import org.junit.jupiter.api.Test;

/**
 * Connections to several Local Momentos in one JVM, made at the same moment, all work, each
 * trusting its own server's certificate in its own channels: the JVM's trust is left alone.
 */
class LocalMomentoConnectionTest {

  @Test
  void twoConnectionsMadeAtOnceBothTrustTheirServer() throws Exception {
    java.util.TimeZone.getDefault(); // the JDK sets user.timezone itself at first use
    java.util.Properties before = (java.util.Properties) System.getProperties().clone();
    // When the JVM's trust was changed for each connection, about one round in eight failed the
    // TLS handshake (PKIX) on one side.
    for (int round = 0; round < 8; round++) {
      try (LocalMomento a = start("a" + round);
          LocalMomento b = start("b" + round)) {
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> publishThrough(a));
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> publishThrough(b));
        first.join();
        second.join();
      }
    }
    java.util.Map<Object, Object> changed = new java.util.TreeMap<>();
    System.getProperties()
        .forEach(
            (name, value) -> {
              if (!value.equals(before.get(name))) {
                changed.put(name, value);
              }
            });
    assertEquals(java.util.Map.of(), changed, "JVM-wide properties set");
    assertNull(System.getProperty("javax.net.ssl.trustStore"));
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
