package dev.herald.incoming;

import dev.herald.incoming.verify.Extract;
import dev.herald.incoming.verify.InboundRequest;
import dev.herald.incoming.verify.Preset;
import java.util.ArrayList;
import java.util.List;

/**
 * How a request's event type is derived: {@code template} (or the preset's) is text with {@code
 * {expression}} placeholders (see {@link Extract}); placeholders without a value are left out with
 * the dots around them, characters an event type may not hold become dots, and {@code prefix} goes
 * in front. A template that yields nothing gives {@code fallback} (default: the prefix followed by
 * {@code unknown}).
 */
public record EventTypeRule(String template, String prefix, String fallback) {
  public static final EventTypeRule DEFAULT = new EventTypeRule(null, null, null);
  public static final int MAX_TEMPLATE_LENGTH = 512;
  static final int MAX_EVENT_TYPE_LENGTH = 256;

  /** The event type of a (verified) request. */
  public String eventTypeOf(InboundRequest r, Preset preset) {
    String text = template == null ? preset.eventTypeTemplate() : template;
    StringBuilder out = new StringBuilder();
    boolean anyValue = false;
    boolean anyPlaceholder = false;
    for (Part part : parse(text)) {
      if (part.expression() == null) {
        out.append(part.text());
      } else {
        anyPlaceholder = true;
        String v = Extract.value(part.expression(), r);
        if (v != null) {
          anyValue = true;
          out.append(v);
        }
      }
    }
    String cleaned = clean(out.toString());
    String p = prefix == null ? "" : prefix;
    if ((anyPlaceholder && !anyValue) || cleaned.isEmpty()) {
      return fallback != null ? fallback : p + "unknown";
    }
    String type = p + cleaned;
    return type.length() > MAX_EVENT_TYPE_LENGTH ? type.substring(0, MAX_EVENT_TYPE_LENGTH) : type;
  }

  /** Characters outside {@code [a-zA-Z0-9-_.]} become dots; runs of dots and outer dots go. */
  static String clean(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean allowed =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_';
      char next = allowed ? c : '.';
      if (next == '.' && (b.isEmpty() || b.charAt(b.length() - 1) == '.')) {
        continue;
      }
      b.append(next);
    }
    while (!b.isEmpty() && b.charAt(b.length() - 1) == '.') {
      b.setLength(b.length() - 1);
    }
    return b.toString();
  }

  /** A piece of a template: literal text, or an expression in braces. */
  record Part(String text, String expression) {}

  /** Why a template cannot be used, or null. */
  static String problem(String template) {
    if (template.length() > MAX_TEMPLATE_LENGTH) {
      return "a template may be at most " + MAX_TEMPLATE_LENGTH + " characters";
    }
    int depth = 0;
    for (char c : template.toCharArray()) {
      if (c == '{') {
        depth++;
      } else if (c == '}') {
        depth--;
      }
      if (depth < 0 || depth > 1) {
        return "braces must pair, one level deep: {header:X-Event}.{json:/action}";
      }
    }
    if (depth != 0) {
      return "a '{' is not closed";
    }
    for (Part p : parse(template)) {
      if (p.expression() != null) {
        String why = Extract.problem(p.expression());
        if (why != null) {
          return why;
        }
      }
    }
    return null;
  }

  static List<Part> parse(String template) {
    List<Part> parts = new ArrayList<>();
    int i = 0;
    while (i < template.length()) {
      int open = template.indexOf('{', i);
      if (open < 0) {
        parts.add(new Part(template.substring(i), null));
        break;
      }
      if (open > i) {
        parts.add(new Part(template.substring(i, open), null));
      }
      int close = template.indexOf('}', open);
      if (close < 0) {
        parts.add(new Part(template.substring(open), null));
        break;
      }
      parts.add(new Part(null, template.substring(open + 1, close)));
      i = close + 1;
    }
    return parts;
  }
}
