package dev.herald.filter;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * The comparison operators. A missing value (null) satisfies only {@code $exist: false}; a value or
 * operand of a type an operator does not take fails the match rather than raising an error.
 */
enum Op {
  EQ("$eq", (v, c) -> Values.deepEqual(v, c)),
  NEQ("$neq", (v, c) -> !Values.deepEqual(v, c)),
  GT("$gt", (v, c) -> Values.compare(v, c) instanceof Integer i && i > 0),
  GTE("$gte", (v, c) -> Values.compare(v, c) instanceof Integer i && i >= 0),
  LT("$lt", (v, c) -> Values.compare(v, c) instanceof Integer i && i < 0),
  LTE("$lte", (v, c) -> Values.compare(v, c) instanceof Integer i && i <= 0),
  IN("$in", (v, c) -> Values.in(v, c) == Boolean.TRUE),
  NIN("$nin", (v, c) -> Values.in(v, c) == Boolean.FALSE),
  STARTS_WITH("$startsWith", (v, c) -> Values.anyText(v, c, String::startsWith)),
  ENDS_WITH("$endsWith", (v, c) -> Values.anyText(v, c, String::endsWith)),
  EXIST("$exist", null);

  private static final Map<String, Op> BY_NAME =
      java.util.Arrays.stream(values())
          .collect(java.util.stream.Collectors.toUnmodifiableMap(op -> op.name, op -> op));

  final String name;
  private final BiPredicate<JsonNode, JsonNode> test;

  Op(String name, BiPredicate<JsonNode, JsonNode> test) {
    this.name = name;
    this.test = test;
  }

  static Op named(String name) {
    return BY_NAME.get(name);
  }

  boolean test(JsonNode value, JsonNode operand) {
    if (this == EXIST) {
      return (value != null) == operand.booleanValue();
    }
    return value != null && test.test(value, operand);
  }
}
