package dev.topicprocessor.bench.peer;

import dev.topicprocessor.localmomento.client.LocalMomentoConnection;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import momento.sdk.TopicClient;
import momento.sdk.config.TopicConfigurations;

/**
 * The plain Jakarta peer's application: one {@link SeedResource} and one TopicClient for the
 * deployment, connected to the Local Momento named by the same system properties the processor
 * reads ({@code MOMENTO_LOCAL_ENDPOINT}, {@code LOCAL_MOMENTO_ENDPOINT}), accepting the benchmark's
 * own signed events ({@code BENCH_JAKARTA_PEER_EVENTS_SECRET}) and its webhook's deliveries ({@code
 * BENCH_JAKARTA_PEER_WEBHOOK_SECRET}), with the processor's client configuration.
 */
@ApplicationPath("/")
public class SeedApplication extends Application {

  private Set<Object> singletons;

  @Override
  public synchronized Set<Object> getSingletons() {
    if (singletons == null) {
      singletons = Set.of(resource());
    }
    return singletons;
  }

  private static SeedResource resource() {
    String[] at = System.getProperty("MOMENTO_LOCAL_ENDPOINT").split(":");
    LocalMomentoConnection connection =
        LocalMomentoConnection.connect(
            System.getProperty("LOCAL_MOMENTO_ENDPOINT"), at[0], Integer.parseInt(at[1]));
    TopicClient client =
        connection.topicClient(
            TopicConfigurations.InRegion.latest().withTimeout(Duration.ofSeconds(5)));
    // The benchmark's signed events, and Local Momento's deliveries to the peer's webhook.
    List<String> secrets =
        List.of(
            System.getProperty("BENCH_JAKARTA_PEER_EVENTS_SECRET"),
            System.getProperty("BENCH_JAKARTA_PEER_WEBHOOK_SECRET"));
    return new SeedResource(client, secrets);
  }
}
