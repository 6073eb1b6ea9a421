package dev.herald.eventtype;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.error.ValidationFailed;
import dev.herald.json.Json;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Draft-7 validation of payloads, one valid and one invalid payload per keyword family; each
 * problem names the failing path (as the 422's {@code loc}) and the rule.
 */
class JsonSchemasTest {

  static Stream<Arguments> keywordFamilies() {
    return Stream.of(
        family(
            "type",
            "{\"properties\":{\"n\":{\"type\":\"integer\"}}}",
            "{\"n\":3}",
            "{\"n\":\"3\"}",
            List.of("n")),
        family("required", "{\"required\":[\"id\"]}", "{\"id\":1}", "{\"other\":1}", List.of()),
        family(
            "properties",
            "{\"properties\":{\"user\":{\"properties\":{\"age\":{\"type\":\"number\"}}}}}",
            "{\"user\":{\"age\":30}}",
            "{\"user\":{\"age\":\"old\"}}",
            List.of("user", "age")),
        family(
            "enum",
            "{\"properties\":{\"s\":{\"enum\":[\"paid\",\"void\"]}}}",
            "{\"s\":\"paid\"}",
            "{\"s\":\"open\"}",
            List.of("s")),
        family(
            "const",
            "{\"properties\":{\"v\":{\"const\":2}}}",
            "{\"v\":2}",
            "{\"v\":3}",
            List.of("v")),
        family(
            "minimum",
            "{\"properties\":{\"a\":{\"minimum\":0}}}",
            "{\"a\":0}",
            "{\"a\":-1}",
            List.of("a")),
        family(
            "maximum",
            "{\"properties\":{\"a\":{\"maximum\":10}}}",
            "{\"a\":10}",
            "{\"a\":11}",
            List.of("a")),
        family(
            "exclusiveMinimum",
            "{\"properties\":{\"a\":{\"exclusiveMinimum\":0}}}",
            "{\"a\":1}",
            "{\"a\":0}",
            List.of("a")),
        family(
            "minLength",
            "{\"properties\":{\"c\":{\"minLength\":3}}}",
            "{\"c\":\"abc\"}",
            "{\"c\":\"ab\"}",
            List.of("c")),
        family(
            "maxLength",
            "{\"properties\":{\"c\":{\"maxLength\":2}}}",
            "{\"c\":\"ab\"}",
            "{\"c\":\"abc\"}",
            List.of("c")),
        family(
            "pattern",
            "{\"properties\":{\"c\":{\"pattern\":\"^[A-Z]{3}$\"}}}",
            "{\"c\":\"EUR\"}",
            "{\"c\":\"eur\"}",
            List.of("c")),
        family(
            "items",
            "{\"properties\":{\"l\":{\"items\":{\"type\":\"string\"}}}}",
            "{\"l\":[\"a\"]}",
            "{\"l\":[\"a\",1]}",
            List.of("l", "1")),
        family(
            "minItems",
            "{\"properties\":{\"l\":{\"minItems\":1}}}",
            "{\"l\":[1]}",
            "{\"l\":[]}",
            List.of("l")),
        family(
            "uniqueItems",
            "{\"properties\":{\"l\":{\"uniqueItems\":true}}}",
            "{\"l\":[1,2]}",
            "{\"l\":[1,1]}",
            List.of("l")),
        family(
            "additionalProperties",
            "{\"properties\":{\"a\":{}},\"additionalProperties\":false}",
            "{\"a\":1}",
            "{\"a\":1,\"b\":2}",
            List.of()),
        family(
            "allOf",
            "{\"allOf\":[{\"required\":[\"a\"]},{\"required\":[\"b\"]}]}",
            "{\"a\":1,\"b\":2}",
            "{\"a\":1}",
            List.of()),
        family(
            "anyOf",
            "{\"properties\":{\"v\":{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"integer\"}]}}}",
            "{\"v\":1}",
            "{\"v\":true}",
            List.of("v")),
        family(
            "oneOf",
            "{\"properties\":{\"v\":{\"oneOf\":[{\"type\":\"integer\"},{\"minimum\":0}]}}}",
            "{\"v\":-1}",
            "{\"v\":1}",
            List.of("v")),
        family(
            "not",
            "{\"properties\":{\"v\":{\"not\":{\"type\":\"null\"}}}}",
            "{\"v\":0}",
            "{\"v\":null}",
            List.of("v")),
        family(
            "format",
            "{\"properties\":{\"e\":{\"format\":\"email\"}}}",
            "{\"e\":\"a@example.com\"}",
            "{\"e\":\"not an address\"}",
            List.of("e")),
        family(
            "format",
            "{\"properties\":{\"t\":{\"format\":\"date-time\"}}}",
            "{\"t\":\"2024-01-01T00:00:00Z\"}",
            "{\"t\":\"yesterday\"}",
            List.of("t")),
        family(
            "then",
            "{\"if\":{\"properties\":{\"kind\":{\"const\":\"card\"}}},\"then\":{\"required\":[\"last4\"]}}",
            "{\"kind\":\"card\",\"last4\":\"4242\"}",
            "{\"kind\":\"card\"}",
            List.of()),
        family(
            "definitions",
            "{\"definitions\":{\"money\":{\"type\":\"integer\"}},"
                + "\"properties\":{\"amount\":{\"$ref\":\"#/definitions/money\"}}}",
            "{\"amount\":1}",
            "{\"amount\":1.5}",
            List.of("amount")));
  }

  private static Arguments family(
      String keyword, String schema, String valid, String invalid, List<String> at) {
    return Arguments.of(keyword, schema, valid, invalid, at);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("keywordFamilies")
  void accepts_the_valid_payload_and_names_path_and_rule_for_the_invalid_one(
      String keyword, String schema, String valid, String invalid, List<String> at) {
    var compiled = JsonSchemas.compile(Json.tree(schema));
    assertThat(JsonSchemas.problems("t.x", compiled, Json.tree(valid))).isEmpty();
    List<ValidationFailed.Item> problems =
        JsonSchemas.problems("t.x", compiled, Json.tree(invalid));
    assertThat(problems).isNotEmpty();
    ValidationFailed.Item first = problems.get(0);
    List<String> loc = new java.util.ArrayList<>(List.of("body", "payload"));
    loc.addAll(at);
    assertThat(first.loc()).isEqualTo(loc);
    // The rule is named as the keyword that failed and where it sits in the schema (a nested
    // rule's path runs through its family: #/properties/l/items/type, #/allOf/1/required).
    assertThat(problems)
        .allSatisfy(
            p -> {
              assertThat(p.msg())
                  .containsPattern("rule \"[^\"]+\" of the schema of event type t\\.x, at #/");
              assertThat(p.type()).startsWith("value_error.schema.");
            });
    assertThat(problems)
        .anySatisfy(
            p ->
                assertThat(p.msg())
                    .containsPattern(
                        "rule \""
                            + keyword
                            + "\"|/"
                            + java.util.regex.Pattern.quote(keyword)
                            + "(/|\\))"));
  }

  @org.junit.jupiter.api.Test
  void the_newest_schema_version_is_the_one_used() {
    var schemas =
        Json.tree("{\"1\":{\"required\":[\"a\"]},\"10\":{\"required\":[\"b\"]},\"2\":{}}");
    assertThat(JsonSchemas.newest(schemas)).isEqualTo(Json.tree("{\"required\":[\"b\"]}"));
    assertThat(JsonSchemas.newest(null)).isNull();
  }

  @org.junit.jupiter.api.Test
  void schemas_that_cannot_compile_are_named_by_version() {
    // A remote $ref is never fetched, so it cannot be resolved.
    var problems =
        JsonSchemas.problems(
            Json.tree(
                "{\"1\":{\"type\":\"object\"},"
                    + "\"2\":{\"properties\":{\"a\":{\"$ref\":\"http://127.0.0.1:9/money.json\"}}}}"));
    assertThat(problems)
        .extracting(ValidationFailed.Item::loc)
        .containsExactly(List.of("body", "schemas", "2"));
  }
}
