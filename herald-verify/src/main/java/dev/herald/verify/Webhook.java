package dev.herald.verify;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Verifies <a href="https://www.standardwebhooks.com/">Standard Webhooks</a> signatures on the
 * receiving side.
 *
 * <p>Built from one secret or a trust list of several: {@code whsec_...} (or bare base64) secrets
 * check {@code v1} HMAC-SHA256 signatures, {@code whpk_...} public keys check {@code v1a} ed25519
 * signatures. A request passes when any one signature in its header matches any trusted key of the
 * same scheme, which is what lets senders rotate keys without downtime.
 *
 * <p>Instances are immutable and thread-safe; build one at startup and share it.
 */
public final class Webhook {
  public static final String ID_HEADER = "webhook-id";
  public static final String TIMESTAMP_HEADER = "webhook-timestamp";
  public static final String SIGNATURE_HEADER = "webhook-signature";

  /** The tolerance every reference library uses, in both directions. */
  public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

  // Svix sends the same three values under its own brand; the reference libraries accept both.
  // Each set is taken whole, so one request's id is never paired with another scheme's signature.
  private static final List<List<String>> HEADER_SETS =
      List.of(
          List.of(ID_HEADER, TIMESTAMP_HEADER, SIGNATURE_HEADER),
          List.of("svix-id", "svix-timestamp", "svix-signature"));

  // Long.MAX_VALUE has 19 digits; anything longer cannot be a valid timestamp.
  private static final int MAX_TIMESTAMP_DIGITS = 19;

  private final List<TrustedKey> keys;
  private final long toleranceSeconds;
  private final Clock clock;

  /** A verifier trusting a single {@code whsec_}, bare base64 or {@code whpk_} secret. */
  public Webhook(String secret) {
    this(List.of(TrustedKey.parse(secret)), DEFAULT_TOLERANCE.toSeconds(), Clock.systemUTC());
  }

  private Webhook(List<TrustedKey> keys, long toleranceSeconds, Clock clock) {
    this.keys = keys;
    this.toleranceSeconds = toleranceSeconds;
    this.clock = clock;
  }

  /**
   * A verifier trusting every given secret, e.g. the current and the previous {@code whsec_} during
   * a rotation, or a {@code whsec_} together with a {@code whpk_} to accept both {@code v1} and
   * {@code v1a}.
   */
  public static Webhook trusting(String... secrets) {
    return trusting(Arrays.asList(secrets));
  }

