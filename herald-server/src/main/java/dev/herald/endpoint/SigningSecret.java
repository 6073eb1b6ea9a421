package dev.herald.endpoint;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * An endpoint's signing secret in its Standard Webhooks form: {@code whsec_<base64 24..64 bytes>}
 * for HMAC-SHA256 (v1), or {@code whsk_<base64 ed25519 seed>} for ed25519 (v1a).
 */
public record SigningSecret(String text, Scheme scheme, byte[] key) {

  public enum Scheme {
    HMAC_SHA256,
    ED25519
  }

  private static final Pattern SYMMETRIC = Pattern.compile("^(whsec_)?[a-zA-Z0-9+/=]{32,100}$");
  private static final Pattern ASYMMETRIC = Pattern.compile("^whsk_[a-zA-Z0-9+/=]{40,100}$");
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A fresh HMAC secret of 24 random bytes, as Svix generates. */
  public static SigningSecret generate() {
    byte[] key = new byte[24];
    RANDOM.nextBytes(key);
    return new SigningSecret(
        "whsec_" + Base64.getEncoder().encodeToString(key), Scheme.HMAC_SHA256, key);
  }

  /**
   * Parses a secret a caller supplied. A bare base64 secret (Svix allows the prefix to be left out)
   * is stored with its {@code whsec_} prefix.
   *
   * @throws IllegalArgumentException with a message fit for a 422
   */
  public static SigningSecret parse(String text) {
    if (text.startsWith("whsk_")) {
      if (!ASYMMETRIC.matcher(text).matches()) {
        throw new IllegalArgumentException("an ed25519 secret must be whsk_ followed by base64");
      }
      byte[] key = decode(text.substring(5));
      if (key.length != 32 && key.length != 64) {
        throw new IllegalArgumentException(
            "an ed25519 secret must hold a 32-byte seed (or 64-byte key)");
      }
      return new SigningSecret(text, Scheme.ED25519, java.util.Arrays.copyOf(key, 32));
    }
    if (!SYMMETRIC.matcher(text).matches()) {
      throw new IllegalArgumentException(
          "the secret must be whsec_ followed by base64 of 24 to 64 bytes (or whsk_ for ed25519)");
    }
    String b64 = text.startsWith("whsec_") ? text.substring(6) : text;
    byte[] key = decode(b64);
    if (key.length < 24 || key.length > 64) {
      throw new IllegalArgumentException(
          "the secret must decode to 24 to 64 bytes, got " + key.length);
    }
    return new SigningSecret("whsec_" + b64, Scheme.HMAC_SHA256, key);
  }

  private static byte[] decode(String b64) {
    try {
      return Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the secret is not valid base64");
    }
  }

  @Override
  public String toString() {
    return "SigningSecret[" + scheme + ", ***]";
  }
}
