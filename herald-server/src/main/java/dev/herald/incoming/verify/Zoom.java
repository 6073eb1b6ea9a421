package dev.herald.incoming.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.json.Json;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Zoom: {@code x-zm-signature: v0=<hex>}, HMAC-SHA256 of {@code "v0:" + x-zm-request-timestamp +
 * ":" + body} with the secret token; ±300 s. Answers {@code endpoint.url_validation} with the plain
 * token and its HMAC (newest secret).
 */
final class Zoom implements Verifier {
  static final long TOLERANCE = 300;

  @Override
  public Verdict verify(InboundRequest r, VerifierConfig c, Instant now) {
    String signature = r.header("x-zm-signature");
    String timestamp = r.header("x-zm-request-timestamp");
    if (signature == null) {
      return Verifier.missing("x-zm-signature");
    }
    if (timestamp == null) {
      return Verifier.missing("x-zm-request-timestamp");
    }
    Long ts = Verifier.parseLong(timestamp);
    if (ts == null || !signature.startsWith("v0=")) {
      return Verdict.invalid(
          Reason.MALFORMED_HEADER, "x-zm-signature must be v0=<hex> and the timestamp a number");
    }
    if (!Macs.v0Matches(c.secrets(), timestamp, r.body(), Macs.hex(signature.substring(3)))) {
      return Verifier.mismatch("x-zm-signature");
    }
    long tolerance = c.tolerance(TOLERANCE);
    return Verifier.outside(ts, now, tolerance, false)
        ? Verifier.stale(ts, now, tolerance)
        : Verdict.VALID;
  }

  @Override
  public Optional<Challenge> challenge(InboundRequest r, VerifierConfig c) {
    JsonNode body = r.json();
    if (body == null || !"endpoint.url_validation".equals(body.path("event").asText())) {
      return Optional.empty();
    }
    String plain = body.at("/payload/plainToken").asText();
    String secret = c.secrets().get(c.secrets().size() - 1);
    Map<String, String> answer = new LinkedHashMap<>();
    answer.put("plainToken", plain);
    answer.put("encryptedToken", Macs.hexOf(Macs.hmacSha256(secret, Macs.utf8(plain))));
    return Optional.of(new Challenge(200, "application/json", Json.write(answer)));
  }
}
