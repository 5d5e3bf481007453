package dev.topicprocessor.it;

import dev.topicprocessor.localmomento.LocalMomento;
import dev.topicprocessor.localmomento.LocalMomentoConfig;
import dev.topicprocessor.localmomento.client.LocalMomentoAdmin;
import dev.topicprocessor.localmomento.client.LocalMomentoConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
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

  /**
   * The webhook the seed route of the tests' routes names ({@code "webhook": "it-hook"}), made here
   * as a Momento user makes it in the console, before any deployment: the tests sign the webhooks
   * they send themselves with its secret ({@link #webhookSecret()}), read from Local Momento.
   */
  public static final String WEBHOOK = "it-hook";

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

  /** The current secret of {@link #WEBHOOK}, as Momento's GetWebhookSecret gives it. */
  static synchronized String webhookSecret() {
    start();
    try (LocalMomentoAdmin admin = connection.admin()) {
      return admin.webhookSecret("default-cache", WEBHOOK);
    }
  }

  /** Rotates the secret of {@link #WEBHOOK} at once, as Momento's RotateWebhookSecret does. */
  static synchronized String rotateWebhookSecret() {
    start();
    try (LocalMomentoAdmin admin = connection.admin()) {
      return admin.rotateWebhookSecret("default-cache", WEBHOOK);
    }
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
    try (LocalMomentoAdmin admin = connection.admin()) {
      admin.putWebhook(
          "default-cache",
          WEBHOOK,
          "topic 1",
          URI.create(
              "http://127.0.0.1:"
                  + Integer.getInteger("it.tomcat.port", 18080)
                  + "/topic-processor/api/webhooks/momento"));
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  client.close();
                  momento.close();
                }));
  }
}
