package dev.herald.incoming.verify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The message authentication codes and comparisons the presets share. */
final class Macs {
  private Macs() {}

  /** HMAC with {@code algorithm} ("HmacSHA256", …) over the parts, in order. */
  static byte[] hmac(String algorithm, byte[] key, byte[]... parts) {
    try {
      Mac mac = Mac.getInstance(algorithm);
      // An empty key is legal for HMAC but not for SecretKeySpec; one zero byte is the same key.
      mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, algorithm));
      for (byte[] part : parts) {
        mac.update(part);
      }
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(algorithm + " is not available", e);
    }
  }

  static byte[] hmacSha256(String key, byte[]... parts) {
    return hmac("HmacSHA256", utf8(key), parts);
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Constant-time comparison; a null (undecodable) signature never matches. */
  static boolean equal(byte[] expected, byte[] given) {
    return given != null && MessageDigest.isEqual(expected, given);
  }

  /** Constant-time comparison of two texts as UTF-8 bytes. */
  static boolean equal(String expected, String given) {
    return given != null && MessageDigest.isEqual(utf8(expected), utf8(given));
  }

  /** Hex (either case) decoded, or null when it is not hex. */
  static byte[] hex(String s) {
    if (s == null) {
      return null;
    }
    try {
      return HexFormat.of().parseHex(s.trim().toLowerCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static String hexOf(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  /** Standard or URL-safe base64 decoded, or null when it is neither. */
  static byte[] base64(String s) {
    if (s == null) {
      return null;
    }
    String t = s.trim();
    try {
      return Base64.getDecoder().decode(t);
    } catch (IllegalArgumentException e) {
      try {
        return Base64.getUrlDecoder().decode(t);
      } catch (IllegalArgumentException e2) {
        return null;
      }
    }
  }

  static String base64Of(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  /** Any of the secrets' MACs equals the given one. Every secret is tried (no early exit). */
  /**
   * Slack's and Zoom's scheme: HMAC-SHA256 of {@code v0:<timestamp>:<body>} under any of the
   * secrets, every secret tried (constant time whichever matches).
   */
  static boolean v0Matches(
      java.util.List<String> secrets, String timestamp, byte[] body, byte[] given) {
    byte[] base = utf8("v0:" + timestamp + ":");
    boolean match = false;
    for (String secret : secrets) {
      match |= equal(hmacSha256(secret, base, body), given);
    }
    return match;
  }

  static boolean anyEqual(java.util.List<byte[]> expected, byte[] given) {
    boolean found = false;
    for (byte[] e : expected) {
      found |= equal(e, given);
    }
    return found;
  }
}