  /** See {@link #trusting(String...)}. */
  public static Webhook trusting(Collection<String> secrets) {
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException("At least one secret is required");
    }
    List<TrustedKey> keys = new ArrayList<>(secrets.size());
    for (String secret : secrets) {
      keys.add(TrustedKey.parse(secret));
    }
    return new Webhook(List.copyOf(keys), DEFAULT_TOLERANCE.toSeconds(), Clock.systemUTC());
  }

  /**
   * A copy accepting timestamps up to {@code tolerance} away from the clock, in either direction.
   * Whole seconds only, since timestamps are whole seconds; a fraction is dropped.
   */
  public Webhook withTolerance(Duration tolerance) {
    if (tolerance.isNegative()) {
      throw new IllegalArgumentException("Tolerance can't be negative");
    }
    return new Webhook(keys, tolerance.toSeconds(), clock);
  }

  /**
   * A copy reading "now" from {@code clock}, so tests and replays need no real time: e.g. {@code
   * Clock.fixed(Instant.ofEpochSecond(1614265330), ZoneOffset.UTC)}. Only its instant is read.
   */
  public Webhook withClock(Clock clock) {
    return new Webhook(keys, toleranceSeconds, Objects.requireNonNull(clock, "clock"));
  }

  /**
   * Verifies {@code body} against the request headers. Header names are matched ignoring case;
   * {@code webhook-*} headers are used when all three are present, else {@code svix-*}.
   *
   * @return {@code body}, so the call can guard the parse: {@code parse(wh.verify(body, hdrs))}
   * @throws WebhookVerificationException if the webhook is not authentic and fresh
   */
  public byte[] verify(byte[] body, Map<String, String> headers) {
    Objects.requireNonNull(headers, "headers");
    for (List<String> names : HEADER_SETS) {
      String id = header(headers, names.get(0));
      String timestamp = header(headers, names.get(1));
      String signature = header(headers, names.get(2));
      if (present(id) && present(timestamp) && present(signature)) {
        return verify(body, id, timestamp, signature);
      }
    }
    throw new WebhookVerificationException("Missing required headers");
  }

  /**
   * As {@link #verify(byte[], Map)} for a body held as text; it is signed as its UTF-8 bytes.
   * Prefer the {@code byte[]} overload when the raw body is at hand: a framework that decoded it
   * with another charset, or re-serialised JSON, changes the bytes and breaks the signature.
   */
  public String verify(String payload, Map<String, String> headers) {
    verify(payload.getBytes(StandardCharsets.UTF_8), headers);
    return payload;
  }

  /**
   * Verifies {@code body} against the values of the three headers, for frameworks that do not
   * expose headers as a map.
   *
   * @return {@code body}
   * @throws WebhookVerificationException if the webhook is not authentic and fresh
   */
  public byte[] verify(byte[] body, String id, String timestamp, String signature) {
    Objects.requireNonNull(body, "body");
    if (!present(id) || !present(timestamp) || !present(signature)) {
      throw new WebhookVerificationException("Missing required headers");
    }
    checkFreshness(parseTimestamp(timestamp));
    // The timestamp text is canonical (checked above), so it is exactly what the sender signed.
    byte[] prefix = signedPrefix(id, timestamp);
    List<Predicate<String>> matchers = new ArrayList<>(keys.size());
    for (TrustedKey key : keys) {
      matchers.add(key.matcher(prefix, body));
    }
    for (String entry : signature.split(" ")) {
      int comma = entry.indexOf(',');
      if (comma < 0) {
        continue; // not "<identifier>,<signature>": skipped, as in the reference libraries
      }
      String identifier = entry.substring(0, comma);
      String encoded = entry.substring(comma + 1);
      for (int i = 0; i < keys.size(); i++) {
        // Exact, case-sensitive identifiers; unknown ones (v2, ...) match no key and are skipped.
        if (keys.get(i).identifier().equals(identifier) && matchers.get(i).test(encoded)) {
          return body;
        }
      }
    }
    throw new WebhookVerificationException("No matching signature found");
  }

  /** As {@link #verify(byte[], String, String, String)} for a UTF-8 text body. */
  public String verify(String payload, String id, String timestamp, String signature) {
    verify(payload.getBytes(StandardCharsets.UTF_8), id, timestamp, signature);
    return payload;
  }

  /**
   * Computes the {@code webhook-signature} header value for {@code body}: one {@code v1,<base64>}
   * entry per trusted HMAC secret, space-separated (the rotation format). For tests and simple
   * senders; {@code whpk_} keys are public and cannot sign, so they are left out.
   *
   * @throws IllegalStateException if this verifier trusts no HMAC secret
   */
  public String sign(String id, long timestamp, byte[] body) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(body, "body");
    if (timestamp < 0) {
      throw new IllegalArgumentException("Timestamp can't be negative");
    }
    byte[] prefix = signedPrefix(id, Long.toString(timestamp));
    List<String> entries = new ArrayList<>();
    for (TrustedKey key : keys) {
      if (key instanceof TrustedKey.Hmac) {
        byte[] mac = ((TrustedKey.Hmac) key).mac(prefix, body);
        entries.add("v1," + Base64.getEncoder().encodeToString(mac));
      }
    }
    if (entries.isEmpty()) {
      throw new IllegalStateException("Signing needs a whsec_ secret; whpk_ keys only verify");
    }
    return String.join(" ", entries);
  }

  /** As {@link #sign(String, long, byte[])} for a UTF-8 text body. */
  public String sign(String id, long timestamp, String payload) {
    return sign(id, timestamp, payload.getBytes(StandardCharsets.UTF_8));
  }

  // The signed content is "{id}.{timestamp}.{body}"; the prefix is hashed first and the body
  // streamed after it, so a large body is never copied into one concatenated array.
  private static byte[] signedPrefix(String id, String timestamp) {
    return (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
  }

  // Only canonical decimal seconds are accepted: no sign, fraction, whitespace or leading zero.
  // The reference libraries parse and re-format instead, which lets "+0001614265330" and
  // "1614265330" share a signature; insisting on one spelling means the header text can be
  // signed as-is and nothing non-canonical is ever trusted.
  private static long parseTimestamp(String text) {
    boolean canonical =
        text.length() <= MAX_TIMESTAMP_DIGITS
            && (text.equals("0") || text.charAt(0) != '0')
            && text.chars().allMatch(c -> c >= '0' && c <= '9');
    if (canonical) {
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException e) {
        // 19 digits above Long.MAX_VALUE: falls through to the rejection below.
      }
    }
    throw new WebhookVerificationException("Invalid Signature Headers");
  }

  // Inclusive bounds like the Java and PHP reference libraries: exactly the tolerance away passes.
  private void checkFreshness(long timestamp) {
    long now = clock.instant().getEpochSecond();
    if (timestamp < saturatingAdd(now, -toleranceSeconds)) {
      throw new WebhookVerificationException("Message timestamp too old");
    }
    if (timestamp > saturatingAdd(now, toleranceSeconds)) {
      throw new WebhookVerificationException("Message timestamp too new");
    }
  }

  // A huge tolerance (e.g. Duration.ofSeconds(Long.MAX_VALUE)) must widen the window, not wrap.
  private static long saturatingAdd(long a, long b) {
    try {
      return Math.addExact(a, b);
    } catch (ArithmeticException e) {
      return b < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  private static boolean present(String value) {
    return value != null && !value.isEmpty();
  }

  // HTTP header names are case-insensitive, but callers hand over plain maps keyed however their
  // framework spelled them, so the exact key is tried first and a case-insensitive scan after.
  private static String header(Map<String, String> headers, String name) {
    String value = headers.get(name);
    if (value != null) {
      return value;
    }
    for (Map.Entry<String, String> entry : headers.entrySet()) {
      if (name.equalsIgnoreCase(entry.getKey())) {
        return entry.getValue();
      }
    }
    return null;
  }
}
