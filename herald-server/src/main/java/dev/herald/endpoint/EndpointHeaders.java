package dev.herald.endpoint;

import dev.herald.error.ValidationFailed;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Custom headers an endpoint adds to each delivery. Names Herald sets itself, hop-by-hop headers
 * and cloud-provider headers are refused; credential-like headers are redacted when read back.
 */
public final class EndpointHeaders {
  private static final Pattern TOKEN = Pattern.compile("^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$");
  private static final Set<String> FORBIDDEN =
      Set.of(
          "host",
          "content-length",
          "content-type",
          "content-encoding",
          "transfer-encoding",
          "connection",
          "keep-alive",
          "upgrade",
          "te",
          "trailer",
          "expect",
          "proxy-authorization",
          "proxy-connection",
          "user-agent",
          "via",
          "forwarded",
          "x-forwarded-for",
          "x-forwarded-host",
          "x-forwarded-proto",
          "x-real-ip",
          "traceparent",
          "tracestate");
  private static final List<String> FORBIDDEN_PREFIXES =
      List.of(
          "webhook-",
          "svix-",
          "x-amz-",
          "x-amzn-",
          "x-goog-",
          "x-google-",
          "x-gfe-",
          "x-azure-",
          "x-ms-",
          "x-fd-",
          "x-arr-",
          "cf-",
          "x-envoy-",
          "x-herald-",
          "sec-",
          "proxy-");
  private static final Set<String> SENSITIVE =
      Set.of("authorization", "cookie", "x-api-key", "api-key", "x-auth-token", "x-access-token");

  private EndpointHeaders() {}

  /**
   * Validates a full header map (PUT, create) or a patch, whose null values delete. Names must be
   * unique ignoring case: HTTP does not tell {@code X-A} from {@code x-a}, so two of them would
   * leave it to the HTTP client which one is sent. Deleting a name twice is harmless and allowed.
   */
  public static void validate(Map<String, String> headers) {
    List<ValidationFailed.Item> problems = new ArrayList<>();
    Map<String, String> firstByLowerName = new HashMap<>();
    for (var e : headers.entrySet()) {
      String problem = problem(e.getKey(), e.getValue());
      String lower = e.getKey().toLowerCase(Locale.ROOT);
      String first = firstByLowerName.putIfAbsent(lower, e.getKey());
      boolean setsAClash = first != null && (e.getValue() != null || headers.get(first) != null);
      if (problem == null && setsAClash) {
        problem = duplicate(e.getKey(), first);
      }
      if (problem != null) {
        problems.add(item(e.getKey(), problem));
      }
    }
    if (!problems.isEmpty()) {
      throw new ValidationFailed(problems);
    }
  }

  private static ValidationFailed.Item item(String name, String problem) {
    return new ValidationFailed.Item(List.of("body", "headers", name), problem, "value_error");
  }

  private static String duplicate(String name, String other) {
    return "the header \""
        + name
        + "\" is given twice (as \""
        + other
        + "\"); header names ignore case";
  }

  private static String problem(String name, String value) {
    if (!TOKEN.matcher(name).matches()) {
      return "\"" + name + "\" is not a valid header name";
    }
    String lower = name.toLowerCase(Locale.ROOT);
    if (FORBIDDEN.contains(lower)) {
      return "the header \""
          + name
          + "\" is set by Herald or the HTTP layer and cannot be overridden";
    }
    for (String prefix : FORBIDDEN_PREFIXES) {
      if (lower.startsWith(prefix)) {
        return "headers starting with \"" + prefix + "\" are reserved";
      }
    }
    return value == null ? null : valueProblem(name, value);
  }

  /**
   * Values are visible ASCII, space and tab (RFC 9110 field-vchar without obs-text). Anything else
   * was changed on the wire: non-ASCII text went out as Latin-1 bytes or spaces, DEL raw. Leading
   * or trailing whitespace is refused rather than trimmed, since HTTP would drop it silently.
   */
  private static String valueProblem(String name, String value) {
    if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\0') >= 0) {
      return "the value of \"" + name + "\" contains a line break or NUL";
    }
    if (value.length() > 8192) {
      return "the value of \"" + name + "\" is longer than 8192 characters";
    }
    for (int i = 0; i < value.length(); i = value.offsetByCodePoints(i, 1)) {
      int c = value.codePointAt(i);
      boolean allowed = (c >= 0x21 && c <= 0x7E) || c == ' ' || c == '\t';
      if (!allowed) {
        return "the value of \""
            + name
            + "\" contains "
            + String.format("U+%04X", c)
            + " at index "
            + i
            + "; values may hold only visible ASCII, space and tab";
      }
    }
    if (!value.isEmpty()
        && (isBlank(value.charAt(0)) || isBlank(value.charAt(value.length() - 1)))) {
      return "the value of \"" + name + "\" starts or ends with a space or tab";
    }
    return null;
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }

  /**
   * Svix's EndpointHeadersOut: credential-like headers are listed in {@code sensitive}, not shown.
   */
  public record View(Map<String, String> headers, Set<String> sensitive) {}

  public static View view(Map<String, String> headers) {
    Map<String, String> shown = new LinkedHashMap<>();
    Set<String> sensitive = new TreeSet<>();
    headers.forEach(
        (k, v) -> {
          if (SENSITIVE.contains(k.toLowerCase(Locale.ROOT))) {
            sensitive.add(k);
          } else {
            shown.put(k, v);
          }
        });
    return new View(shown, sensitive);
  }

  /**
   * Applies a PATCH: a null value removes the header, others are set. Names match
   * case-insensitively.
   */
  public static Map<String, String> merge(Map<String, String> current, Map<String, String> patch) {
    Map<String, String> out = new LinkedHashMap<>(current);
    patch.forEach(
        (k, v) -> {
          out.keySet().removeIf(existing -> existing.equalsIgnoreCase(k));
          if (v != null) {
            out.put(k, v);
          }
        });
    checkUnique(out);
    return out;
  }

  /**
   * A merge of a validated patch can only leave two names differing in case when they were stored
   * before names were checked; the patch must then delete one rather than keep both.
   */
  private static void checkUnique(Map<String, String> headers) {
    Map<String, String> firstByLowerName = new HashMap<>();
    List<ValidationFailed.Item> problems = new ArrayList<>();
    headers
        .keySet()
        .forEach(
            name -> {
              String first = firstByLowerName.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
              if (first != null) {
                problems.add(item(name, duplicate(name, first) + "; delete one of them"));
              }
            });
    if (!problems.isEmpty()) {
      throw new ValidationFailed(problems);
    }
  }
}
