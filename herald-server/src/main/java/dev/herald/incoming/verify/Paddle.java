package dev.herald.incoming.verify;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Paddle Billing: {@code Paddle-Signature: ts=<ts>;h1=<hex>}, HMAC-SHA256 of {@code ts + ":" +
 * body} with the endpoint secret key; 5 s, past only (Paddle's SDKs).
 */
final class Paddle implements Verifier {
  static final long TOLERANCE = 5;

  @Override
  public Verdict verify(InboundRequest r, VerifierConfig c, Instant now) {
    String header = r.header("Paddle-Signature");
    if (header == null) {
      return Verifier.missing("Paddle-Signature");
    }
    String ts = null;
    List<byte[]> h1 = new ArrayList<>();
    for (String item : header.split(";")) {
      int eq = item.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String key = item.substring(0, eq).trim();
      String value = item.substring(eq + 1).trim();
      if (key.equals("ts") && ts == null) {
        ts = value;
      } else if (key.equals("h1")) {
        h1.add(Macs.hex(value));
      }
    }
    Long t = Verifier.parseLong(ts);
    if (t == null || h1.isEmpty()) {
      return Verdict.invalid(
          Reason.MALFORMED_HEADER, "Paddle-Signature needs ts=<timestamp>;h1=<signature>");
    }
    byte[] prefix = Macs.utf8(ts + ":");
    boolean match = false;
    for (String secret : c.secrets()) {
      byte[] expected = Macs.hmacSha256(secret, prefix, r.body());
      for (byte[] given : h1) {
        match |= Macs.equal(expected, given);
      }
    }
    if (!match) {
      return Verifier.mismatch("Paddle-Signature");
    }
    long tolerance = c.tolerance(TOLERANCE);
    return Verifier.outside(t, now, tolerance, true)
        ? Verifier.stale(t, now, tolerance)
        : Verdict.VALID;
  }
}
