package dev.topicprocessor.ingest;

import dev.topicprocessor.localmomento.client.LocalMomentoAdmin;
import dev.topicprocessor.localmomento.client.LocalMomentoConnection;
import dev.topicprocessor.routing.Route;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Local mode's wiring, done as a Momento user would in the console: create the caches the routes
 * name, and register a webhook for each inbound topic pointing at this application. The webhooks'
 * secrets are added to the accepted ones.
 */
final class LocalWebhooks {

  private static final Logger LOG = Logger.getLogger(LocalWebhooks.class.getName());

  /** A webhook this application registered. */
  record Registration(String cache, String name, String topic, String secret) {}

  private final List<Registration> registered = new ArrayList<>();

  void register(
      LocalMomentoConnection local,
      List<Route> routes,
      Iterable<String> caches,
      URI endpoint,
      WebhookSecrets secrets) {
    Map<String, Route> inbound = new LinkedHashMap<>();
    routes.forEach(r -> inbound.putIfAbsent(r.cache() + "\n" + r.topic(), r));
    try (LocalMomentoAdmin admin = local.admin()) {
      for (String cache : caches) {
        if (admin.createCache(cache)) {
          LOG.info("local mode: created cache " + cache);
        }
      }
      for (Route route : inbound.values()) {
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
  }

  /** Deletes the webhooks registered at start, so Local Momento stops calling an absent URL. */
  void unregister(LocalMomentoConnection local, WebhookSecrets secrets) {
    if (registered.isEmpty()) {
      return;
    }
    try (LocalMomentoAdmin admin = local.admin()) {
      for (Registration registration : registered) {
        admin.deleteWebhook(registration.cache(), registration.name());
        secrets.remove(registration.secret());
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "local mode: could not delete the webhooks registered at start", e);
    }
    registered.clear();
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
