package dev.topicprocessor.momento;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Momento's webhook signature: lower-case hex of HMAC-SHA3-256 over the exact body bytes, keyed
 * with the webhook's secret string in UTF-8, sent in the {@code momento-signature} header.
 */
public final class WebhookSignature {

  public static final String HEADER = "momento-signature";

  private static final String ALGORITHM = "HmacSHA3-256";
  private static final int LENGTH = 32;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int MAX_KEYED = 64;
  private static final Map<String, Mac> KEYED = new ConcurrentHashMap<>();

  private WebhookSignature() {}

  /** The signature Momento sends for this body. */
  public static String sign(String secret, byte[] body) {
    return HexFormat.of().formatHex(mac(secret, body));
  }

  /**
   * Whether {@code signature} is this body's signature under any of the secrets. Each comparison
   * takes the same time whatever the bytes; a signature that is not 64 hex digits matches none.
   */
  public static boolean verify(String signature, byte[] body, Iterable<String> secrets) {
    byte[] presented = decode(signature);
    if (presented == null) {
      return false;
    }
    boolean matched = false;
    for (String secret : secrets) {
      matched |= MessageDigest.isEqual(presented, mac(secret, body));
    }
    return matched;
  }

  /** A fresh secret: 32 random bytes, URL-safe Base64 without padding. */
  public static String newSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static byte[] decode(String signature) {
    if (signature == null || signature.length() != LENGTH * 2) {
      return null;
    }
    try {
      return HexFormat.of().parseHex(signature.toLowerCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static byte[] mac(String secret, byte[] body) {
    try {
      return copy(secret).doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM lacks " + ALGORITHM, e);
    }
  }

  /**
   * A Mac keyed with this secret, copied from one made once per secret: the provider lookup and the
   * key setup are a quarter of a verification. The keyed originals are never used themselves, so
   * copying them from several threads at once is safe.
   */
  private static Mac copy(String secret) throws GeneralSecurityException {
    Mac keyed = KEYED.get(secret);
    if (keyed == null) {
      keyed = Mac.getInstance(ALGORITHM);
      keyed.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
      if (KEYED.size() >= MAX_KEYED) {
        KEYED.clear(); // secrets rotated many times: start again rather than grow
      }
      KEYED.put(secret, keyed);
    }
    try {
      return (Mac) keyed.clone();
    } catch (CloneNotSupportedException e) {
      Mac fresh = Mac.getInstance(ALGORITHM);
      fresh.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
      return fresh;
    }
  }
}
