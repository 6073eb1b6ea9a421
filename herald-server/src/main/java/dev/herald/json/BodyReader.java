package dev.herald.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import dev.herald.error.ValidationFailed;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads fields out of a JSON request body and collects every rule broken, so a 422 lists all of
 * them at once in Svix's {@code {detail:[{loc,msg,type}]}} shape. Unknown fields are ignored.
 * Absent and explicit {@code null} are told apart, as PATCH needs.
 */
public final class BodyReader {
  public static final Pattern ID_PATTERN = Pattern.compile("^[a-zA-Z0-9\\-_.]+$");

  private final JsonNode root;

  /** The body as received, for members passed on verbatim; null for a nested reader. */
  private final JsonBody source;

  private final List<String> location;
  private final List<ValidationFailed.Item> problems = new ArrayList<>();

  public BodyReader(JsonNode root) {
    this(JsonBody.of(root));
  }

  public BodyReader(JsonBody body) {
    this(body.root(), body, List.of("body"));
  }

  private BodyReader(JsonNode root, JsonBody source, List<String> location) {
    this.root = root;
    this.source = source;
    this.location = List.copyOf(location);
    if (root == null || !root.isObject()) {
      problems.add(
          new ValidationFailed.Item(location, "the body must be a JSON object", "type_error.dict"));
    }
  }

  /** A reader for an object inside this body; its problems are located under {@code field}. */
  public BodyReader nested(String field) {
    List<String> at = new ArrayList<>(location);
    at.add(field);
    return new BodyReader(node(field), null, at);
  }

  public boolean has(String field) {
    return root != null && root.isObject() && root.has(field);
  }

  public boolean isNull(String field) {
    return has(field) && root.get(field).isNull();
  }

  public JsonNode node(String field) {
    return has(field) ? root.get(field) : null;
  }

  public void fail(String field, String msg, String type) {
    if (root == null || !root.isObject()) {
      // The body-level problem already says it all; "field required" for each field is noise.
      return;
    }
    List<String> at = new ArrayList<>(location);
    at.add(field);
    problems.add(new ValidationFailed.Item(at, msg, type));
  }

  /** A problem inside a field: {@code path} starts with the field's name. */
  public void failAt(List<String> path, String msg, String type) {
    if (root == null || !root.isObject()) {
      return;
    }
    List<String> at = new ArrayList<>(location);
    at.addAll(path);
    problems.add(new ValidationFailed.Item(at, msg, type));
  }

  public String requiredString(String field) {
    if (!has(field) || root.get(field).isNull()) {
      fail(field, "field required", "value_error.missing");
      return null;
    }
    return string(field);
  }

  /** A string or absent/null (returns null). */
  public String string(String field) {
    JsonNode n = node(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      fail(field, "str type expected", "type_error.str");
      return null;
    }
    if (n.textValue().indexOf('\u0000') >= 0) {
      // PostgreSQL text cannot hold U+0000 and SQLite would: refuse it on both, before storage.
      fail(field, "the value may not contain the NUL character", "value_error.str.nul");
      return null;
    }
    return n.textValue();
  }

  public String string(String field, int minLength, int maxLength, Pattern pattern) {
    String s = string(field);
    if (s == null) {
      return null;
    }
    if (s.length() < minLength) {
      fail(
          field,
          "ensure this value has at least " + minLength + " characters",
          "value_error.any_str.min_length");
    } else if (s.length() > maxLength) {
      fail(
          field,
          "ensure this value has at most " + maxLength + " characters",
          "value_error.any_str.max_length");
    } else if (pattern != null && !pattern.matcher(s).matches()) {
      fail(
          field,
          "string does not match regex \"" + pattern.pattern() + "\"",
          "value_error.str.regex");
    }
    return s;
  }

  /**
   * A top-level member's value exactly as the client sent it (digits, member order, escapes), for a
   * value Herald stores and passes on rather than interprets; null when absent.
   */
  public byte[] raw(String field) {
    if (source == null) {
      throw new IllegalStateException("raw values are kept for top-level members only");
    }
    return source.rawMember(field);
  }

  public Boolean bool(String field) {
    JsonNode n = node(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isBoolean()) {
      fail(field, "value could not be parsed to a boolean", "type_error.bool");
      return null;
    }
    return n.booleanValue();
  }

  public Long integer(String field, long min, long max) {
    JsonNode n = node(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isIntegralNumber()) {
      fail(field, "value is not a valid integer", "type_error.integer");
      return null;
    }
    long v = n.longValue();
    if (v < min || v > max) {
      fail(
          field,
          "ensure this value is between " + min + " and " + max,
          "value_error.number.not_in_range");
      return null;
    }
    return v;
  }

  /** An object whose values are all strings; null when absent or null. */
  public Map<String, String> stringMap(String field) {
    JsonNode n = node(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isObject()) {
      fail(field, "value is not a valid dict", "type_error.dict");
      return null;
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (var e : n.properties()) {
      if (!e.getValue().isTextual()) {
        fail(field, "value of \"" + e.getKey() + "\" must be a string", "type_error.str");
        return null;
      }
      out.put(e.getKey(), e.getValue().textValue());
    }
    return out;
  }

  /** A set of strings each matching the pattern; null when absent or null. */
  public List<String> stringSet(
      String field, int minItems, int maxItems, int maxLength, Pattern pattern) {
    JsonNode n = node(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.getNodeType() != JsonNodeType.ARRAY) {
      fail(field, "value is not a valid list", "type_error.list");
      return null;
    }
    LinkedHashSet<String> out = new LinkedHashSet<>();
    for (JsonNode item : n) {
      if (!item.isTextual()) {
        fail(field, "list items must be strings", "type_error.str");
        return null;
      }
      String s = item.textValue();
      if (s.isEmpty() || s.length() > maxLength || !pattern.matcher(s).matches()) {
        fail(
            field,
            "\""
                + s
                + "\" must match "
                + pattern.pattern()
                + " and be 1.."
                + maxLength
                + " characters",
            "value_error.str.regex");
        return null;
      }
      out.add(s);
    }
    if (out.size() < minItems) {
      fail(
          field,
          "ensure this value has at least " + minItems + " items",
          "value_error.list.min_items");
    } else if (out.size() > maxItems) {
      fail(
          field,
          "ensure this value has at most " + maxItems + " items",
          "value_error.list.max_items");
    }
    return List.copyOf(out);
  }

  public Optional<JsonNode> objectNode(String field) {
    JsonNode n = node(field);
    if (n == null || n.isNull()) {
      return Optional.empty();
    }
    if (!n.isObject()) {
      fail(field, "value is not a valid dict", "type_error.dict");
      return Optional.empty();
    }
    return Optional.of(n);
  }

  /**
   * An integer that may also come under a deprecated alias (Svix's {@code rateLimit} for {@code
   * throttleRate}); both may be sent, but not with different values.
   */
  public Long integerOrAlias(String field, String alias, long min, long max) {
    Long value = integer(field, min, max);
    if (!has(alias)) {
      return value;
    }
    Long aliased = integer(alias, min, max);
    if (has(field) && !java.util.Objects.equals(value, aliased)) {
      fail(
          alias,
          alias + " is a deprecated alias of " + field + " and must not differ from it",
          "value_error.alias_mismatch");
    }
    return has(field) ? value : aliased;
  }

  /** Throws a 422 listing every problem found so far; call once all fields are read. */
  public void validate() {
    if (!problems.isEmpty()) {
      throw new ValidationFailed(problems);
    }
  }
}
