package dev.herald.incoming.verify;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Stripe: {@code Stripe-Signature: t=<ts>,v1=<hex>[,v1=…]}, HMAC-SHA256 of {@code t + "." + body}
 * keyed with the whole {@code whsec_…} string; 300 s, past only (as stripe-java's {@code
 * Webhook.Signature.verifyHeader}, which accepts any of several {@code v1}).
 */
final class Stripe implements Verifier {
  static final long TOLERANCE = 300;

  @Override
  public Verdict verify(InboundRequest r, VerifierConfig c, Instant now) {
    String header = r.header("Stripe-Signature");
    if (header == null) {
      return Verifier.missing("Stripe-Signature");
    }
    Long t = null;
    boolean timestampSeen = false;
    List<byte[]> v1 = new ArrayList<>();
    for (String item : header.split(",")) {
      int eq = item.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String key = item.substring(0, eq).trim();
      String value = item.substring(eq + 1).trim();
      if (key.equals("t") && !timestampSeen) {
        timestampSeen = true;
        t = Verifier.parseLong(value);
      } else if (key.equals("v1")) {
        v1.add(Macs.hex(value));
      }
    }
    if (t == null) {
      return Verdict.invalid(
          Reason.MALFORMED_HEADER, "Stripe-Signature holds no t=<timestamp> element");
    }
    if (v1.isEmpty()) {
      return Verdict.invalid(Reason.NO_V1_SIGNATURE, "Stripe-Signature holds no v1 signature");
    }
    byte[] prefix = Macs.utf8(t + ".");
    boolean match = false;
    for (String secret : c.secrets()) {
      byte[] expected = Macs.hmacSha256(secret, prefix, r.body());
      for (byte[] given : v1) {
        match |= Macs.equal(expected, given);
      }
    }
    if (!match) {
      return Verifier.mismatch("Stripe-Signature");
    }
    long tolerance = c.tolerance(TOLERANCE);
    if (Verifier.outside(t, now, tolerance, true)) {
      return Verifier.stale(t, now, tolerance);
    }
    return Verdict.VALID;
  }
}
