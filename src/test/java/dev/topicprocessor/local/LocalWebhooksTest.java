package dev.topicprocessor.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topicprocessor.localmomento.LocalMomento;
import dev.topicprocessor.localmomento.LocalMomentoConfig;
import dev.topicprocessor.localmomento.client.LocalMomentoAdmin;
import dev.topicprocessor.localmomento.client.LocalMomentoConnection;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Local mode's webhooks, against a real Local Momento. */
class LocalWebhooksTest {

  private static final URI HERE = URI.create("http://127.0.0.1:9/topic-processor/api/webhooks");
  private static final URI ELSEWHERE = URI.create("http://127.0.0.1:9/elsewhere");

  @Test
  void aNamedWebhookThatExistedIsPointedHereKeepsItsSecretAndIsLeftAtUndeploy() throws Exception {
    try (LocalMomento momento = LocalMomento.start(LocalMomentoConfig.ephemeral());
        LocalMomentoConnection connection = momento.connection()) {
      String theirs;
      try (LocalMomentoAdmin admin = connection.admin()) {
        theirs = admin.putWebhook("default-cache", "orders-hook", "orders", ELSEWHERE);
      }
      LocalWebhooks webhooks = new LocalWebhooks();
      List<LocalWebhooks.Registration> made =
          webhooks.register(
              connection,
              List.of(
                  new LocalWebhooks.InboundTopic("default-cache", "orders", "orders-hook"),
                  new LocalWebhooks.InboundTopic("default-cache", "topic 1")),
              List.of("default-cache"),
              HERE);
      assertEquals(2, made.size());
      assertEquals(theirs, made.get(0).secret(), "pointed here, the secret kept");
      assertEquals("topic-processor.topic_1", made.get(1).name());

      List<LocalWebhooks.Registration> deleted = webhooks.unregister(connection);
      assertEquals(List.of(made.get(1)), deleted, "only the webhook it made");
      try (LocalMomentoAdmin admin = connection.admin()) {
        assertTrue(admin.hasWebhook("default-cache", "orders-hook"));
        assertFalse(admin.hasWebhook("default-cache", "topic-processor.topic_1"));
        assertEquals(theirs, admin.webhookSecret("default-cache", "orders-hook"));
      }
    }
  }

  @Test
  void aNamedWebhookThatDidNotExistIsMadeAndDeletedAtUndeploy() throws Exception {
    try (LocalMomento momento = LocalMomento.start(LocalMomentoConfig.ephemeral());
        LocalMomentoConnection connection = momento.connection()) {
      LocalWebhooks webhooks = new LocalWebhooks();
      webhooks.register(
          connection,
          List.of(new LocalWebhooks.InboundTopic("default-cache", "orders", "orders-hook")),
          List.of("default-cache"),
          HERE);
      assertEquals(1, webhooks.unregister(connection).size());
      try (LocalMomentoAdmin admin = connection.admin()) {
        assertFalse(admin.hasWebhook("default-cache", "orders-hook"));
      }
    }
  }
}
