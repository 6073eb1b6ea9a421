package dev.herald.endpoint;

import dev.herald.error.ValidationFailed;
import java.util.ArrayList;
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
  private static final Set<String> FORBIDDEN = Set.of(
      "host", "content-length", "content-type", "content-encoding", "transfer-encoding", "connection",
      "keep-alive", "upgrade", "te", "trailer", "expect", "proxy-authorization", "proxy-connection",
      "user-agent", "via", "forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto",
      "x-real-ip", "traceparent", "tracestate");
  private static final List<String> FORBIDDEN_PREFIXES = List.of(
      "webhook-", "svix-", "x-amz-", "x-amzn-", "x-goog-", "x-google-", "x-gfe-", "x-azure-", "x-ms-",
      "x-fd-", "x-arr-", "cf-", "x-envoy-", "x-herald-", "sec-", "proxy-");
  private static final Set<String> SENSITIVE = Set.of(
      "authorization", "cookie", "x-api-key", "api-key", "x-auth-token", "x-access-token");

  private EndpointHeaders() {}

  /** Validates a full header map (PUT) or the non-null entries of a patch. */
  public static void validate(Map<String, String> headers) {
    List<ValidationFailed.Item> problems = new ArrayList<>();
    for (var e : headers.entrySet()) {
      String problem = problem(e.getKey(), e.getValue());
      if (problem != null) {
        problems.add(new ValidationFailed.Item(List.of("body", "headers", e.getKey()), problem, "value_error"));
      }
    }
    if (!problems.isEmpty()) {
      throw new ValidationFailed(problems);
    }
  }

  private static String problem(String name, String value) {
    if (!TOKEN.matcher(name).matches()) {
      return "\"" + name + "\" is not a valid header name";
    }
    String lower = name.toLowerCase(Locale.ROOT);
    if (FORBIDDEN.contains(lower)) {
      return "the header \"" + name + "\" is set by Herald or the HTTP layer and cannot be overridden";
    }
    for (String prefix : FORBIDDEN_PREFIXES) {
      if (lower.startsWith(prefix)) {
        return "headers starting with \"" + prefix + "\" are reserved";
      }
    }
    if (value != null && (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\0') >= 0)) {
      return "the value of \"" + name + "\" contains a line break or NUL";
    }
    if (value != null && value.length() > 8192) {
      return "the value of \"" + name + "\" is longer than 8192 characters";
    }
    return null;
  }

  /** Svix's EndpointHeadersOut: credential-like headers are listed in {@code sensitive}, not shown. */
  public record View(Map<String, String> headers, Set<String> sensitive) {}

  public static View view(Map<String, String> headers) {
    Map<String, String> shown = new LinkedHashMap<>();
    Set<String> sensitive = new TreeSet<>();
    headers.forEach((k, v) -> {
      if (SENSITIVE.contains(k.toLowerCase(Locale.ROOT))) {
        sensitive.add(k);
      } else {
        shown.put(k, v);
      }
    });
    return new View(shown, sensitive);
  }

  /** Applies a PATCH: a null value removes the header, others are set. Names match case-insensitively. */
  public static Map<String, String> merge(Map<String, String> current, Map<String, String> patch) {
    Map<String, String> out = new LinkedHashMap<>(current);
    patch.forEach((k, v) -> {
      out.keySet().removeIf(existing -> existing.equalsIgnoreCase(k));
      if (v != null) {
        out.put(k, v);
      }
    });
    return out;
  }
}
