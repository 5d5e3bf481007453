package dev.topicprocessor.localmomento;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Momento's webhook signature: lower-case hex of HMAC-SHA3-256 over the exact body bytes, keyed
 * with the webhook's secret string in UTF-8.
 */
final class WebhookSignature {

  private static final String ALGORITHM = "HmacSHA3-256";
  private static final SecureRandom RANDOM = new SecureRandom();

  private WebhookSignature() {}

  static String sign(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM lacks " + ALGORITHM, e);
    }
  }

  /** A fresh secret: 32 random bytes, URL-safe Base64 without padding. */
  static String newSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
