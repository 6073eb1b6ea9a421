package dev.herald.incoming.verify;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Twilio: {@code X-Twilio-Signature: <base64>}, HMAC-SHA1 with the auth token over the URL (the
 * source's {@code publicUrl} with the request's query) followed by the form parameters sorted by
 * name, each name then value. A non-form body is covered by the URL's {@code bodySHA256} parameter
 * (hex SHA-256 of the body), which must match.
 */
final class Twilio implements Verifier {
  /**
   * The URL Twilio signed: scheme, host and path from {@code publicUrl} (never the request's Host),
   * the query as received (Twilio appends {@code bodySHA256} to the configured URL's query).
   */
  static String signedUrl(String publicUrl, String rawQuery) {
    if (rawQuery == null) {
      return publicUrl;
    }
    int q = publicUrl.indexOf('?');
    return (q < 0 ? publicUrl : publicUrl.substring(0, q)) + "?" + rawQuery;
  }

  @Override
  public Verdict verify(InboundRequest r, VerifierConfig c, Instant now) {
    String header = r.header("X-Twilio-Signature");
    if (header == null) {
      return Verifier.missing("X-Twilio-Signature");
    }
    String url = signedUrl(c.publicUrl(), r.rawQuery());
    StringBuilder signed = new StringBuilder(url);
    if (r.isForm()) {
      for (Map.Entry<String, List<String>> e : new TreeMap<>(r.form()).entrySet()) {
        List<String> values = new ArrayList<>(e.getValue());
        values.sort(null);
        values.forEach(v -> signed.append(e.getKey()).append(v));
      }
    } else if (r.body().length > 0) {
      List<String> hash =
          InboundRequest.parsePairs(url.substring(url.indexOf('?') + 1)).get("bodySHA256");
      if (!url.contains("?") || hash == null || hash.isEmpty()) {
        return Verdict.invalid(
            Reason.BODY_HASH_MISMATCH, "a non-form body needs the bodySHA256 URL parameter");
      }
      if (!Macs.equal(Macs.sha256(r.body()), Macs.hex(hash.get(0)))) {
        return Verdict.invalid(
            Reason.BODY_HASH_MISMATCH, "bodySHA256 is not the SHA-256 of the body");
      }
    }
    byte[] given = Macs.base64(header);
    byte[] data = Macs.utf8(signed.toString());
    boolean match = false;
    for (String secret : c.secrets()) {
      match |= Macs.equal(Macs.hmac("HmacSHA1", Macs.utf8(secret), data), given);
    }
    return match ? Verdict.VALID : Verifier.mismatch("X-Twilio-Signature");
  }
}
