package dev.herald.incoming.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.json.Json;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Slack: {@code X-Slack-Signature: v0=<hex>}, HMAC-SHA256 of {@code "v0:" +
 * X-Slack-Request-Timestamp + ":" + body} with the signing secret; ±300 s. Answers the {@code
 * url_verification} challenge.
 */
final class Slack implements Verifier {
  static final long TOLERANCE = 300;

  @Override
  public Verdict verify(InboundRequest r, VerifierConfig c, Instant now) {
    String signature = r.header("X-Slack-Signature");
    String timestamp = r.header("X-Slack-Request-Timestamp");
    if (signature == null) {
      return Verifier.missing("X-Slack-Signature");
    }
    if (timestamp == null) {
      return Verifier.missing("X-Slack-Request-Timestamp");
    }
    Long ts = Verifier.parseLong(timestamp);
    if (ts == null) {
      return Verdict.invalid(
          Reason.MALFORMED_HEADER, "X-Slack-Request-Timestamp is not a number of seconds");
    }
    if (!signature.startsWith("v0=")) {
      return Verdict.invalid(Reason.MALFORMED_HEADER, "X-Slack-Signature does not start with v0=");
    }
    if (!Macs.v0Matches(c.secrets(), timestamp, r.body(), Macs.hex(signature.substring(3)))) {
      return Verifier.mismatch("X-Slack-Signature");
    }
    long tolerance = c.tolerance(TOLERANCE);
    return Verifier.outside(ts, now, tolerance, false)
        ? Verifier.stale(ts, now, tolerance)
        : Verdict.VALID;
  }

  @Override
  public Optional<Challenge> challenge(InboundRequest r, VerifierConfig c) {
    JsonNode body = r.json();
    if (body == null || !"url_verification".equals(body.path("type").asText())) {
      return Optional.empty();
    }
    return Optional.of(
        new Challenge(
            200,
            "application/json",
            Json.write(Map.of("challenge", body.path("challenge").asText()))));
  }
}
