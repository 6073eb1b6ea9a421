package dev.herald.filter;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.function.BiPredicate;

/** Equality and ordering of JSON values as filters see them: numbers by value, no type coercion. */
final class Values {
  private Values() {}

  /** Equal scalars: same type and value (1 and 1.0 are equal; 1 and "1" are not). */
  static boolean equal(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return compareNumbers(a, b) == 0;
    }
    if (a.isContainerNode() || b.isContainerNode()) {
      return false;
    }
    return a.getNodeType() == b.getNodeType() && a.equals(b);
  }

  /** Equal values, containers compared member by member (object key order does not matter). */
  static boolean deepEqual(JsonNode a, JsonNode b) {
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!deepEqual(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (a.isObject() && b.isObject()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (Map.Entry<String, JsonNode> e : a.properties()) {
        JsonNode other = b.get(e.getKey());
        if (other == null || !deepEqual(e.getValue(), other)) {
          return false;
        }
      }
      return true;
    }
    return equal(a, b);
  }

  /**
   * The order of two numbers or two strings; null for any other pair (which then never matches).
   */
  static Integer compare(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return compareNumbers(a, b);
    }
    if (a.isTextual() && b.isTextual()) {
      return a.textValue().compareTo(b.textValue());
    }
    return null;
  }

  /**
   * {@code $in}: with a list, whether the scalar value is one of it; with a string, whether the
   * string value contains it. Null when the types do not fit, so {@code $nin} fails too.
   */
  static Boolean in(JsonNode value, JsonNode operand) {
    if (operand.isArray()) {
      if (value.isContainerNode()) {
        return null;
      }
      for (JsonNode candidate : operand) {
        if (!candidate.isContainerNode() && equal(value, candidate)) {
          return true;
        }
      }
      return false;
    }
    if (operand.isTextual() && value.isTextual()) {
      return value.textValue().contains(operand.textValue());
    }
    return null;
  }

  /** {@code $startsWith} / {@code $endsWith}: a string value against a string or any of a list. */
  static boolean anyText(JsonNode value, JsonNode operand, BiPredicate<String, String> test) {
    if (!value.isTextual()) {
      return false;
    }
    if (operand.isTextual()) {
      return test.test(value.textValue(), operand.textValue());
    }
    if (operand.isArray()) {
      for (JsonNode candidate : operand) {
        if (candidate.isTextual() && test.test(value.textValue(), candidate.textValue())) {
          return true;
        }
      }
    }
    return false;
  }

  private static int compareNumbers(JsonNode a, JsonNode b) {
    if (a.canConvertToExactIntegral()
        && b.canConvertToExactIntegral()
        && a.canConvertToLong()
        && b.canConvertToLong()) {
      return Long.compare(a.longValue(), b.longValue());
    }
    return a.decimalValue().compareTo(b.decimalValue());
  }
}
