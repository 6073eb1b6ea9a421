package dev.herald.filter;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * One compiled part of a content filter. {@code test} takes the value the part applies to, or null
 * when the key holding it is missing from the document. Each node looks at each value of the
 * document at most once, so a test costs O(filter size x document size) at worst, with no regex.
 */
sealed interface FilterNode {

  boolean test(JsonNode value);

  /** A plain value: equal to it, or (for an array) contained in it. */
  record Literal(JsonNode expected) implements FilterNode {
    @Override
    public boolean test(JsonNode value) {
      if (value == null || value.isObject()) {
        return false;
      }
      if (value.isArray()) {
        for (JsonNode element : value) {
          if (test(element)) {
            return true;
          }
        }
        return false;
      }
      return Values.equal(value, expected);
    }
  }

  /** A list of filters: an array holding, for each, an element that matches it. */
  record AllContained(List<FilterNode> items) implements FilterNode {
    @Override
    public boolean test(JsonNode value) {
      if (value == null || !value.isArray()) {
        return false;
      }
      for (FilterNode item : items) {
        boolean found = false;
        for (JsonNode element : value) {
          if (item.test(element)) {
            found = true;
            break;
          }
        }
        if (!found) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * An object filter: every operator and logical part holds for the value itself, and (when the
   * filter names keys, or is {@code {}}) the value is an object whose keys match, or an array with
   * such an object among its elements.
   */
  record Fields(Map<String, FilterNode> fields, List<FilterNode> conditions, boolean structural)
      implements FilterNode {
    @Override
    public boolean test(JsonNode value) {
      for (FilterNode c : conditions) {
        if (!c.test(value)) {
          return false;
        }
      }
      return !structural || fieldsMatch(value);
    }

    private boolean fieldsMatch(JsonNode value) {
      if (value == null) {
        return false;
      }
      if (value.isArray()) {
        for (JsonNode element : value) {
          if (fieldsMatch(element)) {
            return true;
          }
        }
        return false;
      }
      if (!value.isObject()) {
        return false;
      }
      for (Map.Entry<String, FilterNode> f : fields.entrySet()) {
        JsonNode child = value.get(f.getKey());
        // A missing key fails, unless its filter asks for it to be missing ({"$exist": false}).
        if (child == null && !toleratesMissing(f.getValue())) {
          return false;
        }
        if (!f.getValue().test(child)) {
          return false;
        }
      }
      return true;
    }

    private static boolean toleratesMissing(FilterNode node) {
      return node instanceof Fields f
          && f.conditions().stream()
              .anyMatch(
                  c ->
                      c instanceof Operator o && o.op() == Op.EXIST && !o.operand().booleanValue());
    }
  }

  record Or(List<FilterNode> branches) implements FilterNode {
    @Override
    public boolean test(JsonNode value) {
      for (FilterNode b : branches) {
        if (b.test(value)) {
          return true;
        }
      }
      return false;
    }
  }

  record And(List<FilterNode> branches) implements FilterNode {
    @Override
    public boolean test(JsonNode value) {
      for (FilterNode b : branches) {
        if (!b.test(value)) {
          return false;
        }
      }
      return true;
    }
  }

  record Not(FilterNode inner) implements FilterNode {
    @Override
    public boolean test(JsonNode value) {
      return !inner.test(value);
    }
  }

  /** A comparison operator and its operand; applies to the value as a whole, arrays included. */
  record Operator(Op op, JsonNode operand) implements FilterNode {
    @Override
    public boolean test(JsonNode value) {
      return op.test(value, operand);
    }
  }
}
