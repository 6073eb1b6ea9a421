package dev.herald.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.json.Json;
import dev.herald.testing.Api;
import dev.herald.testing.ApiContractTest;
import dev.herald.testing.MutableClock;
import dev.herald.testing.Receiver;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The operator dashboard over plain HTTP (issue #11 points 4 and 5): signing in with an org key,
 * the session cookie and its end, CSRF on every change, escaping, and the API-key API. The public
 * URL is https here, so the cookies must be Secure.
 */
class DashboardSessionTest extends ApiContractTest {
  private static final String PUBLIC_URL = "https://herald.example.test";

  private final MutableClock clock = MutableClock.atSystemTime();

  @Override
  protected Map<String, String> settings() {
    return Map.of(
        "HERALD_PUBLIC_URL", PUBLIC_URL,
        "HERALD_SSRF_ALLOW", "127.0.0.0/8",
        "HERALD_POLL_INTERVAL", "50ms",
        "HERALD_RETRY_SCHEDULE", "50ms");
  }

  @Override
  protected InstantSource clock() {
    return clock;
  }

  private DashboardClient signedIn(String key) {
    DashboardClient c = new DashboardClient(server.baseUrl());
    HttpResponse<String> r = c.signIn(key);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
    return c;
  }

  /** A new org's admin key: counts and lists in these tests see only what the test made. */
  private String newOrgKey() {
    return server.herald().auth().createOrg("dash-" + uniqueUid("o")).key();
  }

  @Test
  void get_root_sends_a_browser_to_the_dashboard_and_the_json_api_is_unchanged() {
    DashboardClient anonymous = new DashboardClient(server.baseUrl());
    HttpResponse<String> root = anonymous.get("/");
    assertThat(root.statusCode()).isEqualTo(302);
    assertThat(root.headers().firstValue("Location")).contains("/dashboard");
    assertThat(api.get("/api/v1/health").status()).isEqualTo(200);
    assertThat(server.anonymous().get("/api/v1/app").status()).isEqualTo(401);
  }

  @Test
  void an_org_key_signs_in_to_a_session_cookie_and_sign_out_ends_the_session() {
    DashboardClient c = new DashboardClient(server.baseUrl());
    HttpResponse<String> before = c.get("/dashboard");
    assertThat(before.statusCode()).isEqualTo(401);
    assertThat(before.body()).contains("Your dashboard session has ended", "id=\"login\"");

    HttpResponse<String> in = c.signIn(server.adminKey());
    assertThat(in.statusCode()).as(in.body()).isEqualTo(303);
    assertThat(in.headers().firstValue("Location")).contains("/dashboard");
    assertThat(DashboardClient.setCookie(in, "herald_dashboard"))
        .startsWith("herald_dashboard=hds_")
        .contains(
            "; Path=/dashboard", "; HttpOnly", "; SameSite=Lax", "; Secure", "; Max-Age=43200");

    HttpResponse<String> overview = c.get("/dashboard");
    assertThat(overview.statusCode()).isEqualTo(200);
    assertThat(overview.body()).contains("Overview", "id=\"charts\"");
    String policy = overview.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertThat(policy).contains("script-src 'self'").doesNotContain("unsafe-inline");
    // The session's secret is never stored: only its SHA-256.
    String secret = c.cookie().substring("herald_dashboard=".length());
    long stored =
        server
            .herald()
            .database()
            .read(
                sql ->
                    sql.queryLong(
                        "SELECT COUNT(*) FROM dashboard_session WHERE session_hash = ?", secret));
    assertThat(stored).isZero();

    assertThat(c.post("/dashboard/logout", Map.of()).statusCode()).isEqualTo(403);
    HttpResponse<String> out = c.postWithCsrf("/dashboard/logout", Map.of());
    assertThat(out.statusCode()).isEqualTo(303);
    assertThat(out.headers().firstValue("Location")).contains("/dashboard/signed-out");
    assertThat(DashboardClient.setCookie(out, "herald_dashboard")).contains("Max-Age=0");
    assertThat(c.get("/dashboard").statusCode()).isEqualTo(401);
    assertThat(c.get("/dashboard/overview/series?range=1h").statusCode()).isEqualTo(401);
  }

  @Test
  void sign_in_refuses_a_wrong_key_a_portal_token_and_a_form_without_its_sign_in_token() {
    DashboardClient c = new DashboardClient(server.baseUrl());
    HttpResponse<String> wrong = c.signIn("hk_not_a_key");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).contains("This API key is not valid.");
    assertThat(wrong.headers().allValues("Set-Cookie"))
        .noneMatch(h -> h.startsWith("herald_dashboard="));

    String app = api.post("/api/v1/app", Map.of("name", "Portal only")).field("id");
    String token = api.post("/api/v1/auth/app-portal-access/" + app, Map.of()).field("token");
    HttpResponse<String> portal = c.signIn(token);
    assertThat(portal.statusCode()).isEqualTo(401);
    assertThat(portal.body()).contains("application portal token");

    // A form posted from elsewhere has no sign-in cookie: refused before the key is looked at.
    HttpResponse<String> forged =
        c.post("/dashboard/login", Map.of("_login", "guess", "key", server.adminKey()));
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.headers().allValues("Set-Cookie"))
        .noneMatch(h -> h.startsWith("herald_dashboard="));
  }

  @Test
  void a_session_is_refused_twelve_hours_after_sign_in() {
    DashboardClient c = signedIn(server.adminKey());
    clock.advance(Duration.ofHours(11).plusMinutes(59));
    assertThat(c.get("/dashboard").statusCode()).isEqualTo(200);
    clock.advance(Duration.ofMinutes(2));
    HttpResponse<String> late = c.get("/dashboard");
    assertThat(late.statusCode()).isEqualTo(401);
    assertThat(late.body()).contains("session has ended");
  }

  @Test
  void revoking_the_key_ends_the_sessions_opened_with_it() {
    String key = api.post("/api/v1/api-key", Map.of("name", "operator")).field("key");
    DashboardClient c = signedIn(key);
    assertThat(c.get("/dashboard/keys").statusCode()).isEqualTo(200);
    String id =
        server.api(key).get("/api/v1/api-key").body().get("data").findValuesAsText("id").stream()
            .filter(i -> api.get("/api/v1/api-key").text().contains(i))
            .reduce((a, b) -> b)
            .orElseThrow();
    assertThat(api.delete("/api/v1/api-key/" + id).status()).isEqualTo(204);
    assertThat(c.get("/dashboard/keys").statusCode()).isEqualTo(401);
  }

  @Test
  void every_change_needs_the_session_csrf_token() {
    DashboardClient c = signedIn(newOrgKey());
    String keysBefore = c.get("/dashboard/keys").body();
    for (String path :
        List.of(
            "/dashboard/keys",
            "/dashboard/keys/key_x/revoke",
            "/dashboard/endpoints/enable",
            "/dashboard/endpoints/recover",
            "/dashboard/applications/app_x/portal",
            "/dashboard/event-types",
            "/dashboard/event-types/a.b",
            "/dashboard/event-types/a.b/archive",
            "/dashboard/operational-webhooks",
            "/dashboard/operational-webhooks/ep_x/delete",
            "/dashboard/logout")) {
      HttpResponse<String> r = c.post(path, Map.of("name", "sneaky", "_csrf", "wrong"));
      assertThat(r.statusCode()).as(path).isEqualTo(403);
      assertThat(r.body()).as(path).contains("out of date or was sent from another site");
    }
    assertThat(c.get("/dashboard/keys").body()).doesNotContain("sneaky");
    assertThat(keysBefore).doesNotContain("sneaky");
  }

  @Test
  void stored_markup_renders_inert_on_every_page() {
    String key = newOrgKey();
    Api org = server.api(key);
    String evil = "<script>alert(1)</script><img src=x onerror=alert(2)>";
    String app = org.post("/api/v1/app", Map.of("name", evil)).field("id");
    Receiver r = receiver();
    Api.Response ep =
        org.post(
            "/api/v1/app/" + app + "/endpoint",
            Map.of("url", r.url("/x"), "description", evil, "disabled", true));
    assertThat(ep.status()).as("%s", ep).isEqualTo(201);
    String msg =
        org.post(
                "/api/v1/app/" + app + "/msg",
                Map.of("eventType", "order.created", "eventId", "e-1", "payload", Map.of("a", 1)))
            .field("id");
    org.post("/api/v1/event-type", Map.of("name", "evil.type", "description", evil));
    DashboardClient c = signedIn(key);
    c.postWithCsrf("/dashboard/keys", Map.of("name", evil));
    for (String path :
        List.of(
            "/dashboard/applications",
            "/dashboard/endpoints",
            "/dashboard/messages?q=" + msg,
            "/dashboard/messages/" + msg,
            "/dashboard/event-types",
            "/dashboard/event-types/evil.type",
            "/dashboard/keys")) {
      String body = c.get(path).body();
      // Escaped for where it stands: "&lt;script&gt;" in text, "&lt;script>" in an attribute.
      assertThat(body).as(path).contains("&lt;script", "alert(1)");
      assertThat(body).as(path).doesNotContain("<script>alert", "<img src=x");
    }
  }

  @Test
  void the_api_key_api_creates_lists_and_revokes_org_keys_and_refuses_portal_tokens() {
    Api.Response created = api.post("/api/v1/api-key", Map.of("name", "ci deploys"));
    assertThat(created.status()).as("%s", created).isEqualTo(201);
    String key = created.field("key");
    String id = created.field("id");
    assertThat(key).startsWith("hk_");
    assertThat(server.api(key).get("/api/v1/app").status()).isEqualTo(200);

    Api.Response list = api.get("/api/v1/api-key");
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.text()).contains(id, "ci deploys", "createdAt", "lastUsedAt");
    assertThat(list.text()).doesNotContain(key).doesNotContain("hash");
    JsonNode row = findRow(list.body(), id);
    assertThat(row.get("lastUsedAt").isNull()).isFalse();

    assertThat(api.post("/api/v1/api-key", Map.of("name", "")).status()).isEqualTo(422);
    String own = findRow(server.api(key).get("/api/v1/api-key").body(), id).get("id").asText();
    Api.Response self = server.api(key).delete("/api/v1/api-key/" + own);
    assertThat(self.status()).isEqualTo(409);
    assertThat(self.field("code")).isEqualTo("key_in_use");

    String app = api.post("/api/v1/app", Map.of("name", "Tokens")).field("id");
    String token = api.post("/api/v1/auth/app-portal-access/" + app, Map.of()).field("token");
    Api portal = server.api(token);
    assertThat(portal.get("/api/v1/api-key").status()).isEqualTo(403);
    assertThat(portal.post("/api/v1/api-key", Map.of()).status()).isEqualTo(403);
    assertThat(portal.delete("/api/v1/api-key/" + id).status()).isEqualTo(403);

    assertThat(api.delete("/api/v1/api-key/" + id).status()).isEqualTo(204);
    assertThat(server.api(key).get("/api/v1/app").status()).isEqualTo(401);
    assertThat(api.delete("/api/v1/api-key/" + id).status()).isEqualTo(404);
    assertThat(api.get("/api/v1/api-key").text()).doesNotContain(id);
  }

  @Test
  void a_new_key_is_never_stored_in_the_idempotency_table() {
    Api.Response created =
        api.post(
            "/api/v1/api-key",
            Map.of("name", "retried"),
            Map.of("idempotency-key", uniqueUid("idem")));
    assertThat(created.status()).isEqualTo(201);
    String key = created.field("key");
    List<String> stored =
        server
            .herald()
            .database()
            .read(
                sql ->
                    sql.query(
                        "SELECT response FROM idempotency WHERE response IS NOT NULL",
                        rs -> new String(rs.getBytes(1), java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(stored).noneMatch(r -> r.contains(key));
  }

  @Test
  void last_use_is_written_at_most_once_a_minute_per_key() {
    Api.Response created = api.post("/api/v1/api-key", Map.of("name", "busy"));
    String key = created.field("key");
    String id = created.field("id");
    Api busy = server.api(key);
    busy.get("/api/v1/app");
    Instant first =
        Instant.parse(findRow(api.get("/api/v1/api-key").body(), id).get("lastUsedAt").asText());
    clock.advance(Duration.ofSeconds(20));
    busy.get("/api/v1/app");
    assertThat(findRow(api.get("/api/v1/api-key").body(), id).get("lastUsedAt").asText())
        .isEqualTo(first.toString());
    clock.advance(Duration.ofSeconds(45));
    busy.get("/api/v1/app");
    Instant later =
        Instant.parse(findRow(api.get("/api/v1/api-key").body(), id).get("lastUsedAt").asText());
    assertThat(later).isAfter(first.plusSeconds(60));
  }

  @Test
  void the_overview_series_counts_real_traffic_and_the_explorer_finds_it_across_applications() {
    String key = newOrgKey();
    Api org = server.api(key);
    Receiver r = receiver();
    String a1 = org.post("/api/v1/app", Map.of("name", "First")).field("id");
    String a2 = org.post("/api/v1/app", Map.of("name", "Second")).field("id");
    org.post("/api/v1/app/" + a1 + "/endpoint", Map.of("url", r.url("/one")));
    org.post("/api/v1/app/" + a2 + "/endpoint", Map.of("url", r.url("/two")));
    String wanted = null;
    for (int i = 0; i < 6; i++) {
      String app = i % 2 == 0 ? a1 : a2;
      String id =
          org.post(
                  "/api/v1/app/" + app + "/msg",
                  Map.of(
                      "eventType",
                      "invoice.paid",
                      "eventId",
                      "inv-" + i,
                      "payload",
                      Map.of("i", i)))
              .field("id");
      if (i == 3) {
        wanted = id;
      }
    }
    r.awaitRequests(6, Duration.ofSeconds(20));

    DashboardClient c = signedIn(key);
    JsonNode series = awaitDelivered(c, 6);
    assertThat(sum(series.get("accepted")) * series.get("bucketSeconds").asLong()).isEqualTo(6.0);
    assertThat(series.get("t")).hasSize(60);
    assertThat(series.get("p95Ms").findValues("p95Ms")).isEmpty();
    assertThat(c.get("/dashboard").body()).contains("id=\"due\"");

    String byId = c.get("/dashboard/messages?q=" + wanted).body();
    assertThat(byId).contains(wanted, "Second").doesNotContain("inv-0");
    assertThat(c.get("/dashboard/messages?q=inv-4").body()).contains("inv-4", "First");
    String byApp = c.get("/dashboard/messages?app=" + a1 + "&status=success").body();
    assertThat(byApp).contains("inv-0", "inv-2", "inv-4").doesNotContain("inv-1");
    assertThat(c.get("/dashboard/messages?status=fail").body()).contains("id=\"no-messages\"");
    assertThat(c.get("/dashboard/messages/" + wanted).body())
        .contains("id=\"attempts\"", r.url("/two"));
    // Another org's operator finds nothing of it.
    DashboardClient other = signedIn(newOrgKey());
    assertThat(other.get("/dashboard/messages?q=" + wanted).body()).contains("id=\"no-messages\"");
    assertThat(other.get("/dashboard/messages/" + wanted).statusCode()).isEqualTo(404);
  }

  @Test
  void the_health_board_re_enables_in_bulk_and_recovers_after_a_dry_run_count() {
    String key = newOrgKey();
    Api org = server.api(key);
    Receiver r = receiver().replyWith(req -> Receiver.Reply.status(500));
    String app = org.post("/api/v1/app", Map.of("name", "Flaky")).field("id");
    String failing =
        org.post("/api/v1/app/" + app + "/endpoint", Map.of("url", r.url("/f"))).field("id");
    String off =
        org.post("/api/v1/app/" + app + "/endpoint", Map.of("url", r.url("/off"), "disabled", true))
            .field("id");
    for (int i = 0; i < 2; i++) {
      org.post("/api/v1/app/" + app + "/msg", Map.of("eventType", "a.b", "payload", Map.of()));
    }
    DashboardClient c = signedIn(key);
    String csrf = c.csrf();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String dry;
    do {
      dry =
          c.post(
                  "/dashboard/endpoints/recover",
                  List.of(
                      Map.entry("_csrf", csrf),
                      Map.entry("endpoint", failing),
                      Map.entry("since", "1h")))
              .body();
      // This suite's clock stands still: move it for the retry to come due.
      clock.advance(Duration.ofMillis(100));
    } while (!dry.contains("id=\"dry-run-count\">2<") && System.nanoTime() < deadline);
    assertThat(dry).contains("Dry run", "id=\"dry-run-count\">2<", "Nothing has changed yet");
    assertThat(count("SELECT COUNT(*) FROM task WHERE app_id = ?", app)).isZero();

    HttpResponse<String> run =
        c.post(
            "/dashboard/endpoints/recover",
            List.of(
                Map.entry("_csrf", csrf),
                Map.entry("endpoint", failing),
                Map.entry("since", "1h"),
                Map.entry("confirm", "true")));
    assertThat(run.statusCode()).isEqualTo(200);
    assertThat(run.body()).contains("Recovering 2 failed deliveries of 1 endpoint(s).");
    assertThat(
            count("SELECT COUNT(*) FROM task WHERE app_id = ? AND kind = 'endpoint.recover'", app))
        .isEqualTo(1);

    HttpResponse<String> none =
        c.post("/dashboard/endpoints/enable", List.of(Map.entry("_csrf", csrf)));
    assertThat(none.statusCode()).isEqualTo(422);
    assertThat(none.body()).contains("Tick at least one endpoint first.");
    List<Map.Entry<String, String>> tooMany = new java.util.ArrayList<>();
    tooMany.add(Map.entry("_csrf", csrf));
    for (int i = 0; i <= 250; i++) {
      tooMany.add(Map.entry("endpoint", "ep_" + i));
    }
    HttpResponse<String> refused = c.post("/dashboard/endpoints/enable", tooMany);
    assertThat(refused.statusCode()).as("more ids than a board lists").isEqualTo(422);
    assertThat(refused.body()).contains("at most 250 endpoints");
    HttpResponse<String> foreign =
        c.post(
            "/dashboard/endpoints/enable",
            List.of(Map.entry("_csrf", csrf), Map.entry("endpoint", "ep_not_in_this_org")));
    assertThat(foreign.statusCode()).isEqualTo(422);
    assertThat(c.get("/dashboard/endpoints").body()).contains(off, "Disabled");
    HttpResponse<String> enabled =
        c.post(
            "/dashboard/endpoints/enable",
            List.of(Map.entry("_csrf", csrf), Map.entry("endpoint", off)));
    assertThat(enabled.body()).contains("1 endpoint(s) enabled.");
    assertThat(
            org.get("/api/v1/app/" + app + "/endpoint/" + off).body().get("disabled").asBoolean())
        .isFalse();
  }

  @Test
  void open_portal_makes_a_view_only_link_unless_changes_are_allowed() {
    String key = newOrgKey();
    Api org = server.api(key);
    String app = org.post("/api/v1/app", Map.of("name", "Preview")).field("id");
    DashboardClient c = signedIn(key);
    assertThat(c.get("/dashboard/applications?q=prev").body()).contains("Preview", app);
    assertThat(c.get("/dashboard/applications?q=nothing-like-it").body())
        .contains("id=\"no-apps\"");
    HttpResponse<String> open =
        c.postWithCsrf("/dashboard/applications/" + app + "/portal", Map.of());
    assertThat(open.statusCode()).isEqualTo(303);
    String link = open.headers().firstValue("Location").orElseThrow();
    assertThat(link).startsWith("/portal/open?code=hpl_");
    assertThat(latestPortalCapabilities(app)).containsExactly("ViewBase");
    c.postWithCsrf("/dashboard/applications/" + app + "/portal", Map.of("allowChanges", "true"));
    assertThat(latestPortalCapabilities(app)).contains("ViewBase", "ManageEndpoint");
  }

  @Test
  void the_event_type_registry_creates_edits_with_schema_and_example_and_archives() {
    String key = newOrgKey();
    Api org = server.api(key);
    DashboardClient c = signedIn(key);
    assertThat(c.get("/dashboard/event-types").body()).contains("id=\"no-event-types\"");

    HttpResponse<String> bad =
        c.postWithCsrf(
            "/dashboard/event-types",
            Map.of("name", "invoice.paid", "description", "Paid", "schema", "{not json"));
    assertThat(bad.statusCode()).isEqualTo(422);
    assertThat(bad.body()).contains("schema: is not valid JSON", "value=\"invoice.paid\"");

    HttpResponse<String> created =
        c.postWithCsrf(
            "/dashboard/event-types",
            Map.of(
                "name", "invoice.paid",
                "description", "An invoice was paid",
                "schema", "{\"type\": \"object\", \"required\": [\"id\"]}",
                "example", "{\"id\": \"inv_1\"}"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(303);
    JsonNode stored = org.get("/api/v1/event-type/invoice.paid").body();
    assertThat(stored.get("description").asText()).isEqualTo("An invoice was paid");
    assertThat(stored.at("/schemas/1/required/0").asText()).isEqualTo("id");
    assertThat(stored.at("/schemas/1/examples/0/id").asText()).isEqualTo("inv_1");
    assertThat(
            c.postWithCsrf(
                    "/dashboard/event-types", Map.of("name", "invoice.paid", "description", ""))
                .statusCode())
        .isEqualTo(409);

    String edit = c.get("/dashboard/event-types/invoice.paid").body();
    assertThat(edit).contains("\"required\" : [ \"id\" ]", "inv_1");
    HttpResponse<String> saved =
        c.postWithCsrf(
            "/dashboard/event-types/invoice.paid",
            Map.of("description", "Paid in full", "schema", "", "example", "{\"id\": \"inv_2\"}"));
    assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);
    stored = org.get("/api/v1/event-type/invoice.paid").body();
    assertThat(stored.get("description").asText()).isEqualTo("Paid in full");
    assertThat(stored.at("/schemas/1/examples/0/id").asText()).isEqualTo("inv_2");
    assertThat(stored.at("/schemas/1/required").isMissingNode()).isTrue();

    c.postWithCsrf("/dashboard/event-types/invoice.paid/archive", Map.of("archived", "true"));
    assertThat(org.get("/api/v1/event-type/invoice.paid").body().get("archived").asBoolean())
        .isTrue();
    assertThat(c.get("/dashboard/event-types").body()).contains("Archived", "Restore");
    c.postWithCsrf("/dashboard/event-types/invoice.paid/archive", Map.of("archived", "false"));
    assertThat(org.get("/api/v1/event-type/invoice.paid").body().get("archived").asBoolean())
        .isFalse();
  }

  @Test
  void operational_webhook_endpoints_are_listed_created_and_deleted() {
    String key = newOrgKey();
    Api org = server.api(key);
    Receiver r = receiver();
    DashboardClient c = signedIn(key);
    assertThat(c.get("/dashboard/operational-webhooks").body()).contains("id=\"no-operational\"");
    HttpResponse<String> refused =
        c.post(
            "/dashboard/operational-webhooks",
            List.of(
                Map.entry("_csrf", c.csrf()),
                Map.entry("url", "ftp://x"),
                Map.entry("description", "")));
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.body()).contains("id=\"operational-error\"", "value=\"ftp://x\"");
    HttpResponse<String> created =
        c.post(
            "/dashboard/operational-webhooks",
            List.of(
                Map.entry("_csrf", c.csrf()),
                Map.entry("url", r.url("/ops")),
                Map.entry("eventTypes", "endpoint.disabled"),
                Map.entry("eventTypes", "message.attempt.exhausted"),
                Map.entry("description", "On call")));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(303);
    JsonNode listed = org.get("/api/v1/operational-webhook/endpoint").body().get("data");
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0).get("url").asText()).isEqualTo(r.url("/ops"));
    assertThat(listed.get(0).get("filterTypes").toString())
        .contains("endpoint.disabled", "message.attempt.exhausted");
    assertThat(c.get("/dashboard/operational-webhooks").body())
        .contains(r.url("/ops"), "endpoint.disabled, message.attempt.exhausted", "On call");

    String id = listed.get(0).get("id").asText();
    assertThat(
            c.postWithCsrf("/dashboard/operational-webhooks/" + id + "/delete", Map.of())
                .statusCode())
        .isEqualTo(303);
    assertThat(org.get("/api/v1/operational-webhook/endpoint").body().get("data")).isEmpty();
  }

  /** The capabilities of the application's newest portal token. */
  private List<String> latestPortalCapabilities(String app) {
    String caps =
        server
            .herald()
            .database()
            .read(
                sql ->
                    sql.queryOne(
                        "SELECT capabilities FROM api_key WHERE app_id = ? ORDER BY id DESC LIMIT 1",
                        rs -> rs.getString(1),
                        app))
            .orElseThrow();
    return Json.stringList(caps);
  }

  @Test
  void an_htmx_request_may_send_the_csrf_token_as_a_header_and_the_live_tiles_are_a_fragment() {
    String key = newOrgKey();
    DashboardClient c = signedIn(key);
    String csrf = c.csrf();
    HttpResponse<String> withHeader =
        c.postWithHeader("/dashboard/keys", Map.of("name", "from htmx"), csrf);
    assertThat(withHeader.statusCode()).isEqualTo(201);
    assertThat(c.postWithHeader("/dashboard/keys", Map.of("name", "forged"), "wrong").statusCode())
        .isEqualTo(403);
    assertThat(c.get("/dashboard/keys").body()).contains("from htmx").doesNotContain("forged");

    HttpResponse<String> live = c.get("/dashboard/overview/live?range=24h");
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.body())
        .startsWith("<section id=\"live\"")
        .contains("hx-trigger=\"every 10s\"", "range=24h", "id=\"due\">0<")
        .doesNotContain("<html");
  }

  @Test
  void a_new_key_is_shown_once_and_the_session_key_cannot_be_revoked_from_the_dashboard() {
    String key = newOrgKey();
    DashboardClient c = signedIn(key);
    HttpResponse<String> created = c.postWithCsrf("/dashboard/keys", Map.of("name", "deploys"));
    assertThat(created.statusCode()).isEqualTo(201);
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("id=\"new-key\">(hk_[0-9A-Za-z]+)<")
            .matcher(created.body());
    assertThat(m.find()).isTrue();
    String secret = m.group(1);
    assertThat(server.api(secret).get("/api/v1/app").status()).isEqualTo(200);
    String page = c.get("/dashboard/keys").body();
    assertThat(page).contains("deploys").doesNotContain(secret).doesNotContain("id=\"new-key\"");
    assertThat(page).doesNotContain(key);

    String own =
        server
            .herald()
            .database()
            .read(
                sql ->
                    sql.queryOne(
                        "SELECT id FROM api_key WHERE key_hash = ?",
                        rs -> rs.getString(1),
                        dev.herald.auth.ApiKeyHash.hash(key)))
            .orElseThrow();
    assertThat(page).contains("this session's key");
    HttpResponse<String> refused = c.postWithCsrf("/dashboard/keys/" + own + "/revoke", Map.of());
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(refused.body()).contains("the key you signed in with");
    assertThat(c.get("/dashboard/keys").statusCode()).isEqualTo(200);
  }

  private long count(String query, Object... args) {
    Long n = server.herald().database().read(sql -> sql.queryLong(query, args));
    return n;
  }

  private JsonNode awaitDelivered(DashboardClient c, int n) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonNode series;
    do {
      HttpResponse<String> r = c.get("/dashboard/overview/series?range=1h");
      assertThat(r.statusCode()).isEqualTo(200);
      series = Json.tree(r.body());
    } while (Math.round(sum(series.get("delivered")) * series.get("bucketSeconds").asLong()) < n
        && System.nanoTime() < deadline);
    assertThat(Math.round(sum(series.get("delivered")) * series.get("bucketSeconds").asLong()))
        .isEqualTo(n);
    return series;
  }

  private static double sum(JsonNode values) {
    double s = 0;
    for (JsonNode v : values) {
      s += v.asDouble();
    }
    return s;
  }

  private static JsonNode findRow(JsonNode page, String id) {
    for (JsonNode row : page.get("data")) {
      if (row.get("id").asText().equals(id)) {
        return row;
      }
    }
    throw new AssertionError("no " + id + " in " + page);
  }
}
