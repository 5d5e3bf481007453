package dev.topicprocessor.config;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * The processor's configuration, read once at start from JNDI, system properties and the
 * environment (see {@link Setting}). Values are checked here, so that a bad one stops the
 * deployment with a message naming it.
 */
@ApplicationScoped
public class Settings {

  private static final Logger LOG = Logger.getLogger(Settings.class.getName());

  private final Map<Setting, String> values = new EnumMap<>(Setting.class);
  private final Map<Setting, String> sources = new EnumMap<>(Setting.class);
  private final Function<String, String> jndi;
  private final Function<String, String> systemProperties;
  private final Function<String, String> environment;

  public Settings() {
    this(Settings::fromJndi, System::getProperty, System::getenv);
  }

  /** For tests: the three sources, most specific first. */
  public Settings(
      Function<String, String> jndi,
      Function<String, String> systemProperties,
      Function<String, String> environment) {
    this.jndi = jndi;
    this.systemProperties = systemProperties;
    this.environment = environment;
    for (Setting setting : Setting.values()) {
      String name = setting.name();
      String value;
      if ((value = blankToNull(jndi.apply(name))) != null) {
        sources.put(setting, "JNDI");
      } else if ((value = blankToNull(systemProperties.apply(name))) != null) {
        sources.put(setting, "system property");
      } else if ((value = blankToNull(environment.apply(name))) != null) {
        sources.put(setting, "environment");
      } else {
        value = setting.defaultValue();
        sources.put(setting, "default");
      }
      if (value != null) {
        values.put(setting, value.trim());
      }
    }
  }

  public Optional<String> get(Setting setting) {
    return Optional.ofNullable(values.get(setting));
  }

  /**
   * The setting read again from its sources, for the few that a reload takes up (a JNDI entry can
   * change while the application runs); the value read at start is not changed.
   */
  public Optional<String> reread(Setting setting) {
    String name = setting.name();
    for (Function<String, String> source : List.of(jndi, systemProperties, environment)) {
      String value = blankToNull(source.apply(name));
      if (value != null) {
        return Optional.of(value.trim());
      }
    }
    return Optional.ofNullable(setting.defaultValue());
  }

  public String require(Setting setting) {
    return get(setting)
        .orElseThrow(() -> new InvalidSettingException(setting, "is required but not set"));
  }

  public int integer(Setting setting, int min, int max) {
    String value = require(setting);
    try {
      int number = Integer.parseInt(value);
      if (number < min || number > max) {
        throw new InvalidSettingException(
            setting, "must be between " + min + " and " + max + ", got " + number);
      }
      return number;
    } catch (NumberFormatException e) {
      throw new InvalidSettingException(setting, "must be a whole number, got '" + value + "'");
    }
  }

  /** A comma-separated list, blanks dropped. */
  public List<String> list(Setting setting) {
    return get(setting).stream()
        .flatMap(v -> Arrays.stream(v.split(",")))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  /** {@code on}/{@code off} (also true/false, yes/no), or empty when unset. */
  public Optional<Boolean> flag(Setting setting) {
    return get(setting)
        .map(
            v ->
                switch (v.toLowerCase(java.util.Locale.ROOT)) {
                  case "on", "true", "yes" -> true;
                  case "off", "false", "no" -> false;
                  default ->
                      throw new InvalidSettingException(
                          setting, "must be on or off, got '" + v + "'");
                });
  }

  /** One line per setting: where its value came from; secrets only say whether they are set. */
  public void log() {
    StringBuilder text = new StringBuilder("topic-processor settings:");
    for (Setting setting : Setting.values()) {
      String value = values.get(setting);
      String shown =
          value == null
              ? "(not set)"
              : setting.secret() ? "(set, hidden)" : "'" + setting.shown(value) + "'";
      text.append("\n  ").append(setting).append(" = ").append(shown);
      text.append("  [").append(sources.get(setting)).append(']');
    }
    LOG.info(text.toString());
  }

  /** JNDI names tried for a setting: the component's environment, then a global binding. */
  static final String[] JNDI_PREFIXES = {"java:comp/env/", "java:global/topic-processor/"};

  private static String fromJndi(String name) {
    for (String prefix : JNDI_PREFIXES) {
      try {
        Object value = new InitialContext().lookup(prefix + name);
        if (value != null) {
          return value.toString();
        }
      } catch (NamingException | RuntimeException e) {
        // not bound there
      }
    }
    return null;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
