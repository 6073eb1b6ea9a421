package dev.herald.incoming.verify;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * HTTP Basic authentication against {@code "username:password"} secrets (split at the first colon,
 * so passwords may hold colons), both parts compared in constant time.
 */
final class BasicAuth implements Verifier {
  @Override
  public Verdict verify(InboundRequest r, VerifierConfig c, Instant now) {
    String header = r.header("Authorization");
    if (header == null) {
      return Verifier.missing("Authorization");
    }
    String h = header.trim();
    if (!h.regionMatches(true, 0, "Basic ", 0, 6)) {
      return Verdict.invalid(Reason.MALFORMED_HEADER, "Authorization is not Basic credentials");
    }
    byte[] decoded = Macs.base64(h.substring(6).trim());
    String text = decoded == null ? null : new String(decoded, StandardCharsets.UTF_8);
    if (text == null || text.indexOf(':') < 0) {
      return Verdict.invalid(
          Reason.MALFORMED_HEADER, "Authorization does not hold base64 of username:password");
    }
    int colon = text.indexOf(':');
    String user = text.substring(0, colon);
    String password = text.substring(colon + 1);
    boolean match = false;
    for (String secret : c.secrets()) {
      int at = secret.indexOf(':');
      boolean userOk = Macs.equal(secret.substring(0, at), user);
      boolean passwordOk = Macs.equal(secret.substring(at + 1), password);
      match |= userOk & passwordOk;
    }
    return match
        ? Verdict.VALID
        : Verdict.invalid(
            Reason.CREDENTIALS_MISMATCH, "the username and password match no secret of the source");
  }
}
