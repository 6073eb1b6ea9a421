package dev.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestFingerprintTest {

  private static String canonical(String body) {
    byte[] canonical = RequestFingerprint.canonical(body.getBytes(StandardCharsets.UTF_8));
    return new String(canonical, StandardCharsets.UTF_8);
  }

  private static String of(String body) {
    return RequestFingerprint.of("POST", "/api/v1/app", body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void sorts_members_at_every_level_and_drops_whitespace() {
    assertThat(canonical(" { \"b\" : [ {\"y\":1, \"x\":2} ], \"a\":null }\n"))
        .isEqualTo("{\"a\":null,\"b\":[{\"x\":2,\"y\":1}]}");
  }

  @Test
  void keeps_numbers_as_written() {
    assertThat(canonical("{\"n\":[12345678901234567.89,1e999999999,-0.0,1.50]}"))
        .isEqualTo("{\"n\":[12345678901234567.89,1e999999999,-0.0,1.50]}");
  }

  @Test
  void compares_strings_by_value() {
    assertThat(of("{\"s\":\"\\u00e9\\/\"}")).isEqualTo(of("{\"s\":\"\u00e9/\"}"));
  }

  @Test
  void writes_every_char_outside_printable_ascii_as_an_escape() {
    assertThat(canonical("{\"s\":\"\u00e9\\\"\\\\\\n\u2603\"}"))
        .isEqualTo("{\"s\":\"\\u00e9\\u0022\\u005c\\u000a\\u2603\"}");
  }

  @Test
  void tells_lone_surrogates_apart() {
    assertThat(of("{\"s\":\"\\ud800\"}")).isNotEqualTo(of("{\"s\":\"\\ud801\"}"));
  }

  @ParameterizedTest(name = "{0} vs {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"n\":1.0}|{\"n\":1.00}",
        "{\"n\":12345678901234567.89}|{\"n\":12345678901234567.88}",
        "{\"a\":[1,2]}|{\"a\":[2,1]}",
        "{\"a\":\"1\"}|{\"a\":1}",
      })
  void tells_different_values_apart(String a, String b) {
    assertThat(of(a)).isNotEqualTo(of(b));
  }

  @Test
  void a_body_that_is_not_one_json_value_is_compared_byte_for_byte() {
    assertThat(canonical("{\"a\":1} x")).isEqualTo("{\"a\":1} x");
    assertThat(canonical("not json")).isEqualTo("not json");
    assertThat(canonical("")).isEmpty();
    assertThat(of("{\"a\":1} x")).isNotEqualTo(of("{\"a\":1}  x"));
  }

  @Test
  void the_method_path_and_query_count() {
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    String post = RequestFingerprint.of("POST", "/a", body);
    assertThat(post).isNotEqualTo(RequestFingerprint.of("PUT", "/a", body));
    assertThat(post).isNotEqualTo(RequestFingerprint.of("POST", "/a?x=1", body));
  }
}
