package dev.topicprocessor.sink.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.topicprocessor.sink.Destination;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An HTTP endpoint that each output is POSTed to: {@code {"url": "https://…", "headers": {…},
 * "secret": "whsec_…", "timeoutMs": 10000}} in a route.
 *
 * @param headers sent with every request, besides the Standard Webhooks ones
 * @param secret signs each request ({@code webhook-signature}) when present; never shown
 */
public record HttpDestination(URI url, Map<String, String> headers, byte[] secret, Duration timeout)
    implements Destination {

  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /** Headers the sink sets itself, or the JDK's client refuses. */
  private static final Set<String> RESERVED =
      Set.of(
          "webhook-id",
          "webhook-timestamp",
          "webhook-signature",
          "content-type",
          "content-length",
          "host",
          "connection",
          "expect",
          "upgrade");

  public HttpDestination {
    headers = Map.copyOf(headers);
    secret = secret == null ? null : secret.clone();
  }

  /**
   * Reads a route's entry.
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  public static HttpDestination parse(JsonNode node) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!Set.of("url", "headers", "secret", "timeoutMs").contains(field)) {
        throw new IllegalArgumentException(
            "unknown field \"" + field + "\"; known: [url, headers, secret, timeoutMs]");
      }
    }
    URI url = url(node.path("url").asText(""));
    Map<String, String> headers = new LinkedHashMap<>();
    JsonNode given = node.path("headers");
    if (!given.isMissingNode()) {
      if (!given.isObject()) {
        throw new IllegalArgumentException("\"headers\" must be an object of strings");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = given.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> header = it.next();
        String name = header.getKey();
        if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+") || !header.getValue().isTextual()) {
          throw new IllegalArgumentException(
              "header \"" + name + "\" must be a valid header name with a string value");
        }
        if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
          throw new IllegalArgumentException("header \"" + name + "\" is set by the sink itself");
        }
        headers.put(name, header.getValue().textValue());
      }
    }
    byte[] secret = null;
    if (node.has("secret")) {
      secret = WebhookSigner.key(node.get("secret").asText(""));
    }
    Duration timeout = DEFAULT_TIMEOUT;
    if (node.has("timeoutMs")) {
      JsonNode ms = node.get("timeoutMs");
      if (!ms.canConvertToInt() || !ms.isIntegralNumber() || ms.intValue() < 1) {
        throw new IllegalArgumentException("\"timeoutMs\" must be a positive whole number");
      }
      timeout = Duration.ofMillis(ms.intValue());
    }
    return new HttpDestination(url, headers, secret, timeout);
  }

  private static URI url(String text) {
    URI url;
    try {
      url = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("\"url\" is not a URL: " + e.getMessage());
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
      throw new IllegalArgumentException(
          "\"url\" must be an absolute http:// or https:// URL, got \"" + text + "\"");
    }
    if (url.getUserInfo() != null) {
      throw new IllegalArgumentException(
          "\"url\" must not carry credentials; put them in \"headers\"");
    }
    return url;
  }

  @Override
  public String kind() {
    return "http";
  }

  /** The URL without its query, which may carry a token. */
  @Override
  public String toString() {
    return url.getScheme() + "://" + url.getRawAuthority() + url.getRawPath();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof HttpDestination that
        && url.equals(that.url)
        && headers.equals(that.headers)
        && java.util.Arrays.equals(secret, that.secret)
        && timeout.equals(that.timeout);
  }

  @Override
  public int hashCode() {
    return url.hashCode();
  }
}
