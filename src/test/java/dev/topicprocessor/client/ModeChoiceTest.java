package dev.topicprocessor.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topicprocessor.config.InvalidSettingException;
import dev.topicprocessor.config.Settings;
import dev.topicprocessor.momento.ApiKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModeChoiceTest {

  static final String V2_KEY =
      "eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9.eyJ0IjoiZyIsImp0aSI6InNvbWUtaWQifQ."
          + "GMr9nA6HE0ttB6llXct_2Sg5-fOKGFbJCdACZFgNbN1fhT6OPg_hVc8ThGzBrWC_RlsBpLA1nzqK3SOJDXYxAw";

  private static Settings environment(Map<String, String> values) {
    return new Settings(name -> null, name -> null, values::get);
  }

  @Test
  void noMomentoSettingIsLocalMode() {
    assertEquals(Optional.empty(), ModeChoice.momentoKey(environment(Map.of())));
  }

  @Test
  void aV2KeyWithItsEndpointIsMomentoMode() {
    Optional<ApiKey> key =
        ModeChoice.momentoKey(
            environment(
                Map.of(
                    "MOMENTO_API_KEY",
                    V2_KEY,
                    "MOMENTO_ENDPOINT",
                    "cell-1-us-east-1-1.prod.a.momentohq.com")));
    assertTrue(key.isPresent());
    assertEquals(ApiKey.Kind.V2, key.get().kind());
    assertEquals("cache.cell-1-us-east-1-1.prod.a.momentohq.com", key.get().cacheEndpoint());
  }

  @Test
  void aV2KeyWithoutItsEndpointStopsTheDeploymentNamingTheEndpointSetting() {
    InvalidSettingException e =
        assertThrows(
            InvalidSettingException.class,
            () -> ModeChoice.momentoKey(environment(Map.of("MOMENTO_API_KEY", V2_KEY))));
    assertTrue(e.getMessage().startsWith("setting MOMENTO_ENDPOINT "), e.getMessage());
    assertFalse(e.getMessage().contains(V2_KEY.substring(40)), e.getMessage());
  }

  @Test
  void aMalformedKeyStopsTheDeploymentNamingTheKeySettingWithoutQuotingIt() {
    String key = "sk_live_0123456789abcdef";
    InvalidSettingException e =
        assertThrows(
            InvalidSettingException.class,
            () -> ModeChoice.momentoKey(environment(Map.of("MOMENTO_API_KEY", key))));
    assertTrue(e.getMessage().startsWith("setting MOMENTO_API_KEY "), e.getMessage());
    assertFalse(e.getMessage().contains(key), e.getMessage());
  }

  @Test
  void anEndpointWithoutAKeyIsNeverLocalMode() {
    InvalidSettingException e =
        assertThrows(
            InvalidSettingException.class,
            () ->
                ModeChoice.momentoKey(
                    environment(Map.of("MOMENTO_ENDPOINT", "cell-1.prod.a.momentohq.com"))));
    assertTrue(e.getMessage().startsWith("setting MOMENTO_API_KEY is required"), e.getMessage());
  }

  @Test
  void webhookSecretsWithoutAKeyAreNeverLocalMode() {
    for (String setting : List.of("MOMENTO_WEBHOOK_SECRETS", "MOMENTO_WEBHOOK_SECRETS_FILE")) {
      InvalidSettingException e =
          assertThrows(
              InvalidSettingException.class,
              () -> ModeChoice.momentoKey(environment(Map.of(setting, "s3cr3t-value"))));
      assertTrue(e.getMessage().startsWith("setting MOMENTO_API_KEY is required"), e.getMessage());
      assertTrue(e.getMessage().contains(setting + " is set"), e.getMessage());
      assertFalse(e.getMessage().contains("s3cr3t-value"), e.getMessage());
    }
  }
}
