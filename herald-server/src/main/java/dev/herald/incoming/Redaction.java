package dev.herald.incoming;

import dev.herald.incoming.verify.InboundRequest;
import dev.herald.incoming.verify.Preset;
import dev.herald.incoming.verify.VerifierConfig;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Headers as the request log keeps them: credentials, signatures and tokens replaced by {@code
 * [redacted]}, so a log of forged requests never teaches anyone a valid signature or a key.
 */
final class Redaction {
  static final String REDACTED = "[redacted]";
  private static final int MAX_VALUE = 512;
  private static final int MAX_HEADERS = 64;
  private static final List<String> SENSITIVE =
      List.of(
          "authorization",
          "cookie",
          "signature",
          "token",
          "secret",
          "hmac",
          "api-key",
          "apikey",
          "password");

  private Redaction() {}

  static Map<String, String> headers(InboundRequest r, VerifierConfig c) {
    String keyHeader =
        c.type() == Preset.API_KEY && c.header() != null
            ? c.header().toLowerCase(Locale.ROOT)
            : c.type() == Preset.HMAC && c.header() != null
                ? c.header().toLowerCase(Locale.ROOT)
                : "authorization";
    Map<String, String> out = new TreeMap<>();
    for (var e : r.headers().entrySet()) {
      if (out.size() >= MAX_HEADERS) {
        break;
      }
      String name = e.getKey();
      String value = e.getValue().isEmpty() ? "" : e.getValue().get(0);
      boolean sensitive = name.equals(keyHeader) || SENSITIVE.stream().anyMatch(name::contains);
      out.put(name, sensitive ? REDACTED : cut(value));
    }
    return out;
  }

  private static String cut(String v) {
    return v.length() > MAX_VALUE ? v.substring(0, MAX_VALUE) + "…" : v;
  }
}
