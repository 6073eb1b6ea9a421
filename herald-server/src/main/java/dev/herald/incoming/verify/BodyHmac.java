package dev.herald.incoming.verify;

import java.time.Instant;
import java.util.Locale;

/**
 * A signature header holding an HMAC of the body alone: GitHub ({@code X-Hub-Signature-256:
 * sha256=<hex>}), Shopify ({@code X-Shopify-Hmac-Sha256: <base64>}) and the generic {@code hmac}
 * preset (header, algorithm, encoding and prefix configured).
 */
final class BodyHmac implements Verifier {
  /** Fixed settings of a provider; null fields come from the source's configuration. */
  private final String header;

  private final String algorithm;
  private final String encoding;
  private final String prefix;

  BodyHmac(String header, String algorithm, String encoding, String prefix) {
    this.header = header;
    this.algorithm = algorithm;
    this.encoding = encoding;
    this.prefix = prefix;
  }

  /** The generic preset: everything from the source's configuration. */
  static BodyHmac configured() {
    return new BodyHmac(null, null, null, null);
  }

  static String javaAlgorithm(String algorithm) {
    return switch (algorithm == null ? "sha256" : algorithm.toLowerCase(Locale.ROOT)) {
      case "sha1" -> "HmacSHA1";
      case "sha512" -> "HmacSHA512";
      default -> "HmacSHA256";
    };
  }

  @Override
  public Verdict verify(InboundRequest r, VerifierConfig c, Instant now) {
    String name = header != null ? header : c.header();
    String pre = prefix != null ? prefix : c.prefix() == null ? "" : c.prefix();
    String enc = encoding != null ? encoding : c.encoding() == null ? "hex" : c.encoding();
    String alg = javaAlgorithm(algorithm != null ? algorithm : c.algorithm());
    String value = r.header(name);
    if (value == null) {
      return Verifier.missing(name);
    }
    value = value.trim();
    if (!value.regionMatches(true, 0, pre, 0, pre.length())) {
      return Verdict.invalid(Reason.MALFORMED_HEADER, name + " does not start with '" + pre + "'");
    }
    String text = value.substring(pre.length());
    byte[] given = enc.equals("base64") ? Macs.base64(text) : Macs.hex(text);
    boolean match = false;
    for (String secret : c.secrets()) {
      match |= Macs.equal(Macs.hmac(alg, Macs.utf8(secret), r.body()), given);
    }
    return match ? Verdict.VALID : Verifier.mismatch(name);
  }
}
