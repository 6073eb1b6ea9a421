package dev.herald.fuzz;

import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates JSON request bodies as text, from a seed, so every case can be replayed: mostly
 * plausible bodies for a route (its own field names) with values of random types, sizes, nesting,
 * unicode and numbers at the edges, plus documents that are not quite JSON (trailing data, cut
 * short, too deep). Text rather than objects, so that numbers like {@code 1e999999999} and escapes
 * like a lone surrogate reach the server exactly as an attacker would send them.
 */
final class JsonFuzz {
  static final List<String> NUMBERS =
      List.of(
          "0",
          "-0",
          "1",
          "-1",
          "3",
          "0.5",
          "1e2",
          "1E-400",
          "1e999999999",
          "-1e999999999",
          "12345678901234567.89",
          "9223372036854775807",
          "9223372036854775808",
          "-9223372036854775809",
          "2147483648",
          "4294967296",
          "100000000000000000000000000000",
          "1.0e+3",
          "-0.0");
  static final List<String> STRINGS =
      List.of(
          "",
          " ",
          "a",
          "a.b.c",
          "Zz-_.09",
          "é€",
          "\\u2028\\u2029",
          "😀",
          "\\ud800",
          "\\udfff\\ud800",
          "\\u0000",
          "a\\u0000b",
          "\\u0001\\u007f\\u000b",
          "\\t\\n\\r",
          "../../etc/passwd",
          "%00",
          "%2e%2e",
          "<script>alert(1)</script>",
          "' OR 1=1 --",
          "http://127.0.0.1/",
          "http://[::1]/",
          "https://user:p%40ss@example.com/x",
          "javascript:alert(1)",
          "ftp://x",
          "2020-01-01T00:00:00Z",
          "+999999999-01-01T00:00:00Z",
          "-999999999-01-01T00:00:00Z",
          "1970-01-01T00:00:00Z",
          "9999-12-31T23:59:59Z",
          "whsec_",
          "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
          "ViewBase",
          "ManageEndpoint",
          "null",
          "true",
          "0",
          "{\\\"a\\\":1}",
          "\\\"",
          "\\\\");

  private final Random random;

  JsonFuzz(long seed) {
    this.random = new Random(seed);
  }

  boolean chance(double p) {
    return random.nextDouble() < p;
  }

  <T> T pick(List<T> from) {
    return from.get(random.nextInt(from.size()));
  }

  /**
   * A body for a route whose fields (and a plausible value for each) are given: most fields kept,
   * some given random values, some extra fields; now and then something that is not an object.
   */
  String body(Map<String, String> fields) {
    int shape = random.nextInt(100);
    if (shape < 6) {
      return value(3);
    }
    if (shape < 10) {
      return object(fields)
          + pick(List.of("garbage", "{}", " {\"name\":\"y\"}", "]", ",", "\u0000"));
    }
    if (shape < 13) {
      String whole = object(fields);
      return whole.substring(0, random.nextInt(Math.max(1, whole.length())));
    }
    if (shape < 15) {
      return deep(pick(List.of(64, 600, 5000)));
    }
    return object(fields);
  }

  private String object(Map<String, String> fields) {
    StringBuilder out = new StringBuilder("{");
    boolean first = true;
    for (var field : fields.entrySet()) {
      if (chance(0.2)) {
        continue;
      }
      String v = chance(0.6) ? field.getValue() : value(2);
      first = member(out, first, field.getKey(), v);
    }
    int extra = chance(0.3) ? random.nextInt(3) + 1 : 0;
    for (int i = 0; i < extra; i++) {
      first =
          member(
              out,
              first,
              pick(List.of("x", "__proto__", "constructor", "", "\\u0000", "é")),
              value(2));
    }
    if (chance(0.05) && !fields.isEmpty()) {
      // The same member twice: which one wins must not change what is stored from what is
      // validated.
      String key = pick(List.copyOf(fields.keySet()));
      first = member(out, first, key, value(1));
    }
    return out.append('}').toString();
  }

  private static boolean member(StringBuilder out, boolean first, String key, String value) {
    if (!first) {
      out.append(',');
    }
    out.append('"').append(key).append("\":").append(value);
    return false;
  }

  /** A random JSON value, nested at most {@code depth} levels. */
  String value(int depth) {
    int kind = random.nextInt(depth > 0 ? 8 : 5);
    return switch (kind) {
      case 0 -> "null";
      case 1 -> random.nextBoolean() ? "true" : "false";
      case 2 -> pick(NUMBERS);
      case 3, 4 -> string();
      case 5 -> array(depth - 1);
      default -> {
        StringBuilder out = new StringBuilder("{");
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
          member(
              out,
              i == 0,
              pick(List.of("a", "name", "url", "X-Custom", "é", "")),
              value(depth - 1));
        }
        yield out.append('}').toString();
      }
    };
  }

  private String array(int depth) {
    StringBuilder out = new StringBuilder("[");
    int n = chance(0.05) ? 300 : random.nextInt(5);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(chance(0.5) ? string() : value(Math.max(0, depth)));
    }
    return out.append(']').toString();
  }

  String string() {
    if (chance(0.08)) {
      return "\"" + "x".repeat(pick(List.of(257, 1_000, 70_000))) + "\"";
    }
    return "\"" + pick(STRINGS) + "\"";
  }

  private static String deep(int levels) {
    return "{\"a\":".repeat(levels) + "1" + "}".repeat(levels);
  }

  /** A random value for a query parameter, raw (the caller encodes it). */
  String queryValue() {
    return pick(
        List.of(
            "",
            "-1",
            "0",
            "1",
            "251",
            "abc",
            "1e3",
            "99999999999999999999",
            "true",
            "null",
            "2020-01-01T00:00:00Z",
            "+999999999-01-01T00:00:00Z",
            "not-a-date",
            "ascending",
            "descending",
            "x".repeat(500),
            "é€",
            "\u0000",
            "'",
            "app_",
            "msg_2Zz",
            "-msg_",
            "a,b,c",
            "0,1,2,3"));
  }
}
