package dev.herald.incoming.verify;

import java.time.Instant;

/**
 * A key sent in a header ({@code header}, default {@code Authorization}), after an optional {@code
 * prefix} such as {@code "Bearer "}; compared in constant time with each secret.
 */
final class ApiKey implements Verifier {
  static final String DEFAULT_HEADER = "Authorization";

  static String headerOf(VerifierConfig c) {
    return c.header() == null ? DEFAULT_HEADER : c.header();
  }

  @Override
  public Verdict verify(InboundRequest r, VerifierConfig c, Instant now) {
    String name = headerOf(c);
    String value = r.header(name);
    if (value == null) {
      return Verifier.missing(name);
    }
    String prefix = c.prefix() == null ? "" : c.prefix();
    if (!value.regionMatches(true, 0, prefix, 0, prefix.length())) {
      return Verdict.invalid(
          Reason.MALFORMED_HEADER, name + " does not start with '" + prefix + "'");
    }
    String key = value.substring(prefix.length()).trim();
    boolean match = false;
    for (String secret : c.secrets()) {
      match |= Macs.equal(secret, key);
    }
    return match
        ? Verdict.VALID
        : Verdict.invalid(Reason.TOKEN_MISMATCH, "the key in " + name + " matches no secret");
  }
}
