package dev.herald.incoming.verify;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a verifier's settings must satisfy, checked when a source is saved: a source that could
 * never verify a request (a malformed key, a missing URL) is refused there, not at the first
 * webhook.
 */
public final class VerifierRules {
  public static final int MAX_TOLERANCE_SECONDS = 86_400;
  private static final Set<String> ALGORITHMS = Set.of("sha1", "sha256", "sha512");
  private static final Set<String> ENCODINGS = Set.of("hex", "base64");

  /** One broken rule: the field under {@code verifier} and what is wrong. */
  public record Problem(List<String> loc, String msg, String type) {}

  private VerifierRules() {}

  public static List<Problem> check(VerifierConfig c) {
    List<Problem> out = new ArrayList<>();
    Preset p = c.type();
    int n = c.secrets().size();
    if (p == Preset.NONE) {
      if (n > 0) {
        out.add(problem("secrets", "the none verifier takes no secrets", "value_error.list.empty"));
      }
    } else if (n < 1 || n > VerifierConfig.MAX_SECRETS) {
      out.add(
          problem(
              "secrets",
              "give 1 to " + VerifierConfig.MAX_SECRETS + " secrets, newest last",
              n < 1 ? "value_error.list.min_items" : "value_error.list.max_items"));
    }
    for (int i = 0; i < n; i++) {
      String why = secretProblem(p, c.secrets().get(i));
      if (why != null) {
        out.add(new Problem(List.of("secrets", String.valueOf(i)), why, "value_error.secret"));
      }
    }
    if ((p == Preset.TWILIO || p == Preset.SQUARE) && !isHttpUrl(c.publicUrl())) {
      out.add(
          problem(
              "publicUrl",
              p.wireName()
                  + " signs the URL: give the ingest URL exactly as configured at the provider",
              "value_error.url"));
    }
    if (p == Preset.HMAC) {
      if (c.header() == null || c.header().isBlank()) {
        out.add(problem("header", "hmac needs the signature header", "value_error.missing"));
      }
      if (c.algorithm() != null && !ALGORITHMS.contains(c.algorithm())) {
        out.add(problem("algorithm", "one of sha1, sha256, sha512", "type_error.enum"));
      }
      if (c.encoding() != null && !ENCODINGS.contains(c.encoding())) {
        out.add(problem("encoding", "one of hex, base64", "type_error.enum"));
      }
    }
    if (c.toleranceSeconds() != null
        && (c.toleranceSeconds() < 1 || c.toleranceSeconds() > MAX_TOLERANCE_SECONDS)) {
      out.add(
          problem(
              "toleranceSeconds",
              "between 1 and " + MAX_TOLERANCE_SECONDS,
              "value_error.number.not_in_range"));
    }
    return out;
  }

  private static Problem problem(String field, String msg, String type) {
    return new Problem(List.of(field), msg, type);
  }

  private static String secretProblem(Preset p, String s) {
    if (s.isEmpty()) {
      return "a secret may not be empty";
    }
    if (s.length() > 4096) {
      return "a secret may be at most 4096 characters";
    }
    return switch (p) {
      case SVIX, STANDARD_WEBHOOKS -> {
        if (s.startsWith("whpk_")) {
          yield StandardWebhooks.ed25519(s) == null
              ? "a whpk_ key must be the base64 of 32 Ed25519 public key bytes"
              : null;
        }
        byte[] key = StandardWebhooks.hmacKey(s);
        yield key == null || key.length == 0
            ? "a whsec_ secret must be whsec_ followed by base64"
            : null;
      }
      case SENDGRID ->
          SendGrid.publicKey(s) == null
              ? "the verification key must be a base64 DER (X.509) P-256 public key"
              : null;
      case BASIC_AUTH -> s.indexOf(':') < 0 ? "give username:password" : null;
      default -> null;
    };
  }

  private static boolean isHttpUrl(String url) {
    if (url == null) {
      return false;
    }
    try {
      URI u = new URI(url);
      return (u.getScheme() != null && u.getScheme().matches("https?")) && u.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
