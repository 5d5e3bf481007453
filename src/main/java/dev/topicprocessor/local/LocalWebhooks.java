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

  /**
   * A topic that webhooks are registered for, and the webhook's name when a route gives one (null:
   * a name made from the topic).
   */
  public record InboundTopic(String cache, String topic, String webhook) {
    public InboundTopic(String cache, String topic) {
      this(cache, topic, null);
    }
  }

  private static final Logger LOG = Logger.getLogger(LocalWebhooks.class.getName());

  /** A webhook this application registered, with its secret at registration. */
  public record Registration(String cache, String name, String topic, String secret) {}

  private final List<Registration> registered = new ArrayList<>();

  /**
   * Creates the caches and registers one webhook per inbound topic.
   *
   * @return the webhooks registered
   */
  List<Registration> register(
      LocalMomentoConnection local,
      Iterable<InboundTopic> inbound,
      Iterable<String> caches,
      URI endpoint) {
    List<Registration> made = new ArrayList<>();
    try (LocalMomentoAdmin admin = local.admin()) {
      for (String cache : caches) {
        if (admin.createCache(cache)) {
          LOG.info("local mode: created cache " + cache);
        }
      }
      for (InboundTopic route : new LinkedHashSet<>(toList(inbound))) {
        String name = route.webhook() != null ? route.webhook() : webhookName(route.topic());
        // A webhook the route names and that exists already is someone's (made in the console,
        // or by another node): pointed here, and left in place at undeploy.
        boolean theirs = route.webhook() != null && admin.hasWebhook(route.cache(), name);
        String secret = admin.putWebhook(route.cache(), name, route.topic(), endpoint);
        Registration registration = new Registration(route.cache(), name, route.topic(), secret);
        made.add(registration);
        if (!theirs) {
          registered.add(registration);
        }
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
    return made;
  }

  /**
   * Deletes the webhooks this application made at start, so Local Momento stops calling an absent
   * URL; a named webhook that existed before is left.
   *
   * @return the webhooks deleted
   */
  List<Registration> unregister(LocalMomentoConnection local) {
    List<Registration> deleted = new ArrayList<>(registered);
    if (registered.isEmpty()) {
      return deleted;
    }
    try (LocalMomentoAdmin admin = local.admin()) {
      for (Registration registration : registered) {
        admin.deleteWebhook(registration.cache(), registration.name());
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "local mode: could not delete the webhooks registered at start", e);
    }
    registered.clear();
    return deleted;
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
