package dev.herald.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * API keys are random tokens; only their SHA-256 is stored. A plain hash is enough here (unlike
 * passwords) because generated keys carry 256 bits of entropy and bootstrap keys must be long.
 */
public final class ApiKeyHash {
  private static final char[] ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeyHash() {}

  /** A new key: the prefix tells org keys ({@code hk_}) from portal tokens ({@code hpt_}). */
  public static String newKey(String prefix) {
    StringBuilder sb = new StringBuilder(prefix);
    for (int i = 0; i < 43; i++) {
      sb.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
    }
    return sb.toString();
  }

  public static String hash(String key) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Constant-time comparison, so response timing reveals nothing about a stored hash. */
  public static boolean matches(String presentedKey, String storedHash) {
    return MessageDigest.isEqual(
        hash(presentedKey).getBytes(StandardCharsets.US_ASCII),
        storedHash.getBytes(StandardCharsets.US_ASCII));
  }
}
