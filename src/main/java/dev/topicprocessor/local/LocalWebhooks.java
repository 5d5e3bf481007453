package dev.topicprocessor.local;

import dev.topicprocessor.localmomento.client.LocalMomentoAdmin;
import dev.topicprocessor.localmomento.client.LocalMomentoConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Local mode's wiring, done as a Momento user would in the console: create the caches the routes
 * name, and register a webhook for each inbound topic pointing at this application. The caller adds
 * the webhooks' secrets to the accepted ones.
 */
public final class LocalWebhooks {

  /** A topic that webhooks are registered for. */
  public record InboundTopic(String cache, String topic) {}

  private static final Logger LOG = Logger.getLogger(LocalWebhooks.class.getName());

  /** A webhook this application registered. */
  record Registration(String cache, String name, String topic, String secret) {}

  private final List<Registration> registered = new ArrayList<>();

  /**
   * Creates the caches and registers one webhook per inbound topic.
   *
   * @return the secrets of the webhooks registered
   */
  List<String> register(
      LocalMomentoConnection local,
      Iterable<InboundTopic> inbound,
      Iterable<String> caches,
      URI endpoint) {
    List<String> secrets = new ArrayList<>();
    try (LocalMomentoAdmin admin = local.admin()) {
      for (String cache : caches) {
        if (admin.createCache(cache)) {
          LOG.info("local mode: created cache " + cache);
        }
      }
      for (InboundTopic route : new LinkedHashSet<>(toList(inbound))) {
        String name = webhookName(route.topic());
        String secret = admin.putWebhook(route.cache(), name, route.topic(), endpoint);
        secrets.add(secret);
        registered.add(new Registration(route.cache(), name, route.topic(), secret));
        LOG.info(
            "local mode: webhook "
                + name
                + " on "
                + route.cache()
                + "/"
                + route.topic()
                + " -> "
                + endpoint);
      }
    }
    return secrets;
  }

  /**
   * Deletes the webhooks registered at start, so Local Momento stops calling an absent URL.
   *
   * @return the secrets of the webhooks deleted
   */
  List<String> unregister(LocalMomentoConnection local) {
    List<String> secrets = new ArrayList<>();
    if (registered.isEmpty()) {
      return secrets;
    }
    try (LocalMomentoAdmin admin = local.admin()) {
      for (Registration registration : registered) {
        admin.deleteWebhook(registration.cache(), registration.name());
        secrets.add(registration.secret());
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "local mode: could not delete the webhooks registered at start", e);
    }
    registered.clear();
    return secrets;
  }

  private static <T> List<T> toList(Iterable<T> items) {
    List<T> list = new ArrayList<>();
    items.forEach(list::add);
    return list;
  }

  /** Webhook names are at most 128 characters: readable when the topic allows it. */
  static String webhookName(String topic) {
    String readable = "topic-processor." + topic.replaceAll("[^A-Za-z0-9_.-]", "_");
    if (readable.length() <= 64) {
      return readable;
    }
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(topic.getBytes(StandardCharsets.UTF_8));
      return readable.substring(0, 40) + "." + HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
