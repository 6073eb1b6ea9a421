package dev.herald.incoming.verify;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One value taken from a request: {@code header:Name}, {@code json:/pointer} (RFC 6901), {@code
 * form:field}, {@code query:param}, or alternatives {@code a|b|c} (the first one present). Anything
 * else is a constant. Missing values are null, never an error: the request decides what it holds.
 */
public final class Extract {
  private static final Pattern JSON_POINTER = Pattern.compile("^(/([^~]|~[01])*)*$");
  private static final List<String> KINDS = List.of("header:", "json:", "form:", "query:");

  private Extract() {}

  /** The value of {@code expression} in the request, or null when it holds none. */
  public static String value(String expression, InboundRequest r) {
    for (String alternative : expression.split("\\|", -1)) {
      String v = one(alternative.trim(), r);
      if (v != null && !v.isEmpty()) {
        return v;
      }
    }
    return null;
  }

  private static String one(String e, InboundRequest r) {
    String lower = e.toLowerCase(Locale.ROOT);
    if (lower.startsWith("header:")) {
      return r.header(e.substring(7).trim());
    }
    if (lower.startsWith("json:")) {
      JsonNode root = r.json();
      if (root == null) {
        return null;
      }
      JsonNode n;
      try {
        n = root.at(e.substring(5));
      } catch (IllegalArgumentException bad) {
        return null;
      }
      return n.isValueNode() && !n.isNull() ? n.asText() : null;
    }
    if (lower.startsWith("form:")) {
      List<String> values = r.form().get(e.substring(5));
      return values == null || values.isEmpty() ? null : values.get(0);
    }
    if (lower.startsWith("query:")) {
      List<String> values = r.query().get(e.substring(6));
      return values == null || values.isEmpty() ? null : values.get(0);
    }
    return e;
  }

  /** Why {@code expression} is not a valid expression, or null when it is. */
  public static String problem(String expression) {
    if (expression.isBlank()) {
      return "an expression may not be empty";
    }
    for (String alternative : expression.split("\\|", -1)) {
      String e = alternative.trim();
      String lower = e.toLowerCase(Locale.ROOT);
      if (e.isEmpty()) {
        return "an alternative of '" + expression + "' is empty";
      }
      if (lower.startsWith("json:") && !JSON_POINTER.matcher(e.substring(5)).matches()) {
        return "'"
            + e.substring(5)
            + "' is not a JSON pointer (RFC 6901: empty, or '/' then tokens)";
      }
      for (String kind : KINDS) {
        if (lower.startsWith(kind) && e.length() == kind.length()) {
          return "'" + e + "' names no " + kind.substring(0, kind.length() - 1);
        }
      }
    }
    return null;
  }
}
