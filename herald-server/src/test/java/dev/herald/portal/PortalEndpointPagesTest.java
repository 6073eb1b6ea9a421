package dev.herald.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.portal.PortalClient.Session;
import dev.herald.testing.Api;
import dev.herald.testing.ApiContractTest;
import dev.herald.testing.Eventually;
import dev.herald.testing.Receiver;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The portal's endpoint pages over plain HTTP (issue #11 point 2): create with event types chosen
 * by group, edit, disable and enable, delete after a confirmation, the SSRF guard's answer, the
 * overview's last 24 hours, sending an example, the signing secret and custom headers. Each change
 * is checked through the API, and each control against a session lacking its capability.
 */
class PortalEndpointPagesTest extends ApiContractTest {
  private static final String PUBLIC_URL = "https://portal.example.test";

  @Override
  protected Map<String, String> settings() {
    return Map.of(
        "HERALD_PUBLIC_URL", PUBLIC_URL,
        "HERALD_SSRF_ALLOW", "127.0.0.0/8",
        "HERALD_RETRY_SCHEDULE", "1h");
  }

  private PortalClient portal() {
    return new PortalClient(server.baseUrl(), PUBLIC_URL, api);
  }

  private String newAppWithEventTypes() {
    String app = portal().newApp("Shop " + uniqueUid("a"));
    for (String name : List.of("invoice.paid", "invoice.failed", "user.created")) {
      Api.Response r =
          api.post(
              "/api/v1/event-type",
              Map.of(
                  "name",
                  name,
                  "description",
                  "When " + name,
                  "schemas",
                  Map.of("1", Map.of("type", "object", "examples", List.of(Map.of("n", 1))))));
      assertThat(r.status()).as("%s", r).isIn(201, 409);
    }
    return app;
  }

  private Api.Response endpoint(String app, String id) {
    return api.get("/api/v1/app/" + app + "/endpoint/" + id);
  }

  private static String location(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
    return r.headers().firstValue("Location").orElseThrow();
  }

  private static String idFrom(String location) {
    return location.substring(location.lastIndexOf('/') + 1);
  }

  @Test
  void a_group_of_event_types_channels_and_a_rate_are_saved_then_edited_disabled_and_enabled() {
    String app = newAppWithEventTypes();
    Session s = portal().sessionFor(app, Map.of());
    String form = portal().get("/portal/endpoints/new", s).body();
    assertThat(form)
        .contains("value=\"invoice\"", "value=\"invoice.paid\"", "value=\"user.created\"")
        .contains("All events, including types added later");

    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("url", "https://example.com/hook");
    fields.put("scope", "some");
    fields.put("eventGroup", "invoice");
    fields.put("channels", "eu, us");
    fields.put("throttleRate", "25");
    fields.put("enabled", "true");
    String id = idFrom(location(portal().submit("/portal/endpoints", s, fields)));

    Api.Response saved = endpoint(app, id);
    assertThat(saved.body().path("filterTypes").toString())
        .contains("invoice.paid", "invoice.failed")
        .doesNotContain("user.created");
    assertThat(saved.body().path("channels").toString()).contains("eu", "us");
    assertThat(saved.body().path("throttleRate").asInt()).isEqualTo(25);

    String edit = portal().get("/portal/endpoints/" + id + "/edit", s).body();
    assertThat(edit).contains("value=\"https://example.com/hook\"", "value=\"eu, us\"");
    fields = new LinkedHashMap<>();
    fields.put("url", "https://example.com/other");
    fields.put("scope", "all");
    fields.put("channels", "");
    fields.put("throttleRate", "");
    location(portal().submit("/portal/endpoints/" + id, s, fields));
    Api.Response edited = endpoint(app, id);
    assertThat(edited.field("url")).isEqualTo("https://example.com/other");
    assertThat(edited.body().path("filterTypes").isNull()).as("%s", edited).isTrue();
    assertThat(edited.body().path("throttleRate").isNull()).isTrue();
    assertThat(edited.body().path("disabled").asBoolean()).as("unticked Enabled").isTrue();

    String overview = portal().get("/portal/endpoints/" + id, s).body();
    assertThat(overview).contains("id=\"disabled-notice\"", "disabled by you", "id=\"enable\"");
    location(portal().submit("/portal/endpoints/" + id + "/enabled", s, Map.of("enabled", "true")));
    assertThat(endpoint(app, id).body().path("disabled").asBoolean()).isFalse();
  }

