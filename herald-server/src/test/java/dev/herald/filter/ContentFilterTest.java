package dev.herald.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The published test cases of Hookdeck's simple-json-match (github.com/hookdeck/simple-json-match,
 * src/tests/index.test.ts), copied as data into test resources filter/*.jsonl, plus Herald's own
 * rules: missing keys, type mismatches, and what is refused when a filter is saved.
 */
class ContentFilterTest {

  static Stream<Arguments> publishedCases() throws IOException {
    List<Arguments> out = new ArrayList<>();
    String section = "";
    for (String line : lines("/filter/simple-json-match-cases.jsonl")) {
      if (line.startsWith("# section: ")) {
        section = line.substring("# section: ".length());
        continue;
      }
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      JsonNode c = Json.tree(line);
      boolean expected = c.get(2).booleanValue();
      out.add(Arguments.of(c.get(0), c.get(1), expected));
      if (section.equals("tests")) {
        // As the source does: every case negated with $not gives the opposite answer.
        out.add(
            Arguments.of(
                c.get(0), Json.MAPPER.createObjectNode().set("$not", c.get(1)), !expected));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} with {1} matches: {2}")
  @MethodSource("publishedCases")
  void answers_each_published_simple_json_match_case_as_published(
      JsonNode document, JsonNode filter, boolean expected) {
    assertThat(ContentFilter.compile(filter).matches(document)).isEqualTo(expected);
  }

  static Stream<JsonNode> refFilters() throws IOException {
    return lines("/filter/simple-json-match-ref-cases.jsonl").stream()
        .filter(l -> !l.startsWith("#") && !l.isBlank())
        .map(l -> Json.tree(l).get(1));
  }

  @ParameterizedTest
  @MethodSource("refFilters")
  void refuses_the_ref_operator_which_is_not_part_of_the_dialect(JsonNode filter) {
    assertThatThrownBy(() -> ContentFilter.compile(filter))
        .isInstanceOf(ContentFilter.Invalid.class)
        .hasMessageContaining("unknown operator $ref");
  }

  @Test
  void a_missing_key_fails_every_operator_but_exist_false() {
    JsonNode doc = Json.tree("{\"payload\":{\"a\":1}}");
    for (String f :
        List.of(
            "{\"$eq\":null}",
            "{\"$neq\":1}",
            "{\"$gt\":0}",
            "{\"$nin\":[1]}",
            "{\"$not\":1}",
            "null",
            "{}",
            "[]")) {
      assertThat(matches("{\"payload\":{\"b\":" + f + "}}", doc)).as(f).isFalse();
    }
    assertThat(matches("{\"payload\":{\"b\":{\"$exist\":false}}}", doc)).isTrue();
    assertThat(matches("{\"payload\":{\"b\":{\"$exist\":true}}}", doc)).isFalse();
    assertThat(matches("{\"metadata\":{\"tier\":\"gold\"}}", doc)).isFalse();
  }

  @Test
  void values_of_another_type_never_match_and_nothing_is_coerced() {
    JsonNode doc =
        Json.tree("{\"n\":10,\"s\":\"10\",\"b\":true,\"z\":null,\"o\":{\"k\":1},\"l\":[1,2]}");
    assertThat(matches("{\"n\":\"10\"}", doc)).isFalse();
    assertThat(matches("{\"s\":10}", doc)).isFalse();
    assertThat(matches("{\"b\":1}", doc)).isFalse();
    assertThat(matches("{\"z\":false}", doc)).isFalse();
    assertThat(matches("{\"n\":{\"$gt\":\"9\"}}", doc)).isFalse();
    assertThat(matches("{\"s\":{\"$gt\":9}}", doc)).isFalse();
    assertThat(matches("{\"o\":{\"$gte\":1}}", doc)).isFalse();
    assertThat(matches("{\"n\":{\"$startsWith\":\"1\"}}", doc)).isFalse();
    assertThat(matches("{\"n\":{\"$in\":\"1\"}}", doc)).isFalse();
    assertThat(matches("{\"n\":{\"$nin\":\"1\"}}", doc)).isFalse();
    assertThat(matches("{\"l\":{\"$in\":[1,2]}}", doc)).isFalse();
    assertThat(matches("{\"o\":1}", doc)).isFalse();
    assertThat(matches("{\"n\":{\"k\":1}}", doc)).isFalse();
  }

  @Test
  void numbers_compare_by_value_whatever_their_notation() {
    JsonNode doc = Json.tree("{\"n\":10.0,\"big\":123456789012345678901234567890,\"x\":0.1}");
    assertThat(matches("{\"n\":10}", doc)).isTrue();
    assertThat(matches("{\"n\":{\"$in\":[1e1]}}", doc)).isTrue();
    assertThat(matches("{\"big\":{\"$gt\":123456789012345678901234567889}}", doc)).isTrue();
    assertThat(matches("{\"x\":{\"$lt\":0.2,\"$gte\":0.1}}", doc)).isTrue();
  }

  @Test
  void eq_on_objects_ignores_key_order_but_not_array_order() {
    JsonNode doc = Json.tree("{\"o\":{\"a\":1,\"b\":[1,2]}}");
    assertThat(matches("{\"o\":{\"$eq\":{\"b\":[1,2],\"a\":1}}}", doc)).isTrue();
    assertThat(matches("{\"o\":{\"$eq\":{\"b\":[2,1],\"a\":1}}}", doc)).isFalse();
    assertThat(matches("{\"o\":{\"$eq\":{\"a\":1}}}", doc)).isFalse();
  }

  @Test
  void not_applies_at_any_depth() {
    JsonNode doc = Json.tree("{\"payload\":{\"status\":\"paid\",\"amount\":5}}");
    assertThat(matches("{\"payload\":{\"status\":{\"$not\":\"refunded\"}}}", doc)).isTrue();
    assertThat(matches("{\"payload\":{\"status\":{\"$not\":\"paid\"}}}", doc)).isFalse();
    assertThat(matches("{\"payload\":{\"$not\":{\"amount\":{\"$lt\":10}}}}", doc)).isFalse();
  }

  @Test
  void refuses_unknown_operators_and_malformed_logic_naming_where() {
    assertInvalid(
        "{\"payload\":{\"amount\":{\"$regex\":\"^1\"}}}",
        List.of("payload", "amount", "$regex"),
        "unknown operator $regex");
    assertInvalid("{\"$or\":{\"a\":1}}", List.of("$or"), "$or takes an array");
    assertInvalid(
        "{\"$and\":[{\"a\":1},{\"b\":{\"$size\":1}}]}",
        List.of("$and", "1", "b", "$size"),
        "unknown operator $size");
    assertInvalid(
        "{\"a\":{\"$exist\":\"yes\"}}", List.of("a", "$exist"), "$exist takes true or false");
    assertInvalid("{\"a\":[{\"$near\":1}]}", List.of("a", "0", "$near"), "unknown operator $near");
  }

  @Test
  void refuses_a_filter_larger_than_the_limit() {
    var big = Json.MAPPER.createObjectNode();
    big.putArray("$or");
    for (int i = 0; big.toString().length() <= ContentFilter.MAX_BYTES; i++) {
      big.withArray("$or").add(Json.MAPPER.createObjectNode().put("k", "value-" + i));
    }
    assertThatThrownBy(() -> ContentFilter.compile(big))
        .isInstanceOf(ContentFilter.Invalid.class)
        .hasMessageContaining("the limit is " + ContentFilter.MAX_BYTES);
  }

  @Test
  void a_stored_filter_is_compiled_once_per_distinct_text() {
    String text = "{\"eventType\":\"invoice.paid\"}";
    assertThat(ContentFilter.fromStored(text)).isSameAs(ContentFilter.fromStored(text));
    assertThat(ContentFilter.fromStored(null)).isNull();
  }

  @Test
  void the_document_holds_event_type_payload_empty_headers_and_the_endpoints_metadata() {
    FilterDocument doc =
        new FilterDocument("invoice.paid", "{\"amount\":12}".getBytes(StandardCharsets.UTF_8));
    ContentFilter f =
        ContentFilter.compile(
            Json.tree(
                "{\"eventType\":\"invoice.paid\",\"payload\":"
                    + "{\"amount\":{\"$gte\":10}},\"headers\":{},\"metadata\":{\"tier\":\"gold\"}}"));
    assertThat(doc.passes(f, Json.tree("{\"tier\":\"gold\"}"))).isTrue();
    assertThat(doc.passes(f, Json.tree("{\"tier\":\"silver\"}"))).isFalse();
    assertThat(doc.passes(null, null)).isTrue();
    FilterDocument raw = new FilterDocument("x", "not json".getBytes(StandardCharsets.UTF_8));
    assertThat(
            raw.passes(
                ContentFilter.compile(Json.tree("{\"payload\":{\"$exist\":false}}")),
                Json.tree("{}")))
        .isTrue();
  }

  private static void assertInvalid(String filter, List<String> path, String message) {
    assertThatThrownBy(() -> ContentFilter.compile(Json.tree(filter)))
        .isInstanceOfSatisfying(
            ContentFilter.Invalid.class,
            e -> {
              assertThat(e.path()).isEqualTo(path);
              assertThat(e.getMessage()).contains(message);
            });
  }

  private static boolean matches(String filter, JsonNode doc) {
    return ContentFilter.compile(Json.tree(filter)).matches(doc);
  }

  private static List<String> lines(String resource) throws IOException {
    try (InputStream in = ContentFilterTest.class.getResourceAsStream(resource)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
  }
}
