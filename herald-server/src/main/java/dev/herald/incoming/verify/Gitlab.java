package dev.herald.incoming.verify;

import java.time.Instant;

/**
 * GitLab: a request signed with a signing token carries Standard Webhooks headers and is checked as
 * such; otherwise {@code X-Gitlab-Token} must equal a secret (compared in constant time).
 */
final class Gitlab implements Verifier {
  private final StandardWebhooks signed = new StandardWebhooks();

  @Override
  public Verdict verify(InboundRequest r, VerifierConfig c, Instant now) {
    if (r.header("webhook-signature") != null) {
      return signed.verify(r, c, now);
    }
    String token = r.header("X-Gitlab-Token");
    if (token == null) {
      return Verifier.missing("X-Gitlab-Token (or webhook-signature)");
    }
    boolean match = false;
    for (String secret : c.secrets()) {
      match |= Macs.equal(secret, token);
    }
    return match
        ? Verdict.VALID
        : Verdict.invalid(Reason.TOKEN_MISMATCH, "X-Gitlab-Token matches no secret of the source");
  }
}