  @Test
  void a_refused_edit_keeps_what_was_typed_and_changes_nothing() {
    String app = newAppWithEventTypes();
    Session s = portal().sessionFor(app, Map.of());
    String id =
        idFrom(
            location(
                portal().submit("/portal/endpoints", s, Map.of("url", "https://example.com/a"))));

    HttpResponse<String> refused =
        portal()
            .submit(
                "/portal/endpoints/" + id,
                s,
                Map.of("url", "https://example.com/a", "scope", "all", "throttleRate", "fast"));

    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.body()).contains("id=\"form-error\"", "Rate limit", "value=\"fast\"");
    assertThat(endpoint(app, id).body().path("throttleRate").isNull()).isTrue();
  }

  @Test
  void delete_asks_first_then_removes_the_endpoint() {
    String app = newAppWithEventTypes();
    Session s = portal().sessionFor(app, Map.of());
    String id =
        idFrom(
            location(
                portal()
                    .submit("/portal/endpoints", s, Map.of("url", "https://example.com/gone"))));

    String question = portal().get("/portal/endpoints/" + id + "/delete", s).body();
    assertThat(question).contains("Delete this endpoint?", "https://example.com/gone");
    assertThat(endpoint(app, id).status()).isEqualTo(200);

    assertThat(location(portal().submit("/portal/endpoints/" + id + "/delete", s, Map.of())))
        .isEqualTo("/portal");
    assertThat(endpoint(app, id).status()).isEqualTo(404);
  }

  @Test
  void the_url_field_shows_the_ssrf_guards_answer() {
    Session s = portal().sessionFor(portal().newApp("Guard " + uniqueUid("a")), Map.of());

    String allowed = portal().get("/portal/url-check?url=http://127.0.0.1:9/hook", s).body();
    assertThat(allowed).contains("check ok", "Herald can send to 127.0.0.1");
    String blocked = portal().get("/portal/url-check?url=http://10.1.2.3/hook", s).body();
    assertThat(blocked).contains("check bad", "private or reserved address");
    String scheme = portal().get("/portal/url-check?url=ftp://example.com/", s).body();
    assertThat(scheme).contains("must start with https://");
    assertThat(portal().get("/portal/url-check?url=x", null).statusCode()).isEqualTo(401);
  }

  @Test
  void the_overview_and_list_show_the_last_day_and_an_example_is_delivered_from_the_testing_tab() {
    Receiver ok = receiver().replyWith(Receiver.Reply.ok().withBody("thanks from the receiver"));
    Receiver failing = receiver().replyWith(Receiver.Reply.status(503).withBody("down"));
    String app = newAppWithEventTypes();
    Session s = portal().sessionFor(app, Map.of());
    String good =
        idFrom(location(portal().submit("/portal/endpoints", s, Map.of("url", ok.url()))));
    String bad =
        idFrom(location(portal().submit("/portal/endpoints", s, Map.of("url", failing.url()))));

    String testing = portal().get("/portal/endpoints/" + good + "/testing", s).body();
    assertThat(testing).contains("<option value=\"invoice.paid\">");
    String run =
        location(
            portal()
                .submit(
                    "/portal/endpoints/" + good + "/testing",
                    s,
                    Map.of("eventType", "invoice.paid")));
    assertThat(run).startsWith("/portal/endpoints/" + good + "/testing?msg=msg_");
    assertThat(ok.awaitRequests(1, Duration.ofSeconds(20)).getFirst().bodyText())
        .isEqualTo("{\"n\":1}");
    String attempts =
        Eventually.await(
            "the example's attempt",
            () -> portal().get(run.replace("/testing?", "/testing/attempts?"), s).body(),
            b -> b.contains("id=\"test-status\">success"));
    assertThat(attempts).contains("HTTP 200", "thanks from the receiver").doesNotContain("hx-get");

    api.post(
        "/api/v1/app/" + app + "/msg", Map.of("eventType", "invoice.paid", "payload", Map.of()));
    failing.awaitRequests(1, Duration.ofSeconds(20));
    String failed =
        Eventually.await(
            "the failure on the overview",
            () -> portal().get("/portal/endpoints/" + bad, s).body(),
            b -> b.contains("id=\"last-failure\""));
    assertThat(failed).contains("HTTP 503", "id=\"success-rate\">0%");
    String healthy = portal().get("/portal/endpoints/" + good, s).body();
    assertThat(healthy).contains("id=\"success-rate\">100%", "id=\"no-failure\"");
    assertThat(portal().get("/portal", s).body())
        .contains("100% ok", "0% ok", "<svg class=\"spark\"");
  }

  @Test
  void the_secret_is_revealed_and_rotated_and_header_values_never_shown() {
    String app = newAppWithEventTypes();
    Session s = portal().sessionFor(app, Map.of());
    String id =
        idFrom(
            location(
                portal().submit("/portal/endpoints", s, Map.of("url", "https://example.com/s"))));
    String secret = api.get("/api/v1/app/" + app + "/endpoint/" + id + "/secret").field("key");

    String hidden = portal().get("/portal/endpoints/" + id + "/advanced", s).body();
    assertThat(hidden).doesNotContain(secret).contains("id=\"reveal\"", "id=\"rotate\"");
    assertThat(portal().get("/portal/endpoints/" + id + "/advanced?reveal=1", s).body())
        .contains(secret);

    location(portal().submit("/portal/endpoints/" + id + "/secret/rotate", s, Map.of()));
    String rotated = api.get("/api/v1/app/" + app + "/endpoint/" + id + "/secret").field("key");
    assertThat(rotated).isNotEqualTo(secret);
    String both = portal().get("/portal/endpoints/" + id + "/advanced?reveal=1", s).body();
    assertThat(both).contains(rotated, secret, "Previous secret, still signing until");

    location(
        portal()
            .submit(
                "/portal/endpoints/" + id + "/headers",
                s,
                Map.of("name", "X-Team-Token", "value", "very-private-value")));
    assertThat(
            api.get("/api/v1/app/" + app + "/endpoint/" + id + "/headers")
                .body()
                .path("headers")
                .path("X-Team-Token")
                .asText())
        .isEqualTo("very-private-value");
    String page = portal().get("/portal/endpoints/" + id + "/advanced", s).body();
    assertThat(page).contains("X-Team-Token").doesNotContain("very-private-value");
    HttpResponse<String> refused =
        portal()
            .submit(
                "/portal/endpoints/" + id + "/headers",
                s,
                Map.of("name", "Host", "value", "evil.example"));
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.body()).contains("id=\"headers-error\"");

    HttpResponse<String> unnamed =
        portal().submit("/portal/endpoints/" + id + "/headers/delete", s, Map.of());
    assertThat(unnamed.statusCode()).isEqualTo(422);
    assertThat(unnamed.body()).contains("id=\"headers-error\"");
    location(
        portal()
            .submit(
                "/portal/endpoints/" + id + "/headers/delete", s, Map.of("name", "X-Team-Token")));
    assertThat(portal().get("/portal/endpoints/" + id + "/advanced", s).body())
        .contains("id=\"no-headers\"");
  }

  @Test
  void a_view_only_session_sees_no_controls_and_its_hand_made_changes_are_refused() {
    String app = newAppWithEventTypes();
    String id =
        api.post("/api/v1/app/" + app + "/endpoint", Map.of("url", "https://example.com/v"))
            .field("id");
    String secret = api.get("/api/v1/app/" + app + "/endpoint/" + id + "/secret").field("key");
    Session s = portal().sessionFor(app, Map.of("capabilities", List.of("ViewBase")));

    String overview = portal().get("/portal/endpoints/" + id, s).body();
    assertThat(overview).doesNotContain("id=\"edit\"", "id=\"disable\"", "/delete\"");
    String advanced = portal().get("/portal/endpoints/" + id + "/advanced?reveal=1", s).body();
    assertThat(advanced)
        .doesNotContain(secret, "id=\"rotate\"", "id=\"add-header\"", "id=\"reveal\"")
        .contains("cannot see the signing secret");
    assertThat(portal().get("/portal/endpoints/" + id + "/testing", s).body())
        .contains("cannot send events")
        .doesNotContain("id=\"send-example\"");

    assertThat(portal().get("/portal/endpoints/" + id + "/edit", s).statusCode()).isEqualTo(403);
    assertThat(portal().get("/portal/url-check?url=http://10.0.0.1/", s).statusCode())
        .as("the SSRF answer tells which names resolve where: only for sessions that save URLs")
        .isEqualTo(403);
    for (String path :
        List.of(
            "/portal/endpoints/" + id,
            "/portal/endpoints/" + id + "/enabled",
            "/portal/endpoints/" + id + "/delete",
            "/portal/endpoints/" + id + "/secret/rotate",
            "/portal/endpoints/" + id + "/headers",
            "/portal/endpoints/" + id + "/testing")) {
      HttpResponse<String> r =
          portal()
              .submit(
                  path,
                  s,
                  Map.of(
                      "url", "https://example.com/forged",
                      "enabled", "false",
                      "name", "X-A",
                      "value", "b",
                      "eventType", "invoice.paid"));
      assertThat(r.statusCode()).as(path).isEqualTo(403);
    }
    Api.Response after = endpoint(app, id);
    assertThat(after.field("url")).isEqualTo("https://example.com/v");
    assertThat(after.body().path("disabled").asBoolean()).isFalse();
    assertThat(api.get("/api/v1/app/" + app + "/endpoint/" + id + "/secret").field("key"))
        .isEqualTo(secret);
  }

  @Test
  void an_endpoint_of_another_application_is_not_found() {
    String mine = newAppWithEventTypes();
    String other = portal().newApp("Other " + uniqueUid("a"));
    String theirs =
        api.post("/api/v1/app/" + other + "/endpoint", Map.of("url", "https://example.com/t"))
            .field("id");
    Session s = portal().sessionFor(mine, Map.of());

    assertThat(portal().get("/portal/endpoints/" + theirs, s).statusCode()).isEqualTo(404);
    assertThat(portal().submit("/portal/endpoints/" + theirs + "/delete", s, Map.of()).statusCode())
        .isEqualTo(404);
    assertThat(endpoint(other, theirs).status()).isEqualTo(200);
  }
}
