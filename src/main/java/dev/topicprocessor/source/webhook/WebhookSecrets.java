package dev.topicprocessor.source.webhook;

import dev.topicprocessor.config.Setting;
import dev.topicprocessor.config.Settings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The secrets a webhook signature may be made with: those configured in {@link
 * Setting#MOMENTO_WEBHOOK_SECRETS} (several during a rotation) and, in local mode, those of the
 * webhooks the processor registered itself.
 */
@ApplicationScoped
public class WebhookSecrets {

  private final List<String> secrets = new CopyOnWriteArrayList<>();

  protected WebhookSecrets() {}

  @Inject
  public WebhookSecrets(Settings settings) {
    secrets.addAll(settings.list(Setting.MOMENTO_WEBHOOK_SECRETS));
  }

  public void add(String secret) {
    if (!secrets.contains(secret)) {
      secrets.add(secret);
    }
  }

  public void remove(String secret) {
    secrets.remove(secret);
  }

  public List<String> all() {
    return secrets;
  }

  public boolean isEmpty() {
    return secrets.isEmpty();
  }
}
