package dev.herald.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.error.ValidationFailed;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointHeadersTest {

  private static ValidationFailed failure(Map<String, String> headers) {
    try {
      EndpointHeaders.validate(headers);
    } catch (ValidationFailed e) {
      return e;
    }
    throw new AssertionError("expected " + headers + " to be refused");
  }

  @SafeVarargs
  private static Map<String, String> ordered(Map.Entry<String, String>... entries) {
    Map<String, String> out = new LinkedHashMap<>();
    for (var e : entries) {
      out.put(e.getKey(), e.getValue());
    }
    return out;
  }

  @Test
  void accepts_ordinary_custom_headers() {
    assertThatCode(
            () ->
                EndpointHeaders.validate(
                    Map.of("X-Tenant", "acme", "Authorization", "Bearer abc", "X-Trace-Id", "1-2")))
        .doesNotThrowAnyException();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "Host",
        "host",
        "Content-Length",
        "content-length",
        "Transfer-Encoding",
        "webhook-id",
        "Webhook-Signature",
        "svix-id",
        "Svix-Signature",
        "x-amz-security-token",
        "X-Amz-Date",
      })
  void refuses_a_header_herald_or_the_platform_owns(String name) {
    ValidationFailed e = failure(Map.of(name, "value"));

    assertThat(e.items()).hasSize(1);
    assertThat(e.items().getFirst().loc()).containsExactly("body", "headers", name);
    assertThat(e.items().getFirst().type()).isEqualTo("value_error");
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"X Custom", " X-Custom", "X-Custom:", "X-Ümlaut", ""})
  void refuses_a_name_that_is_not_an_http_token(String name) {
    assertThat(failure(Map.of(name, "value")).items().getFirst().msg())
        .isEqualTo("\"" + name + "\" is not a valid header name");
  }

  @ParameterizedTest(name = "{index}")
  @ValueSource(strings = {"a\r\nX-Injected: 1", "a\nb", "a\rb", "a\0b"})
  void refuses_a_value_with_a_line_break_or_nul(String value) {
    assertThat(failure(Map.of("X-Custom", value)).items().getFirst().msg())
        .isEqualTo("the value of \"X-Custom\" contains a line break or NUL");
  }

  @ParameterizedTest(name = "{index}")
  @ValueSource(
      strings = {
        "\u00e9t\u00e9",
        "\u20ac",
        "a\u2028b",
        "a\u000bb",
        "\u0001",
        "a\u007f",
        "\ud83d\ude00"
      })
  void refuses_a_value_outside_visible_ascii_space_and_tab(String value) {
    assertThat(failure(Map.of("X-Custom", value)).items().getFirst().msg())
        .startsWith("the value of \"X-Custom\" contains U+")
        .endsWith("; values may hold only visible ASCII, space and tab");
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {" a", "a ", "\ta", "a\t", " "})
  void refuses_a_value_starting_or_ending_with_whitespace(String value) {
    assertThat(failure(Map.of("X-Custom", value)).items().getFirst().msg())
        .isEqualTo("the value of \"X-Custom\" starts or ends with a space or tab");
  }

  @Test
  void accepts_visible_ascii_with_inner_spaces_and_tabs_and_an_empty_value() {
    assertThatCode(
            () ->
                EndpointHeaders.validate(
                    Map.of("X-A", "a  b\tc !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", "X-B", "")))
        .doesNotThrowAnyException();
  }

  @Test
  void refuses_names_that_differ_only_in_case_naming_the_later_one() {
    ValidationFailed e = failure(ordered(Map.entry("X-A", "1"), Map.entry("x-a", "2")));

    assertThat(e.items()).extracting(i -> i.loc().getLast()).containsExactly("x-a");
    assertThat(e.items().getFirst().msg()).contains("\"X-A\"").doesNotContain("1", "2");
  }

  @Test
  void a_patch_may_delete_a_name_twice_but_not_set_and_delete_it() {
    Map<String, String> twoDeletes = new LinkedHashMap<>();
    twoDeletes.put("X-A", null);
    twoDeletes.put("x-a", null);
    Map<String, String> setAndDelete = new LinkedHashMap<>();
    setAndDelete.put("X-A", null);
    setAndDelete.put("x-a", "2");

    assertThatCode(() -> EndpointHeaders.validate(twoDeletes)).doesNotThrowAnyException();
    assertThat(failure(setAndDelete).items())
        .extracting(i -> i.loc().getLast())
        .containsExactly("x-a");
  }

  @Test
  void merging_over_names_stored_twice_asks_to_delete_one() {
    Map<String, String> stored = ordered(Map.entry("X-A", "1"), Map.entry("x-a", "2"));

    assertThatThrownBy(() -> EndpointHeaders.merge(stored, Map.of("X-B", "3")))
        .isInstanceOfSatisfying(
            ValidationFailed.class,
            e -> assertThat(e.items().getFirst().msg()).endsWith("delete one of them"));
    Map<String, String> deleteBoth = new LinkedHashMap<>();
    deleteBoth.put("x-A", null);
    assertThat(EndpointHeaders.merge(stored, deleteBoth)).isEmpty();
  }

  @Test
  void refuses_a_value_longer_than_8192_characters() {
    assertThatCode(() -> EndpointHeaders.validate(Map.of("X-Big", "a".repeat(8192))))
        .doesNotThrowAnyException();
    assertThat(failure(Map.of("X-Big", "a".repeat(8193))).items()).hasSize(1);
  }

  @Test
  void reports_every_bad_header_at_once() {
    ValidationFailed e =
        failure(ordered(Map.entry("Host", "x"), Map.entry("X-Ok", "1"), Map.entry("svix-id", "y")));

    assertThat(e.items()).extracting(i -> i.loc().getLast()).containsExactly("Host", "svix-id");
  }

  @Test
  void the_view_lists_authorization_as_sensitive_and_does_not_show_its_value() {
    EndpointHeaders.View view =
        EndpointHeaders.view(
            ordered(Map.entry("Authorization", "Bearer s3cret"), Map.entry("X-Tenant", "acme")));

    assertThat(view.headers()).containsExactly(Map.entry("X-Tenant", "acme"));
    assertThat(view.sensitive()).containsExactly("Authorization");
    assertThat(view.toString()).doesNotContain("s3cret");
  }

  @Test
  void the_view_recognises_sensitive_names_in_any_case() {
    EndpointHeaders.View view =
        EndpointHeaders.view(Map.of("authorization", "a", "X-API-KEY", "b", "Cookie", "c"));

    assertThat(view.headers()).isEmpty();
    assertThat(view.sensitive()).containsExactlyInAnyOrder("authorization", "X-API-KEY", "Cookie");
  }

  @Test
  void merging_a_null_deletes_the_header_whatever_its_case() {
    Map<String, String> current = ordered(Map.entry("X-Tenant", "acme"), Map.entry("X-Keep", "1"));
    Map<String, String> patch = new LinkedHashMap<>();
    patch.put("x-tenant", null);

    assertThat(EndpointHeaders.merge(current, patch)).containsExactly(Map.entry("X-Keep", "1"));
  }

  @Test
  void merging_a_value_replaces_the_header_whatever_its_case_and_adds_new_ones() {
    Map<String, String> current = ordered(Map.entry("X-Tenant", "acme"), Map.entry("X-Keep", "1"));
    Map<String, String> patch = ordered(Map.entry("x-tenant", "globex"), Map.entry("X-New", "2"));

    assertThat(EndpointHeaders.merge(current, patch))
        .containsOnly(
            Map.entry("X-Keep", "1"), Map.entry("x-tenant", "globex"), Map.entry("X-New", "2"));
  }

  @Test
  void merging_a_null_for_an_absent_header_changes_nothing() {
    Map<String, String> current = Map.of("X-Keep", "1");
    Map<String, String> patch = new LinkedHashMap<>();
    patch.put("X-Gone", null);

    assertThat(EndpointHeaders.merge(current, patch)).isEqualTo(current);
  }

  @Test
  void merging_leaves_the_current_map_untouched() {
    Map<String, String> current = ordered(Map.entry("X-Tenant", "acme"));

    EndpointHeaders.merge(current, ordered(Map.entry("X-Tenant", "globex")));

    assertThat(current).containsExactly(Map.entry("X-Tenant", "acme"));
  }

  @Test
  void a_refusal_names_no_header_values() {
    assertThat(failure(Map.of("Host", "internal.example")).getMessage())
        .doesNotContain("internal.example");
  }
}
