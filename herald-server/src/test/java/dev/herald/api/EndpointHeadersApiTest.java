package dev.herald.api;

import static dev.herald.testing.Webhooks.endpointPath;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.testing.Api;
import dev.herald.testing.ApiContractTest;
import dev.herald.testing.Eventually;
import dev.herald.testing.Receiver;
import dev.herald.testing.Webhooks;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Custom endpoint headers are sent exactly as stored, so what cannot be sent as given is refused
 * when set (hardening #9 point 6): values were stored as given and then changed on the wire ({@code
 * é} as a Latin-1 byte, U+2028 as a space, DEL raw), and {@code X-A} beside {@code x-a} were both
 * stored while one was sent.
 */
class EndpointHeadersApiTest extends ApiContractTest {
  static final String URL = "https://example.com/webhook";

  @Override
  protected Map<String, String> settings() {
    return Map.of("HERALD_SSRF_ALLOW", "127.0.0.0/8", "HERALD_POLL_INTERVAL", "50ms");
  }

  private static Map<String, Object> ordered(Object... keysAndValues) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      out.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return out;
  }

  /** The four ways to set headers, each answering with the refusal of {@code headers}. */
  private List<Api.Response> setEverywhere(
      String app, String endpoint, Map<String, Object> headers) {
    String one = endpointPath(app, endpoint);
    return List.of(
        api.post("/api/v1/app/" + app + "/endpoint", Map.of("url", URL, "headers", headers)),
        api.put(one, Map.of("url", URL, "headers", headers)),
        api.put(one + "/headers", Map.of("headers", headers)),
        api.patch(one + "/headers", Map.of("headers", headers)));
  }

  private static List<String> locations(Api.Response r) {
    return r.body().path("detail").findValues("loc").stream().map(JsonNode::toString).toList();
  }

  @Test
  void
      a_value_outside_visible_ascii_space_and_tab_answers_422_naming_the_header_and_changes_nothing() {
    Webhooks hooks = new Webhooks(api);
    String app = hooks.createApp();
    String endpoint = hooks.createEndpoint(app, URL);
    String headers = endpointPath(app, endpoint) + "/headers";
    assertThat(api.put(headers, Map.of("headers", Map.of("X-Before", "1"))).status())
        .isEqualTo(204);
    SoftAssertions soft = new SoftAssertions();
    List<String> values =
        List.of(
            "\u00e9t\u00e9",
            "\u20ac",
            "a\u2028b",
            "a\u000bb",
            "\u0001",
            "a\u007f",
            "\ud83d\ude00",
            " leading",
            "trailing\t");
    for (String value : values) {
      for (Api.Response r : setEverywhere(app, endpoint, Map.of("X-Bad", value))) {
        soft.assertThat(r.status()).as("%s: %s", value, r).isEqualTo(422);
        soft.assertThat(locations(r))
            .as("%s: %s", value, r)
            .containsExactly("[\"body\",\"headers\",\"X-Bad\"]");
      }
    }
    soft.assertAll();
    assertThat(api.get(headers).body().path("headers").toString())
        .isEqualTo("{\"X-Before\":\"1\"}");
  }

  @Test
  void names_differing_only_in_case_answer_422_naming_the_second() {
    Webhooks hooks = new Webhooks(api);
    String app = hooks.createApp();
    String endpoint = hooks.createEndpoint(app, URL);
    SoftAssertions soft = new SoftAssertions();

    for (Api.Response r : setEverywhere(app, endpoint, ordered("X-A", "1", "x-a", "2"))) {
      soft.assertThat(r.status()).as("%s", r).isEqualTo(422);
      soft.assertThat(locations(r)).as("%s", r).containsExactly("[\"body\",\"headers\",\"x-a\"]");
    }
    Api.Response setAndDelete =
        api.patch(
            endpointPath(app, endpoint) + "/headers",
            Map.of("headers", Map.of("X-A", "1"), "deleteHeaders", List.of("x-a")));
    soft.assertThat(setAndDelete.status()).as("%s", setAndDelete).isEqualTo(422);
    soft.assertAll();
  }

  @Test
  void a_patch_changes_a_header_whatever_the_case_of_its_name() {
    Webhooks hooks = new Webhooks(api);
    String app = hooks.createApp();
    String endpoint = hooks.createEndpoint(app, URL);
    String headers = endpointPath(app, endpoint) + "/headers";
    api.put(headers, Map.of("headers", Map.of("X-Tenant", "acme")));

    Api.Response r = api.patch(headers, Map.of("headers", Map.of("x-tenant", "globex")));

    assertThat(r.status()).as("%s", r).isEqualTo(204);
    assertThat(api.get(headers).body().path("headers").toString())
        .isEqualTo("{\"x-tenant\":\"globex\"}");
  }

  @Test
  void a_value_with_inner_spaces_and_punctuation_reaches_the_receiver_unchanged() {
    try (Receiver rx = Receiver.start()) {
      Webhooks hooks = new Webhooks(api);
      String app = hooks.createApp();
      String endpoint = hooks.createEndpoint(app, rx.url());
      // No tab: Herald sends it as is, but the JDK server under Receiver reads it as a space.
      String value = "a  b c !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
      assertThat(
              api.put(
                      endpointPath(app, endpoint) + "/headers",
                      Map.of("headers", Map.of("X-Exact", value)))
                  .status())
          .isEqualTo(204);

      hooks.send(app, "user.created");

      assertThat(rx.awaitRequests(1, Eventually.DEFAULT_TIMEOUT).get(0).header("x-exact"))
          .isEqualTo(value);
    }
  }
}
