package dev.herald.incoming.verify;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Twitch EventSub: {@code Twitch-Eventsub-Message-Signature: sha256=<hex>}, HMAC-SHA256 of message
 * id + timestamp (RFC 3339, as sent) + body; 10 minutes, past only. Answers {@code
 * webhook_callback_verification} with the challenge as text.
 */
final class Twitch implements Verifier {
  static final long TOLERANCE = 600;
  static final String ID = "Twitch-Eventsub-Message-Id";
  static final String TIMESTAMP = "Twitch-Eventsub-Message-Timestamp";
  static final String SIGNATURE = "Twitch-Eventsub-Message-Signature";

  @Override
  public Verdict verify(InboundRequest r, VerifierConfig c, Instant now) {
    String id = r.header(ID);
    String timestamp = r.header(TIMESTAMP);
    String signature = r.header(SIGNATURE);
    if (signature == null) {
      return Verifier.missing(SIGNATURE);
    }
    if (id == null) {
      return Verifier.missing(ID);
    }
    if (timestamp == null) {
      return Verifier.missing(TIMESTAMP);
    }
    Instant at;
    try {
      at = OffsetDateTime.parse(timestamp).toInstant();
    } catch (DateTimeParseException e) {
      return Verdict.invalid(Reason.MALFORMED_HEADER, TIMESTAMP + " is not an RFC 3339 time");
    }
    if (!signature.startsWith("sha256=")) {
      return Verdict.invalid(Reason.MALFORMED_HEADER, SIGNATURE + " does not start with sha256=");
    }
    byte[] given = Macs.hex(signature.substring(7));
    byte[] head = Macs.utf8(id + timestamp);
    boolean match = false;
    for (String secret : c.secrets()) {
      match |= Macs.equal(Macs.hmacSha256(secret, head, r.body()), given);
    }
    if (!match) {
      return Verifier.mismatch(SIGNATURE);
    }
    long tolerance = c.tolerance(TOLERANCE);
    return Verifier.outside(at.getEpochSecond(), now, tolerance, true)
        ? Verifier.stale(at.getEpochSecond(), now, tolerance)
        : Verdict.VALID;
  }

  @Override
  public Optional<Challenge> challenge(InboundRequest r, VerifierConfig c) {
    if (!"webhook_callback_verification".equals(r.header("Twitch-Eventsub-Message-Type"))) {
      return Optional.empty();
    }
    String challenge = r.json() == null ? "" : r.json().path("challenge").asText();
    return Optional.of(new Challenge(200, "text/plain", challenge));
  }
}
