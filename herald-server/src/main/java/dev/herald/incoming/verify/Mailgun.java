package dev.herald.incoming.verify;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * Mailgun: the signature travels in the body ({@code signature.timestamp}, {@code .token}, {@code
 * .signature} of a JSON body, or the form fields {@code timestamp}, {@code token}, {@code
 * signature}): hex HMAC-SHA256 of {@code timestamp + token} with the webhook signing key. Mailgun
 * signs neither the event data nor a time limit; a tolerance applies only when configured.
 */
final class Mailgun implements Verifier {
  @Override
  public Verdict verify(InboundRequest r, VerifierConfig c, Instant now) {
    String timestamp;
    String token;
    String signature;
    JsonNode json = r.json();
    if (json != null && json.has("signature")) {
      JsonNode s = json.get("signature");
      timestamp = text(s.get("timestamp"));
      token = text(s.get("token"));
      signature = text(s.get("signature"));
    } else {
      timestamp = first(r, "timestamp");
      token = first(r, "token");
      signature = first(r, "signature");
    }
    if (timestamp == null || token == null || signature == null) {
      return Verdict.invalid(
          Reason.MISSING_HEADER, "the body holds no signature (timestamp, token, signature)");
    }
    byte[] given = Macs.hex(signature);
    byte[] data = Macs.utf8(timestamp + token);
    boolean match = false;
    for (String secret : c.secrets()) {
      match |= Macs.equal(Macs.hmacSha256(secret, data), given);
    }
    if (!match) {
      return Verifier.mismatch("the body's signature");
    }
    Long ts = Verifier.parseLong(timestamp);
    if (c.toleranceSeconds() != null
        && (ts == null || Verifier.outside(ts, now, c.toleranceSeconds(), false))) {
      return Verifier.stale(ts == null ? 0 : ts, now, c.toleranceSeconds());
    }
    return Verdict.VALID;
  }

  private static String text(JsonNode n) {
    return n == null || !n.isValueNode() || n.isNull() ? null : n.asText();
  }

  private static String first(InboundRequest r, String field) {
    var values = r.form().get(field);
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
