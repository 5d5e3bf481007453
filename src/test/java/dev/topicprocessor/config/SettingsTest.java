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
  void theStartLogShowsTheJournalUrlWithoutWhatMayHoldAPassword() {
    Settings cut =
        new Settings(
            name -> null,
            Map.of(
                    "TOPIC_PROCESSOR_JOURNAL_URL",
                    "jdbc:postgresql://tp:url-password-1@db.example:5432/tp?password=url-password-2"
                        + "&ssl=true",
                    "MOMENTO_API_KEY",
                    "key-secret-3")
                ::get,
            name -> null);
    List<String> lines = new java.util.ArrayList<>();
    java.util.logging.Logger log = java.util.logging.Logger.getLogger(Settings.class.getName());
    java.util.logging.Handler capture =
        new java.util.logging.Handler() {
          @Override
          public void publish(java.util.logging.LogRecord record) {
            lines.add(record.getMessage());
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    log.addHandler(capture);
    try {
      cut.log();
    } finally {
      log.removeHandler(capture);
    }
    String text = String.join("\n", lines);
    assertTrue(
        text.contains("TOPIC_PROCESSOR_JOURNAL_URL = 'jdbc:postgresql://db.example:5432/tp'"),
        text);
    for (String secret : List.of("url-password-1", "url-password-2", "key-secret-3")) {
      assertFalse(text.contains(secret), secret + " in " + text);
    }
  }

  @Test
  void jdbcUrlsAreShownWithoutParametersOrUserInfo() {
    assertEquals(
        "jdbc:postgresql://db:5432/tp",
        JdbcUrls.withoutCredentials("jdbc:postgresql://db:5432/tp?user=a&password=b"));
    assertEquals(
        "jdbc:h2:file:/var/tp/journal",
        JdbcUrls.withoutCredentials("jdbc:h2:file:/var/tp/journal;USER=a;PASSWORD=b"));
    assertEquals("jdbc:mysql://db/tp", JdbcUrls.withoutCredentials("jdbc:mysql://a:b@db/tp"));
    assertEquals("jdbc:postgresql://db/tp", JdbcUrls.withoutCredentials("jdbc:postgresql://db/tp"));
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
