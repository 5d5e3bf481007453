package dev.topicprocessor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.topicprocessor.localmomento.SdkSubscriber;
import dev.topicprocessor.localmomento.client.LocalMomentoConnection;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import momento.sdk.TopicClient;
import momento.sdk.config.TopicConfigurations;
import momento.sdk.responses.topic.TopicPublishResponse;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
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
    WebArchive packaged = Deployments.packagedWar();
    String webXml;
    try (InputStream in = packaged.get("WEB-INF/web.xml").getAsset().openStream()) {
      webXml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String entries =
        entry("MOMENTO_LOCAL_ENDPOINT", "embedded")
            + entry("LOCAL_MOMENTO_ENDPOINT", ENDPOINT)
            + entry("LOCAL_MOMENTO_PLAINTEXT_PORT", "19180")
            + entry("LOCAL_MOMENTO_TLS_PORT", Integer.toString(TLS_PORT));
    WebArchive war =
        ShrinkWrap.create(WebArchive.class, "topic-processor-embedded.war").merge(packaged);
    war.delete("WEB-INF/web.xml");
    return war.setWebXML(new StringAsset(webXml.replace("</web-app>", entries + "</web-app>")));
  }

  /** A standard env-entry: {@code java:comp/env/<name>} on every server. */
  private static String entry(String name, String value) {
    return "  <env-entry>\n    <env-entry-name>"
        + name
        + "</env-entry-name>\n    <env-entry-type>java.lang.String</env-entry-type>\n"
        + "    <env-entry-value>"
        + value
        + "</env-entry-value>\n  </env-entry>\n";
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
