package dev.herald.delivery;

import dev.herald.endpoint.SigningSecret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures over {@code "{id}.{timestamp}.{body}"}: {@code v1,<base64
 * HMAC-SHA256>} for {@code whsec_} secrets and {@code v1a,<base64 ed25519>} for {@code whsk_}
 * secrets, one entry per secret, space-separated.
 */
public final class Signer {
  /** DER prefix of a PKCS#8 Ed25519 private key; the 32-byte seed follows it. */
  private static final byte[] ED25519_PKCS8_PREFIX =
      HexFormat.of().parseHex("302e020100300506032b657004220420");

  private Signer() {}

  public static String signatureHeader(
      String msgId, long timestampSeconds, byte[] body, List<SigningSecret> secrets) {
    byte[] signed = signedContent(msgId, timestampSeconds, body);
    StringBuilder out = new StringBuilder();
    for (SigningSecret secret : secrets) {
      if (!out.isEmpty()) {
        out.append(' ');
      }
      out.append(
          switch (secret.scheme()) {
            case HMAC_SHA256 -> "v1," + hmac(secret.key(), signed);
            case ED25519 -> "v1a," + ed25519(secret.key(), signed);
          });
    }
    return out.toString();
  }

  static byte[] signedContent(String msgId, long timestampSeconds, byte[] body) {
    byte[] prefix = (msgId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[prefix.length + body.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(body, 0, out, prefix.length, body.length);
    return out;
  }

  /**
   * Cloned for each signature: {@code Mac.getInstance} looks the provider up and checks algorithm
   * constraints every time, 15 % of what Herald allocated while draining a backlog.
   */
  private static final Mac HMAC_SHA256 = newHmacSha256();

  private static Mac newHmacSha256() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      // Settles the provider now (Mac chooses it lazily), so the shared prototype is never
      // changed again and concurrent clones only read it.
      mac.getProvider();
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  private static String hmac(byte[] key, byte[] content) {
    try {
      Mac mac;
      try {
        mac = (Mac) HMAC_SHA256.clone();
      } catch (CloneNotSupportedException e) {
        mac = newHmacSha256();
      }
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return Base64.getEncoder().encodeToString(mac.doFinal(content));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  private static String ed25519(byte[] seed, byte[] content) {
    try {
      byte[] pkcs8 = new byte[ED25519_PKCS8_PREFIX.length + 32];
      System.arraycopy(ED25519_PKCS8_PREFIX, 0, pkcs8, 0, ED25519_PKCS8_PREFIX.length);
      System.arraycopy(seed, 0, pkcs8, ED25519_PKCS8_PREFIX.length, 32);
      PrivateKey key =
          KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      Signature sig = Signature.getInstance("Ed25519");
      sig.initSign(key);
      sig.update(content);
      return Base64.getEncoder().encodeToString(sig.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }
}
