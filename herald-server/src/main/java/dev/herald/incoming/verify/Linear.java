package dev.herald.incoming.verify;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * Linear: {@code Linear-Signature: <hex>}, HMAC-SHA256 of the body; the body's {@code
 * webhookTimestamp} (milliseconds) must lie within ±60 s (Linear's SDK).
 */
final class Linear implements Verifier {
  static final long TOLERANCE = 60;

  @Override
  public Verdict verify(InboundRequest r, VerifierConfig c, Instant now) {
    String header = r.header("Linear-Signature");
    if (header == null) {
      return Verifier.missing("Linear-Signature");
    }
    byte[] given = Macs.hex(header);
    boolean match = false;
    for (String secret : c.secrets()) {
      match |= Macs.equal(Macs.hmacSha256(secret, r.body()), given);
    }
    if (!match) {
      return Verifier.mismatch("Linear-Signature");
    }
    JsonNode ts = r.json() == null ? null : r.json().get("webhookTimestamp");
    long tolerance = c.tolerance(TOLERANCE);
    if (ts == null || !ts.canConvertToLong()) {
      return Verdict.invalid(
          Reason.TIMESTAMP_OUTSIDE_TOLERANCE, "the body holds no numeric webhookTimestamp");
    }
    long millis = ts.asLong();
    long nowMillis = now.toEpochMilli();
    // Compared as bounds around now, so no subtraction of a sender's value can overflow.
    boolean outside =
        millis < nowMillis - tolerance * 1000 || millis > nowMillis + tolerance * 1000;
    return outside ? Verifier.stale(Math.floorDiv(millis, 1000), now, tolerance) : Verdict.VALID;
  }
}
