package dev.topicprocessor.momento;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Momento API key of any kind Momento has issued, with the endpoints it is used on.
 *
 * <ul>
 *   <li><b>v2</b>, what the console issues today: a JWT whose claims hold {@code "t": "g"} and no
 *       endpoint; the endpoint (say {@code cell-1-us-east-1-1.prod.a.momentohq.com}) comes
 *       separately, from {@code MOMENTO_ENDPOINT}.
 *   <li><b>v1</b>: Base64 of {@code {"endpoint": ..., "api_key": ...}}.
 *   <li><b>legacy</b>: a JWT whose claims {@code c} and {@code cp} name the cache and control
 *       endpoints.
 * </ul>
 *
 * <p>Every endpoint is derived as the SDKs derive it: {@code cache.<endpoint>}, {@code
 * control.<endpoint>}, {@code token.<endpoint>}, TLS on 443. An endpoint given separately wins over
 * the one inside a v1 or legacy key. The key itself is never part of a message or of {@link
 * #toString()}.
 */
public final class ApiKey {

  /** The kinds of keys Momento has issued. */
  public enum Kind {
    V2,
    V1,
    LEGACY
  }

  /** Which of the two inputs an {@link InvalidApiKeyException} is about. */
  public enum Part {
    KEY,
    ENDPOINT
  }

  // A DNS name: labels of letters, digits and inner dashes, dot-separated; at most 253 characters.
  private static final Pattern HOST_NAME =
      Pattern.compile(
          "(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
              + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
  // Read once at start: no buffer recycling, so no thread-local stays on the server's thread.
  private static final ObjectMapper JSON =
      new ObjectMapper(
          JsonFactory.builder().recyclerPool(JsonRecyclerPools.nonRecyclingPool()).build());
  private static final Pattern BASE64URL_SEGMENT = Pattern.compile("[A-Za-z0-9_-]+={0,2}");

  private final Kind kind;
  private final String token;
  private final String cacheEndpoint;
  private final String controlEndpoint;
  private final String tokenEndpoint;
  private final String storageEndpoint;

  private ApiKey(
      Kind kind,
      String token,
      String cacheEndpoint,
      String controlEndpoint,
      String tokenEndpoint,
      String storageEndpoint) {
    this.kind = kind;
    this.token = token;
    this.cacheEndpoint = cacheEndpoint;
    this.controlEndpoint = controlEndpoint;
    this.tokenEndpoint = tokenEndpoint;
    this.storageEndpoint = storageEndpoint;
  }

  /**
   * Reads a key and, for a v2 key, the endpoint that comes with it.
   *
   * @param key the key as Momento's console gave it (surrounding blanks ignored)
   * @param endpoint the endpoint given beside the key ({@code MOMENTO_ENDPOINT}), if any
   * @throws InvalidApiKeyException saying which of the two is wrong, never quoting the key
   */
  public static ApiKey parse(String key, Optional<String> endpoint) {
    String trimmed = key == null ? "" : key.trim();
    if (trimmed.isEmpty()) {
      throw new InvalidApiKeyException(Part.KEY, "is empty");
    }
    Optional<String> host = endpoint.map(String::trim).filter(e -> !e.isEmpty());
    host.ifPresent(h -> checkEndpoint(h, Part.ENDPOINT));
    String[] segments = trimmed.split("\\.", -1);
    if (segments.length == 3) {
      return fromJwt(trimmed, segments, host);
    }
    if (segments.length == 1) {
      return fromV1(trimmed, host);
    }
    throw new InvalidApiKeyException(
        Part.KEY,
        "is not a Momento API key: it has "
            + segments.length
            + " dot-separated parts, where a v2 or legacy key (a JWT) has 3 and a v1 key 1");
  }

  private static ApiKey fromJwt(String key, String[] segments, Optional<String> host) {
    for (int i = 0; i < 2; i++) {
      if (!BASE64URL_SEGMENT.matcher(segments[i]).matches()) {
        throw new InvalidApiKeyException(
            Part.KEY, "is not a Momento API key: part " + (i + 1) + " of 3 is not base64url");
      }
    }
    ObjectNode claims = jsonObject(decode(Base64.getUrlDecoder(), segments[1]), "its claims");
    if ("g".equals(string(claims, "t"))) {
      String endpoint =
          host.orElseThrow(
              () ->
                  new InvalidApiKeyException(
                      Part.ENDPOINT,
                      "is required with a v2 API key (the key holds no endpoint): set it to the"
                          + " endpoint the Momento console shows beside the key, such as"
                          + " cell-1-us-east-1-1.prod.a.momentohq.com"));
      return fromEndpoint(Kind.V2, key, endpoint);
    }
    if (host.isPresent()) {
      return fromEndpoint(Kind.LEGACY, key, host.get());
    }
    String cache = string(claims, "c");
    String control = string(claims, "cp");
    if (cache == null || control == null) {
      throw new InvalidApiKeyException(
          Part.KEY,
          "is a JWT but neither a v2 key (claim \"t\": \"g\") nor a legacy key (claims \"c\" and"
              + " \"cp\" naming its endpoints)");
    }
    checkEndpoint(cache, Part.KEY);
    checkEndpoint(control, Part.KEY);
    return new ApiKey(Kind.LEGACY, key, cache, control, cache, null);
  }

  private static ApiKey fromV1(String key, Optional<String> host) {
    ObjectNode json = jsonObject(decode(Base64.getDecoder(), key), "it");
    String endpoint = string(json, "endpoint");
    String secret = string(json, "api_key");
    if (secret == null || secret.isEmpty() || (endpoint == null && host.isEmpty())) {
      throw new InvalidApiKeyException(
          Part.KEY,
          "is not a Momento API key: a v1 key is Base64 of {\"endpoint\": ..., \"api_key\": ...}"
              + " and this one lacks "
              + (secret == null || secret.isEmpty() ? "\"api_key\"" : "\"endpoint\""));
    }
    if (host.isEmpty()) {
      checkEndpoint(endpoint, Part.KEY);
    }
    return fromEndpoint(Kind.V1, secret, host.orElse(endpoint));
  }

  private static ApiKey fromEndpoint(Kind kind, String token, String endpoint) {
    String base = endpoint.toLowerCase(Locale.ROOT);
    return new ApiKey(
        kind, token, "cache." + base, "control." + base, "token." + base, "storage." + base);
  }

  /** An endpoint given beside the key, or named inside it ({@code part} says which). */
  private static void checkEndpoint(String endpoint, Part part) {
    String where = part == Part.KEY ? "names an endpoint that " : "";
    if (endpoint.contains("://") || endpoint.contains("/")) {
      throw new InvalidApiKeyException(
          part,
          where
              + "must be a host name alone, such as cell-1-us-east-1-1.prod.a.momentohq.com,"
              + " without https:// or a path");
    }
    if (endpoint.contains(":")) {
      throw new InvalidApiKeyException(
          part, where + "must be a host name without a port: Momento is reached on 443");
    }
    if (!HOST_NAME.matcher(endpoint).matches()) {
      // Not quoted: a key pasted into the wrong setting must not reach the log.
      throw new InvalidApiKeyException(
          part, where + "is not a host name (letters, digits, dashes and dots)");
    }
  }

  private static String decode(Base64.Decoder decoder, String text) {
    try {
      return new String(decoder.decode(text), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new InvalidApiKeyException(
          Part.KEY, "is not a Momento API key: neither a JWT nor Base64 (a v1 key)");
    }
  }

  private static ObjectNode jsonObject(String text, String what) {
    try {
      if (JSON.readTree(text) instanceof ObjectNode object) {
        return object;
      }
    } catch (java.io.IOException | RuntimeException e) {
      // reported below, without the parser's message (it may quote the decoded key)
    }
    throw new InvalidApiKeyException(
        Part.KEY, "is not a Momento API key: " + what + " is not a JSON object");
  }

  private static String string(ObjectNode object, String name) {
    JsonNode value = object.get(name);
    return value != null && value.isTextual() ? value.asText() : null;
  }

  public Kind kind() {
    return kind;
  }

  /** What every call carries in its {@code authorization} header. A secret: never log it. */
  public String token() {
    return token;
  }

  /** Where topics are published and subscribed to: {@code cache.<endpoint>}. */
  public String cacheEndpoint() {
    return cacheEndpoint;
  }

  /** Where caches and webhooks are managed: {@code control.<endpoint>}. */
  public String controlEndpoint() {
    return controlEndpoint;
  }

  public String tokenEndpoint() {
    return tokenEndpoint;
  }

  /** Null for a legacy key, which names no storage endpoint. */
  public String storageEndpoint() {
    return storageEndpoint;
  }

  /** The kind and the endpoints; never the key. */
  @Override
  public String toString() {
    return "ApiKey[" + kind + ", " + cacheEndpoint + "]";
  }
}
