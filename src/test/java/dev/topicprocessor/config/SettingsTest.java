package dev.topicprocessor.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SettingsTest {

  @Test
  void jndiWinsOverSystemPropertiesWhichWinOverTheEnvironment() {
    Settings cut =
        new Settings(
            Map.of("TOPIC_PROCESSOR_WORKERS", "1")::get,
            Map.of("TOPIC_PROCESSOR_WORKERS", "2", "TOPIC_PROCESSOR_QUEUE_CAPACITY", "3")::get,
            Map.of(
                    "TOPIC_PROCESSOR_WORKERS", "4",
                    "TOPIC_PROCESSOR_QUEUE_CAPACITY", "5",
                    "TOPIC_PROCESSOR_FRESHNESS_SECONDS", "6")
                ::get);
    assertEquals(1, cut.integer(Setting.TOPIC_PROCESSOR_WORKERS, 1, 10));
    assertEquals(3, cut.integer(Setting.TOPIC_PROCESSOR_QUEUE_CAPACITY, 1, 10));
    assertEquals(6, cut.integer(Setting.TOPIC_PROCESSOR_FRESHNESS_SECONDS, 1, 10));
    assertEquals(3, cut.integer(Setting.TOPIC_PROCESSOR_PUBLISH_MAX_ATTEMPTS, 1, 10)); // default
    assertEquals(Optional.empty(), cut.get(Setting.MOMENTO_API_KEY));
  }

  @Test
  void badValuesNameTheSettingButNeverASecret() {
    Settings cut =
        new Settings(
            name -> null,
            Map.of("TOPIC_PROCESSOR_WORKERS", "many", "TOPIC_PROCESSOR_CONSOLE", "maybe")::get,
            name -> null);
    InvalidSettingException e =
        assertThrows(
            InvalidSettingException.class,
            () -> cut.integer(Setting.TOPIC_PROCESSOR_WORKERS, 1, 9));
    assertTrue(e.getMessage().contains("TOPIC_PROCESSOR_WORKERS"));
    assertThrows(InvalidSettingException.class, () -> cut.flag(Setting.TOPIC_PROCESSOR_CONSOLE));
  }

  @Test
  void listsAreCommaSeparated() {
    Settings cut =
        new Settings(
            name -> null, Map.of("MOMENTO_WEBHOOK_SECRETS", " a, b ,,c ")::get, name -> null);
    assertEquals(List.of("a", "b", "c"), cut.list(Setting.MOMENTO_WEBHOOK_SECRETS));
  }

  @Test
  void theReadmeDocumentsEverySetting() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    for (Setting setting : Setting.values()) {
      assertTrue(readme.contains("`" + setting.name() + "`"), setting + " in README.md");
    }
    assertFalse(readme.isBlank());
  }
}
