package dev.topicprocessor.sink.http;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a request the Standard Webhooks way: {@code webhook-signature: v1,<base64 HMAC-SHA256 of
 * "id.timestamp.body">}, keyed with the secret's bytes ({@code whsec_} then base64).
 */
final class WebhookSigner {

  private static final String PREFIX = "whsec_";

  private WebhookSigner() {}

  /** The key in a {@code whsec_…} secret. */
  static byte[] key(String secret) {
    if (!secret.startsWith(PREFIX)) {
      throw new IllegalArgumentException(
          "\"secret\" must be a Standard Webhooks secret: \"whsec_\" then base64");
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("\"secret\" is not base64 after \"whsec_\"");
    }
    if (key.length < 16) {
      throw new IllegalArgumentException("\"secret\" must hold at least 16 bytes");
    }
    return key;
  }

  /** The value of {@code webhook-signature}. */
  static String signature(byte[] key, String id, long timestampSeconds, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
