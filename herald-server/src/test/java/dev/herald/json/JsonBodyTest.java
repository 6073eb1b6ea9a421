package dev.herald.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.error.ValidationFailed;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonBodyTest {

  private static JsonBody parse(String text) {
    return JsonBody.parse(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String raw(JsonBody body, String member) {
    byte[] bytes = body.rawMember(member);
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  @Test
  void gives_each_top_level_member_exactly_as_sent() {
    JsonBody body =
        parse(
            " {\"n\" :12.50e+3 , \"s\":\"h\\u00e9\\\"\",\"o\":{ \"b\":1e999999999,\"a\":[ ] },"
                + "\"l\":[1,\"\u2603\"],\"t\":true,\"z\":null}\n");

    assertThat(raw(body, "n")).isEqualTo("12.50e+3");
    assertThat(raw(body, "s")).isEqualTo("\"h\\u00e9\\\"\"");
    assertThat(raw(body, "o")).isEqualTo("{ \"b\":1e999999999,\"a\":[ ] }");
    assertThat(raw(body, "l")).isEqualTo("[1,\"\u2603\"]");
    assertThat(raw(body, "t")).isEqualTo("true");
    assertThat(raw(body, "z")).isEqualTo("null");
    assertThat(raw(body, "absent")).isNull();
    assertThat(body.root().get("o").get("a").isArray()).isTrue();
    assertThat(body.root().get("z").isNull()).isTrue();
  }

  @Test
  void a_repeated_member_keeps_its_last_value_in_the_tree_and_the_bytes() {
    JsonBody body = parse("{\"p\":{\"a\":1},\"p\":{\"b\":2}}");

    assertThat(raw(body, "p")).isEqualTo("{\"b\":2}");
    assertThat(body.root().get("p").has("b")).isTrue();
  }

  @Test
  void skips_a_utf_8_byte_order_mark() {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] json = "{\"p\":{\"a\":1.0}}".getBytes(StandardCharsets.UTF_8);
    byte[] both = new byte[bom.length + json.length];
    System.arraycopy(bom, 0, both, 0, bom.length);
    System.arraycopy(json, 0, both, bom.length, json.length);

    byte[] raw = JsonBody.parse(both).rawMember("p");
    assertThat(new String(raw, StandardCharsets.UTF_8)).isEqualTo("{\"a\":1.0}");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"{}garbage", "{}{}", "{\"a\":1} ]", "[] 1", "1 2", "\"a\" x", "{} /"})
  void refuses_data_after_the_value(String text) {
    assertThatThrownBy(() -> parse(text))
        .isInstanceOfSatisfying(
            ValidationFailed.class,
            e -> {
              assertThat(e.items().getFirst().type()).isEqualTo("value_error.jsondecode");
              assertThat(e.items().getFirst().msg()).contains("after the JSON value");
            });
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"{} ", "{}\n", "\t[1]\r\n", " 1 ", "null"})
  void accepts_whitespace_around_the_value(String text) {
    assertThat(parse(text).root()).isNotNull();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"", "   ", "{", "{\"a\":}", "{\"a\":1,}", "{\"a\":1", "[1,]"})
  void refuses_what_is_not_one_json_value(String text) {
    assertThatThrownBy(() -> parse(text)).isInstanceOf(ValidationFailed.class);
  }

  @Test
  void refuses_invalid_utf_8_and_nesting_past_jacksons_limit_with_a_422_not_an_error() {
    byte[] badUtf8 = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '"', '}'};
    String deep = "{\"p\":" + "[".repeat(1001) + "]".repeat(1001) + "}";

    assertThatThrownBy(() -> JsonBody.parse(badUtf8)).isInstanceOf(ValidationFailed.class);
    assertThatThrownBy(() -> parse(deep)).isInstanceOf(ValidationFailed.class);
  }

  @Test
  void refuses_utf_16() {
    assertThatThrownBy(() -> JsonBody.parse("{\"a\":1}".getBytes(StandardCharsets.UTF_16LE)))
        .isInstanceOfSatisfying(
            ValidationFailed.class, e -> assertThat(e.items().getFirst().msg()).contains("UTF-8"));
  }
}
