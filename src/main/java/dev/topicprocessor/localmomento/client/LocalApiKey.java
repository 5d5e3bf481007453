package dev.topicprocessor.localmomento.client;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Momento v1 API keys for a Local Momento. Local Momento accepts any key; a v1 key only tells an
 * SDK which endpoint to dial ({@code cache.<endpoint>}, {@code control.<endpoint>}).
 */
public final class LocalApiKey {

  private static final String KEY = "local-momento";

  private LocalApiKey() {}

  /** A v1 key (Base64 of {@code {"endpoint": ..., "api_key": ...}}) naming that endpoint. */
  public static String forEndpoint(String endpoint) {
    if (!endpoint.matches("[A-Za-z0-9.-]+")) {
      throw new IllegalArgumentException("endpoint must be a host name, got '" + endpoint + "'");
    }
    String json = "{\"endpoint\":\"" + endpoint + "\",\"api_key\":\"" + KEY + "\"}";
    return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
