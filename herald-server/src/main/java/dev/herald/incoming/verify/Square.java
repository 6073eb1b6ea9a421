package dev.herald.incoming.verify;

import java.time.Instant;

/**
 * Square: {@code x-square-hmacsha256-signature: <base64>}, HMAC-SHA256 of the notification URL (the
 * source's {@code publicUrl}, exactly as registered) followed by the body.
 */
final class Square implements Verifier {
  @Override
  public Verdict verify(InboundRequest r, VerifierConfig c, Instant now) {
    String header = r.header("x-square-hmacsha256-signature");
    if (header == null) {
      return Verifier.missing("x-square-hmacsha256-signature");
    }
    byte[] given = Macs.base64(header);
    byte[] url = Macs.utf8(c.publicUrl());
    boolean match = false;
    for (String secret : c.secrets()) {
      match |= Macs.equal(Macs.hmacSha256(secret, url, r.body()), given);
    }
    return match ? Verdict.VALID : Verifier.mismatch("x-square-hmacsha256-signature");
  }
}
