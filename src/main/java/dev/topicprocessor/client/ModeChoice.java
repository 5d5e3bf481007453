package dev.topicprocessor.client;

import dev.topicprocessor.config.InvalidSettingException;
import dev.topicprocessor.config.Setting;
import dev.topicprocessor.config.Settings;
import dev.topicprocessor.momento.ApiKey;
import dev.topicprocessor.momento.InvalidApiKeyException;
import java.util.List;
import java.util.Optional;

/**
 * Which mode the settings choose, decided before anything connects: Momento mode with a usable
 * {@code MOMENTO_API_KEY} (and {@code MOMENTO_ENDPOINT} for a v2 key); local mode when no Momento
 * setting is present ({@code MOMENTO_API_KEY}, {@code MOMENTO_ENDPOINT}, {@code
 * MOMENTO_WEBHOOK_SECRETS}, {@code MOMENTO_WEBHOOK_SECRETS_FILE}). A Momento setting without a
 * usable key stops the deployment, naming the setting, rather than falling back to local mode,
 * where webhooks from the real Momento would be acknowledged and delivered nowhere real.
 */
final class ModeChoice {

  /** Settings that only Momento mode uses: any of them means the operator meant Momento. */
  private static final List<Setting> MOMENTO_ONLY =
      List.of(
          Setting.MOMENTO_ENDPOINT,
          Setting.MOMENTO_WEBHOOK_SECRETS,
          Setting.MOMENTO_WEBHOOK_SECRETS_FILE);

  private ModeChoice() {}

  /**
   * The key to reach Momento with, or empty for local mode.
   *
   * @throws InvalidSettingException naming the setting that is wrong, never quoting the key
   */
  static Optional<ApiKey> momentoKey(Settings settings) {
    Optional<String> key = settings.get(Setting.MOMENTO_API_KEY);
    Optional<String> endpoint = settings.get(Setting.MOMENTO_ENDPOINT);
    if (key.isEmpty()) {
      for (Setting only : MOMENTO_ONLY) {
        if (settings.get(only).isPresent()) {
          throw new InvalidSettingException(
              Setting.MOMENTO_API_KEY,
              "is required: "
                  + only
                  + " is set, which only Momento mode uses. Set MOMENTO_API_KEY to the key the"
                  + " Momento console issued (with MOMENTO_ENDPOINT for a v2 key), or unset "
                  + only
                  + " for local mode, where nothing reaches the real Momento");
        }
      }
      return Optional.empty();
    }
    try {
      return Optional.of(ApiKey.parse(key.get(), endpoint));
    } catch (InvalidApiKeyException e) {
      throw new InvalidSettingException(
          e.part() == ApiKey.Part.ENDPOINT ? Setting.MOMENTO_ENDPOINT : Setting.MOMENTO_API_KEY,
          e.getMessage());
    }
  }
}
