package dev.herald.incoming;

import dev.herald.incoming.verify.Extract;
import dev.herald.incoming.verify.InboundRequest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * What a verified request yields besides its payload: the event type, the de-duplication key (null
 * when de-duplication is off) and the provider's delivery id (null when it sends none).
 */
record Derived(String eventType, String dedupeKey, String deliveryId) {
  private static final int MAX_KEY_SHOWN = 256;

  static Derived of(Source s, InboundRequest r) {
    String deliveryId = s.verifier().type().deliveryId(r);
    String eventType = s.eventType().eventTypeOf(r, s.verifier().type());
    return new Derived(eventType, s.dedupe().enabled() ? key(s, r, deliveryId) : null, deliveryId);
  }

  /**
   * The configured key's values (joined by newlines), else the provider's delivery id, else the
   * body's SHA-256: a request the provider sends again carries the same key.
   */
  private static String key(Source s, InboundRequest r, String deliveryId) {
    List<String> values = new ArrayList<>();
    boolean any = false;
    for (String e : s.dedupe().key()) {
      String v = Extract.value(e, r);
      any |= v != null;
      values.add(v == null ? "" : v);
    }
    String key;
    if (any) {
      key = String.join("\n", values);
    } else if (deliveryId != null) {
      key = deliveryId;
    } else {
      key = "sha256:" + HexFormat.of().formatHex(sha256(r.body()));
    }
    return key;
  }

  /** The key as the request log and the dry run show it: at most 256 characters. */
  String shownKey() {
    return dedupeKey == null || dedupeKey.length() <= MAX_KEY_SHOWN
        ? dedupeKey
        : dedupeKey.substring(0, MAX_KEY_SHOWN) + "…";
  }

  /** The key as stored: its SHA-256, so any length fits and no value is kept in clear. */
  static String hash(String key) {
    return HexFormat.of().formatHex(sha256(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  private static byte[] sha256(byte[] data) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(data);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
