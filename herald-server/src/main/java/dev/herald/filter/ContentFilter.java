package dev.herald.filter;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.json.BodyReader;
import dev.herald.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An endpoint's content filter in Hookdeck's simple-json-match dialect (docs/filters.md), compiled
 * once: plain values mean equality, objects match partially, arrays by containment, and the
 * operators {@code $eq $neq $gt $gte $lt $lte $in $nin $startsWith $endsWith $exist $or $and $not}.
 * Serialises as the JSON it was compiled from.
 */
public final class ContentFilter {
  /**
   * Compiled filters by their stored text; cleared when full (endpoints hold few distinct filters).
   */
  private static final int CACHE_LIMIT = 10_000;

  private static final Map<String, ContentFilter> BY_TEXT = new ConcurrentHashMap<>();

  /**
   * The largest filter, as JSON text: a filter runs for every message of its application, so its
   * size is capped like the payload's.
   */
  public static final int MAX_BYTES = 64 * 1024;

  /** Why a filter cannot be saved: {@code path} leads from the filter's root to the bad part. */
  public static final class Invalid extends RuntimeException {
    private final List<String> path;

    Invalid(List<String> path, String message) {
      super(message);
      this.path = List.copyOf(path);
    }

    public List<String> path() {
      return path;
    }
  }

  private final JsonNode source;
  private final FilterNode root;

  private ContentFilter(JsonNode source, FilterNode root) {
    this.source = source;
    this.root = root;
  }

  /** Compiles a filter, refusing unknown operators, malformed {@code $or/$and/$exist} and size. */
  public static ContentFilter compile(JsonNode source) {
    int size = Json.writeBytes(source).length;
    if (size > MAX_BYTES) {
      throw new Invalid(
          List.of(), "the filter is " + size + " bytes as JSON; the limit is " + MAX_BYTES);
    }
    return new ContentFilter(source.deepCopy(), compile(source, new ArrayList<>()));
  }

  /** The compiled filter of stored text, compiled once per distinct text; null for null. */
  public static ContentFilter fromStored(String text) {
    if (text == null) {
      return null;
    }
    ContentFilter cached = BY_TEXT.get(text);
    if (cached != null) {
      return cached;
    }
    if (BY_TEXT.size() >= CACHE_LIMIT) {
      BY_TEXT.clear();
    }
    ContentFilter compiled = compile(Json.tree(text));
    BY_TEXT.put(text, compiled);
    return compiled;
  }

  /** Whether the document ({@code {eventType, payload, headers, metadata}}) passes the filter. */
  public boolean matches(JsonNode document) {
    return root.test(document);
  }

  @JsonValue
  public JsonNode source() {
    return source;
  }

  /** The filter as stored. */
  public String text() {
    return Json.write(source);
  }

  private static FilterNode compile(JsonNode f, List<String> path) {
    if (f.isArray()) {
      List<FilterNode> items = new ArrayList<>();
      for (int i = 0; i < f.size(); i++) {
        path.add(String.valueOf(i));
        items.add(compile(f.get(i), path));
        path.removeLast();
      }
      return new FilterNode.AllContained(items);
    }
    if (!f.isObject()) {
      return new FilterNode.Literal(f);
    }
    Map<String, FilterNode> fields = new LinkedHashMap<>();
    List<FilterNode> conditions = new ArrayList<>();
    for (var e : f.properties()) {
      String key = e.getKey();
      JsonNode value = e.getValue();
      path.add(key);
      if (!key.startsWith("$")) {
        fields.put(key, compile(value, path));
      } else if (key.equals("$or") || key.equals("$and")) {
        List<FilterNode> branches = branches(key, value, path);
        conditions.add(
            key.equals("$or") ? new FilterNode.Or(branches) : new FilterNode.And(branches));
      } else if (key.equals("$not")) {
        conditions.add(new FilterNode.Not(compile(value, path)));
      } else {
        conditions.add(operator(key, value, path));
      }
      path.removeLast();
    }
    return new FilterNode.Fields(fields, conditions, !fields.isEmpty() || conditions.isEmpty());
  }

  private static List<FilterNode> branches(String key, JsonNode value, List<String> path) {
    if (!value.isArray()) {
      throw new Invalid(path, key + " takes an array of filters");
    }
    List<FilterNode> branches = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      path.add(String.valueOf(i));
      branches.add(compile(value.get(i), path));
      path.removeLast();
    }
    return branches;
  }

  private static FilterNode operator(String key, JsonNode value, List<String> path) {
    Op op = Op.named(key);
    if (op == null) {
      throw new Invalid(
          path,
          "unknown operator "
              + key
              + "; the operators are $eq $neq $gt $gte $lt"
              + " $lte $in $nin $startsWith $endsWith $exist $or $and $not");
    }
    if (op == Op.EXIST && !value.isBoolean()) {
      throw new Invalid(path, "$exist takes true or false");
    }
    checkPlain(value, path);
    return new FilterNode.Operator(op, value);
  }

  /** An operand is a plain value: an operator inside it (such as Hookdeck's $ref) is refused. */
  private static void checkPlain(JsonNode operand, List<String> path) {
    if (operand.isArray()) {
      for (int i = 0; i < operand.size(); i++) {
        path.add(String.valueOf(i));
        checkPlain(operand.get(i), path);
        path.removeLast();
      }
    } else if (operand.isObject()) {
      for (var e : operand.properties()) {
        path.add(e.getKey());
        if (e.getKey().startsWith("$")) {
          throw new Invalid(
              path, "unknown operator " + e.getKey() + " (an operator's operand is a plain value)");
        }
        checkPlain(e.getValue(), path);
        path.removeLast();
      }
    }
  }

  /**
   * A content filter field of a request body: a JSON object, or null for none. Compiled here, so an
   * unknown operator is refused when the endpoint is saved, located at the operator.
   */
  public static ContentFilter read(BodyReader body, String field) {
    JsonNode node = body.node(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      body.fail(field, "the filter must be a JSON object (or null for none)", "type_error.dict");
      return null;
    }
    try {
      return compile(node);
    } catch (Invalid e) {
      List<String> at = new ArrayList<>(List.of(field));
      at.addAll(e.path());
      body.failAt(at, e.getMessage(), "value_error.filter");
      return null;
    }
  }
}
