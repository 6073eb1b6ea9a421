package dev.herald.incoming.verify;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Standard Webhooks and Svix: {@code webhook-id}, {@code webhook-timestamp}, {@code
 * webhook-signature} (or the {@code svix-} names), signatures {@code v1,<base64 HMAC-SHA256>} keyed
 * with the base64 after {@code whsec_}, or {@code v1a,<base64 Ed25519>} checked with a {@code
 * whpk_} public key, over {@code id + "." + timestamp + "." + body}; ±300 s.
 */
final class StandardWebhooks implements Verifier {
  static final long TOLERANCE = 300;

  /** The DER prefix of an Ed25519 SubjectPublicKeyInfo, before the 32 key bytes. */
  private static final byte[] ED25519_SPKI = Macs.hex("302a300506032b6570032100");

  @Override
  public Verdict verify(InboundRequest r, VerifierConfig c, Instant now) {
    String family = r.header("webhook-signature") != null ? "webhook-" : "svix-";
    String id = r.header(family + "id");
    String timestamp = r.header(family + "timestamp");
    String signatures = r.header(family + "signature");
    if (signatures == null) {
      return Verifier.missing("webhook-signature (or svix-signature)");
    }
    if (id == null) {
      return Verifier.missing(family + "id");
    }
    if (timestamp == null) {
      return Verifier.missing(family + "timestamp");
    }
    Long ts = Verifier.parseLong(timestamp);
    if (ts == null) {
      return Verdict.invalid(Reason.MALFORMED_HEADER, family + "timestamp is not a number");
    }
    List<byte[]> v1 = new ArrayList<>();
    List<byte[]> v1a = new ArrayList<>();
    for (String entry : signatures.trim().split(" +")) {
      int comma = entry.indexOf(',');
      if (comma < 0) {
        continue;
      }
      String version = entry.substring(0, comma);
      byte[] sig = Macs.base64(entry.substring(comma + 1));
      if (version.equals("v1")) {
        v1.add(sig);
      } else if (version.equals("v1a")) {
        v1a.add(sig);
      }
    }
    if (v1.isEmpty() && v1a.isEmpty()) {
      return Verdict.invalid(
          Reason.NO_V1_SIGNATURE, family + "signature holds no v1 or v1a signature");
    }
    byte[] signed = concat(Macs.utf8(id + "." + timestamp + "."), r.body());
    boolean match = false;
    for (String secret : c.secrets()) {
      if (secret.startsWith("whpk_")) {
        PublicKey key = ed25519(secret);
        for (byte[] sig : v1a) {
          match |= key != null && sig != null && ed25519Verifies(key, signed, sig);
        }
      } else {
        byte[] key = hmacKey(secret);
        byte[] expected = key == null ? null : Macs.hmac("HmacSHA256", key, signed);
        for (byte[] sig : v1) {
          match |= expected != null && Macs.equal(expected, sig);
        }
      }
    }
    if (!match) {
      return Verifier.mismatch(family + "signature");
    }
    long tolerance = c.tolerance(TOLERANCE);
    return Verifier.outside(ts, now, tolerance, false)
        ? Verifier.stale(ts, now, tolerance)
        : Verdict.VALID;
  }

  /** The HMAC key of a {@code whsec_<base64>} secret (or bare base64), or null. */
  static byte[] hmacKey(String secret) {
    return Macs.base64(secret.startsWith("whsec_") ? secret.substring(6) : secret);
  }

  /** The public key of a {@code whpk_<base64 32 bytes>} secret, or null. */
  static PublicKey ed25519(String secret) {
    byte[] raw = Macs.base64(secret.substring(5));
    if (raw == null || raw.length != 32) {
      return null;
    }
    try {
      return KeyFactory.getInstance("Ed25519")
          .generatePublic(new X509EncodedKeySpec(concat(ED25519_SPKI, raw)));
    } catch (GeneralSecurityException e) {
      return null;
    }
  }

  private static boolean ed25519Verifies(PublicKey key, byte[] data, byte[] sig) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(key);
      s.update(data);
      return s.verify(sig);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
