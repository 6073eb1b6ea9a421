package dev.herald.incoming.verify;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;

/**
 * SendGrid Event Webhook: {@code X-Twilio-Email-Event-Webhook-Signature} (base64 DER ECDSA
 * signature) over {@code X-Twilio-Email-Event-Webhook-Timestamp + body}, checked with the
 * verification key (base64 DER public key, P-256). A tolerance applies only when configured.
 */
final class SendGrid implements Verifier {
  static final String SIGNATURE = "X-Twilio-Email-Event-Webhook-Signature";
  static final String TIMESTAMP = "X-Twilio-Email-Event-Webhook-Timestamp";

  @Override
  public Verdict verify(InboundRequest r, VerifierConfig c, Instant now) {
    String signature = r.header(SIGNATURE);
    String timestamp = r.header(TIMESTAMP);
    if (signature == null) {
      return Verifier.missing(SIGNATURE);
    }
    if (timestamp == null) {
      return Verifier.missing(TIMESTAMP);
    }
    byte[] sig = Macs.base64(signature);
    byte[] data = StandardWebhooks.concat(Macs.utf8(timestamp), r.body());
    boolean match = false;
    for (String secret : c.secrets()) {
      PublicKey key = publicKey(secret);
      match |= key != null && sig != null && verifies(key, data, sig);
    }
    if (!match) {
      return Verifier.mismatch(SIGNATURE);
    }
    Long ts = Verifier.parseLong(timestamp);
    if (c.toleranceSeconds() != null
        && (ts == null || Verifier.outside(ts, now, c.toleranceSeconds(), false))) {
      return Verifier.stale(ts == null ? 0 : ts, now, c.toleranceSeconds());
    }
    return Verdict.VALID;
  }

  /** The P-256 public key of a base64 DER secret, or null. */
  static PublicKey publicKey(String secret) {
    byte[] der = Macs.base64(secret);
    if (der == null) {
      return null;
    }
    try {
      PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
      boolean p256 =
          key instanceof ECPublicKey ec
              && ec.getParams().getCurve().getField().getFieldSize() == 256;
      return p256 ? key : null;
    } catch (GeneralSecurityException e) {
      return null;
    }
  }

  private static boolean verifies(PublicKey key, byte[] data, byte[] sig) {
    try {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initVerify(key);
      s.update(data);
      return s.verify(sig);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }
}
