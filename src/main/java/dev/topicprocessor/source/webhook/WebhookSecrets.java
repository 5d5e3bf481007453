package dev.topicprocessor.source.webhook;

import dev.topicprocessor.config.InvalidSettingException;
import dev.topicprocessor.config.Setting;
import dev.topicprocessor.config.Settings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The secrets a webhook signature may be made with: those configured in {@link
 * Setting#MOMENTO_WEBHOOK_SECRETS} and the file {@link Setting#MOMENTO_WEBHOOK_SECRETS_FILE} names
 * (both read again at each reload), and the current secret of each Momento webhook the processor
 * knows by name (the routes' {@code "webhook"}, and in local mode those it registered), read from
 * Momento ({@code GetWebhookSecret}).
 *
 * <p>Momento's {@code RotateWebhookSecret} replaces a secret at once. So when a request matches no
 * secret, {@link #refresh()} reads every known webhook's secret again (at most once per {@link
 * #MIN_READ_INTERVAL} each; a request that comes sooner waits for the next read) and the request is
 * checked once more before it is refused. The secret a rotation replaced stays accepted for {@link
 * #PREVIOUS_KEPT}, for deliveries signed before it.
 */
@ApplicationScoped
public class WebhookSecrets {

  /** A Momento webhook: the cache it is in and its name. */
  public record WebhookId(String cache, String name) {
    @Override
    public String toString() {
      return cache + "/" + name;
    }
  }

  /** Reads a webhook's current secret from Momento: empty when Momento has no such webhook. */
  @FunctionalInterface
  public interface Reader {
    Optional<String> read(WebhookId webhook);
  }

  static final Duration MIN_READ_INTERVAL = Duration.ofSeconds(1);
  static final Duration PREVIOUS_KEPT = Duration.ofSeconds(60);
  private static final Logger LOG = Logger.getLogger(WebhookSecrets.class.getName());

  private final Settings settings;
  private volatile List<String> configured = List.of();
  private final Map<WebhookId, Tracked> tracked = new ConcurrentHashMap<>();
  private final LongSupplier nanoTime;
  private volatile Reader reader = webhook -> Optional.empty();
  private volatile List<String> all = List.of();

  protected WebhookSecrets() {
    this.settings = null;
    this.nanoTime = System::nanoTime;
  }

  /**
   * @throws InvalidSettingException when {@code MOMENTO_WEBHOOK_SECRETS_FILE} cannot be read
   */
  @Inject
  public WebhookSecrets(Settings settings) {
    this.settings = settings;
    this.nanoTime = System::nanoTime;
    configured =
        configured(
            settings.get(Setting.MOMENTO_WEBHOOK_SECRETS),
            settings.get(Setting.MOMENTO_WEBHOOK_SECRETS_FILE));
    rebuild();
  }

  /** For tests: these configured secrets and this clock. */
  WebhookSecrets(List<String> configured, LongSupplier nanoTime) {
    this.settings = null;
    this.nanoTime = nanoTime;
    this.configured = List.copyOf(configured);
    rebuild();
  }

  /**
   * Reads {@code MOMENTO_WEBHOOK_SECRETS} (a JNDI entry can change) and the file {@code
   * MOMENTO_WEBHOOK_SECRETS_FILE} names again: at each reload. A file that cannot be read keeps the
   * secrets in force and says why.
   *
   * @return how many configured secrets are in force
   */
  public int reloadConfigured() {
    if (settings == null) {
      return configured.size();
    }
    try {
      configured =
          configured(
              settings.reread(Setting.MOMENTO_WEBHOOK_SECRETS),
              settings.reread(Setting.MOMENTO_WEBHOOK_SECRETS_FILE));
      rebuild();
    } catch (InvalidSettingException e) {
      LOG.warning(e.getMessage() + "; the webhook secrets in force stay");
    }
    return configured.size();
  }

  private static List<String> configured(Optional<String> listed, Optional<String> file) {
    Set<String> secrets = new LinkedHashSet<>();
    listed.ifPresent(value -> secrets.addAll(split(value)));
    if (file.isPresent()) {
      Path path = Path.of(file.get());
      try {
        for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
          if (!line.strip().startsWith("#")) {
            secrets.addAll(split(line));
          }
        }
      } catch (IOException | RuntimeException e) {
        throw new InvalidSettingException(
            Setting.MOMENTO_WEBHOOK_SECRETS_FILE,
            "names a file that cannot be read: "
                + path
                + " ("
                + e.getClass().getSimpleName()
                + ")");
      }
    }
    return List.copyOf(secrets);
  }

  private static List<String> split(String value) {
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** Where webhooks' secrets are read from (Momento, or Local Momento in local mode). */
  public void readFrom(Reader reader) {
    this.reader = reader;
  }

  /**
   * Follows this webhook's secret from now on, reading it now unless {@code known} gives it.
   *
   * @return false when Momento has no such webhook
   * @throws RuntimeException when Momento could not be asked; the secret is read again at the first
   *     request that matches no secret
   */
  public boolean track(WebhookId webhook, Optional<String> known) {
    Tracked entry = tracked.computeIfAbsent(webhook, Tracked::new);
    if (known.isPresent()) {
      synchronized (entry) {
        entry.replace(known.get(), nanoTime.getAsLong());
      }
      rebuild();
      return true;
    }
    synchronized (entry) {
      return read(entry);
    }
  }

  /** Stops following a webhook (no route names it any more, or it was deleted). */
  public void untrack(WebhookId webhook) {
    if (tracked.remove(webhook) != null) {
      rebuild();
    }
  }

  public Set<WebhookId> tracked() {
    return Set.copyOf(tracked.keySet());
  }

  /**
   * Reads again the secret of every webhook followed, for a request that matched no secret: unless
   * a read began after the request came (requests that come during a read wait for it and share its
   * answer), and at most once per {@link #MIN_READ_INTERVAL} per webhook, so that forged requests
   * cannot make the processor flood Momento. The result is in {@link #all()}. Failures are logged,
   * not thrown: the request is then refused as before.
   */
  public void refresh() {
    long arrival = nanoTime.getAsLong();
    for (Tracked entry : tracked.values()) {
      synchronized (entry) {
        long now = nanoTime.getAsLong();
        if (entry.readAt - arrival > 0 // read since this request came: that answer is in force
            || (entry.readAt != 0 && now - entry.readAt < MIN_READ_INTERVAL.toNanos())) {
          continue;
        }
        try {
          read(entry);
        } catch (RuntimeException e) {
          LOG.log(
              Level.WARNING,
              "could not read the secret of webhook " + entry.webhook + ": " + e.getMessage());
        }
      }
    }
  }

  /** Reads the entry's secret now; the caller holds its lock. */
  private boolean read(Tracked entry) {
    entry.readAt = nanoTime.getAsLong();
    Optional<String> secret = reader.read(entry.webhook);
    if (secret.isEmpty()) {
      return false;
    }
    if (!secret.get().equals(entry.current)) {
      if (entry.current != null) {
        LOG.info("webhook " + entry.webhook + ": its secret was rotated; the new one is in force");
      }
      entry.replace(secret.get(), entry.readAt);
      rebuild();
    }
    return true;
  }

  /**
   * Every secret accepted now: the configured ones, each followed webhook's current one, and a
   * replaced one for {@link #PREVIOUS_KEPT} after its rotation was seen. The same list object until
   * the set changes.
   */
  public List<String> all() {
    long now = nanoTime.getAsLong();
    for (Tracked entry : tracked.values()) {
      if (entry.previous != null && now - entry.replacedAt > PREVIOUS_KEPT.toNanos()) {
        synchronized (entry) {
          entry.previous = null;
        }
        rebuild();
      }
    }
    return all;
  }

  public boolean isEmpty() {
    return all().isEmpty();
  }

  private synchronized void rebuild() {
    Set<String> secrets = new LinkedHashSet<>(configured);
    for (Tracked entry : tracked.values()) {
      if (entry.current != null) {
        secrets.add(entry.current);
      }
      if (entry.previous != null) {
        secrets.add(entry.previous);
      }
    }
    all = List.copyOf(new ArrayList<>(secrets));
  }

  /** A followed webhook's secrets; changed under its own lock. */
  private static final class Tracked {
    final WebhookId webhook;
    volatile String current;
    volatile String previous;
    volatile long replacedAt;
    long readAt;

    Tracked(WebhookId webhook) {
      this.webhook = webhook;
    }

    void replace(String secret, long at) {
      if (secret.equals(current)) {
        return;
      }
      previous = current;
      current = secret;
      replacedAt = at;
    }
  }
}
