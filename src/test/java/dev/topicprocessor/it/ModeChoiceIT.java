package dev.topicprocessor.it;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topicprocessor.momento.WebhookSignature;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Local mode is never chosen by accident: a deployment with webhook secrets but no API key (an
 * operator who forgot the key, or whose key did not reach the server) is refused, naming the
 * setting, instead of running in local mode, where Momento's webhooks would be acknowledged and
 * published to Local Momento only.
 */
@ExtendWith(LocalMomentoForTests.class)
@ExtendWith(ArquillianExtension.class)
class ModeChoiceIT {

  private static final String NAME = "secrets-without-key";
  private static final String SECRET = "mode-choice-secret";

  @Deployment(name = NAME, managed = false, testable = false)
  static WebArchive secretsWithoutKey() throws Exception {
    return Deployments.withSettings(
        NAME + ".war",
        Map.of(
            "MOMENTO_WEBHOOK_SECRETS",
            SECRET,
            "TOPIC_PROCESSOR_DATA_DIR",
            Deployments.journalDir("ModeChoiceIT")));
  }

  @ArquillianResource Deployer deployer;

  @Test
  void webhookSecretsWithoutAKeyRefuseTheDeploymentAndNoWebhookIsAcknowledged() throws Exception {
    ServerLog log = ServerLog.mark();
    try {
      assertThrows(Exception.class, () -> deployer.deploy(NAME), "the deployment is refused");
      Http app =
          new Http(
              new URL(
                  "http://127.0.0.1:" + Integer.getInteger("it.tomcat.port", 18080) + "/" + NAME));
      byte[] event = Http.event("default-cache", "topic 1", "to nowhere", 0);
      HttpResponse<String> answer = app.webhook(event, WebhookSignature.sign(SECRET, event));
      assertNotEquals(2, answer.statusCode() / 100, "acknowledged: " + answer.statusCode());
      List<String> lines = log.linesSince();
      assertTrue(
          lines.stream()
              .anyMatch(
                  line ->
                      line.contains(
                          "setting MOMENTO_API_KEY is required: MOMENTO_WEBHOOK_SECRETS is set")),
          "the server's log names the setting: " + String.join("\n", lines));
      assertTrue(
          lines.stream().noneMatch(line -> line.contains(SECRET)), "the secret is not logged");
      assertTrue(
          lines.stream().noneMatch(line -> line.contains("LOCAL MODE")), "no local mode started");
    } finally {
      try {
        deployer.undeploy(NAME);
      } catch (RuntimeException e) {
        // nothing was deployed
      }
    }
  }
}
