package dev.topicprocessor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.topicprocessor.localmomento.SdkSubscriber;
import dev.topicprocessor.localmomento.client.LocalMomentoConnection;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import momento.sdk.TopicClient;
import momento.sdk.config.TopicConfigurations;
import momento.sdk.responses.topic.TopicPublishResponse;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Local mode as {@code mvn package cargo:run} runs it: Local Momento inside the application. The
 * packaged WAR is deployed under another name with {@code env-entry} settings in its {@code
 * web.xml} (JNDI wins over the test server's system properties) that ask for that mode.
 */
@ExtendWith(LocalMomentoForTests.class)
@ExtendWith(ArquillianExtension.class)
class EmbeddedModeIT {

  static final String ENDPOINT = "embedded.momento.localhost";
  static final int TLS_PORT = 19543;

  @Deployment(testable = false)
  static WebArchive war() throws Exception {
    return Deployments.embeddedModeWar("topic-processor-embedded.war", ENDPOINT, TLS_PORT);
  }

  @ArquillianResource URL base;

  @Test
  void localMomentoRunsInsideTheApplicationAndTheSeedFlowWorks() throws Exception {
    assertEquals(
        "LOCAL_EMBEDDED", Http.json(new Http(base).get("api/health")).get("mode").asText());
    try (LocalMomentoConnection local =
            LocalMomentoConnection.connect(ENDPOINT, "127.0.0.1", TLS_PORT);
        TopicClient client = local.topicClient(TopicConfigurations.Laptop.latest());
        SdkSubscriber subscriber = SdkSubscriber.subscribe(client, "default-cache", "topic 2")) {
      TopicPublishResponse published = client.publish("default-cache", "topic 1", "hello").join();
      assertInstanceOf(TopicPublishResponse.Success.class, published, published::toString);
      assertEquals(List.of("HELLO"), subscriber.next(1, Duration.ofSeconds(15)));
      // The caches the routes name were created in the embedded Local Momento.
      assertInstanceOf(
          TopicPublishResponse.Success.class, client.publish("other-cache", "t", "x").join());
    }
  }
}
