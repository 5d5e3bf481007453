package dev.topicprocessor.it;

import dev.topicprocessor.localmomento.LocalMomento;
import dev.topicprocessor.localmomento.LocalMomentoConfig;
import dev.topicprocessor.localmomento.client.LocalMomentoConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import momento.sdk.TopicClient;
import momento.sdk.config.TopicConfigurations;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The Local Momento the deployed processor talks to (its {@code MOMENTO_LOCAL_ENDPOINT}), running
 * in the test JVM so that tests can publish, subscribe, read its counters and inject faults. It
 * starts before Arquillian deploys (declare this extension first) and lives as long as the JVM.
 */
public final class LocalMomentoForTests implements BeforeAllCallback {

  public static final String ENDPOINT = "it.momento.localhost";

  private static LocalMomento momento;
  private static LocalMomentoConnection connection;
  private static TopicClient client;

  @Override
  public void beforeAll(ExtensionContext context) {
    start();
  }

  static synchronized LocalMomento momento() {
    start();
    return momento;
  }

  /** A TopicClient of the tests' own, over TLS, as any Java SDK 1.21.0 user would have. */
  static synchronized TopicClient client() {
    start();
    return client;
  }

  private static void start() {
    if (momento != null) {
      return;
    }
    LocalMomentoConfig config =
        LocalMomentoConfig.defaults()
            .withEndpoint(ENDPOINT)
            .withPorts(
                Integer.getInteger("it.local-momento.plaintext.port", 19080),
                Integer.getInteger("it.local-momento.tls.port", 19443))
            .withCaches(List.of("default-cache", "other-cache", "sinks"));
    try {
      momento = LocalMomento.start(config);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the tests' Local Momento", e);
    }
    connection = momento.connection();
    client = connection.topicClient(TopicConfigurations.Laptop.latest());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  client.close();
                  momento.close();
                }));
  }
}
