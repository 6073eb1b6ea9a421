package dev.herald.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.portal.PortalClient.Session;
import dev.herald.testing.Api;
import dev.herald.testing.ApiContractTest;
import dev.herald.testing.MutableClock;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The portal's session, over plain HTTP (issue #11 point 1 and its first page): the access URL is a
 * single-use link that becomes a cookie, every change needs the session's CSRF token and the
 * capability it uses, output is escaped, and logout, expire-all and expiry end the session. The
 * public URL is https here, so the cookie must be Secure.
 */
class PortalSessionTest extends ApiContractTest {
  private static final String PUBLIC_URL = "https://portal.example.test";

  private final MutableClock clock = MutableClock.atSystemTime();

  @Override
  protected Map<String, String> settings() {
    return Map.of("HERALD_PUBLIC_URL", PUBLIC_URL, "HERALD_PORTAL_TOKEN_TTL", "2h");
  }

  @Override
  protected InstantSource clock() {
    return clock;
  }

  private PortalClient portal() {
    return new PortalClient(server.baseUrl(), PUBLIC_URL, api);
  }

  private String newApp() {
    return portal().newApp("Acme " + uniqueUid("a"));
  }

  private String link(String app, Map<String, ?> body) {
    return portal().link(app, body);
  }

  private HttpResponse<String> open(String url) {
    return portal().open(url);
  }

  private Session sessionFor(String app, Map<String, ?> body) {
    return portal().sessionFor(app, body);
  }

  private HttpResponse<String> get(String path, Session s) {
    return portal().get(path, s);
  }

  private HttpResponse<String> post(String path, Session s, Map<String, String> form) {
    return portal().post(path, s, form);
  }

  private String csrf(Session s) {
    return portal().csrf(s);
  }

  private Map<String, String> endpointForm(Session s, String url, String description) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("_csrf", csrf(s));
    form.put("url", url);
    form.put("eventTypes", "");
    form.put("description", description);
    return form;
  }

  private List<String> endpointUrls(String app) {
    return listAll(api, "/api/v1/app/" + app + "/endpoint", "", "id");
  }

  @Test
  void the_link_opens_a_session_once_and_a_second_use_is_refused_with_a_page_saying_so() {
    String app = newApp();
    String url = link(app, Map.of());

    HttpResponse<String> first = open(url);
    assertThat(first.statusCode()).isEqualTo(303);
    assertThat(first.headers().firstValue("Location")).contains("/portal");
    String cookie = first.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(cookie)
        .startsWith("herald_portal=hps_")
        .contains("; Path=/portal", "; HttpOnly", "; SameSite=Lax", "; Secure", "; Max-Age=");

    HttpResponse<String> second = open(url);
    assertThat(second.statusCode()).isEqualTo(410);
    assertThat(second.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(second.body()).contains("This link has already been used");
    assertThat(second.headers().firstValue("Set-Cookie")).isEmpty();

    HttpResponse<String> forged = get("/portal/open?code=hpl_notALinkThatWasEverIssued", null);
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.body()).contains("This link is not valid");
  }

  @Test
  void the_endpoints_page_shows_the_empty_state_under_a_strict_policy() {
    Session s = sessionFor(newApp(), Map.of());
    HttpResponse<String> page = get("/portal", s);

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("id=\"empty-state\"", "No endpoints yet", "add-endpoint");
    String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertThat(policy).contains("script-src 'self'", "frame-ancestors 'none'");
    assertThat(policy).doesNotContain("unsafe-inline", "unsafe-eval");
    assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
    assertThat(page.body()).doesNotContain("<script>", "style=\"");
    assertThat(get("/portal", null).statusCode()).isEqualTo(401);
  }

  @Test
  void an_endpoint_description_holding_markup_is_stored_as_typed_and_rendered_inert() {
    String app = newApp();
    Session s = sessionFor(app, Map.of());
    String markup = "<script>alert(1)</script><img src=x onerror=alert(2)>";

    HttpResponse<String> created =
        post("/portal/endpoints", s, endpointForm(s, "https://example.com/hook", markup));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(303);

    String page = get("/portal", s).body();
    assertThat(page).contains("https://example.com/hook", "Enabled", "All events");
    assertThat(page)
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;");
    assertThat(page).doesNotContain("<script>alert", "<img src=x");
    Api.Response stored = api.get("/api/v1/app/" + app + "/endpoint");
    assertThat(stored.body().path("data").get(0).path("description").asText()).isEqualTo(markup);
  }

  @Test
  void a_refused_endpoint_is_explained_on_the_page_with_its_4xx_status() {
    String app = newApp();
    Session s = sessionFor(app, Map.of());

    HttpResponse<String> refused =
        post("/portal/endpoints", s, endpointForm(s, "ftp://example.com/hook", ""));

    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.body())
        .contains("id=\"form-error\"", "URL: the URL scheme must be http or https")
        .contains("value=\"ftp://example.com/hook\"");
    assertThat(endpointUrls(app)).isEmpty();
  }

  @Test
  void a_read_only_session_sees_no_form_and_its_hand_crafted_post_is_refused() {
    String app = newApp();
    Session s = sessionFor(app, Map.of("readOnly", true));

    String page = get("/portal", s).body();
    assertThat(page)
        .contains("This session can only view")
        .doesNotContain("add-endpoint", "/portal/endpoints/new");
    HttpResponse<String> forged =
        post("/portal/endpoints", s, endpointForm(s, "https://example.com/forged", ""));

    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.body()).contains("lacks ManageEndpoint");
    assertThat(endpointUrls(app)).isEmpty();
  }

  @Test
  void a_change_without_the_session_csrf_token_is_refused() {
    String app = newApp();
    Session s = sessionFor(app, Map.of());
    Map<String, String> form = endpointForm(s, "https://example.com/hook", "");

    form.put("_csrf", "not-the-token");
    assertThat(post("/portal/endpoints", s, form).statusCode()).isEqualTo(403);
    form.remove("_csrf");
    assertThat(post("/portal/endpoints", s, form).statusCode()).isEqualTo(403);
    assertThat(endpointUrls(app)).isEmpty();
  }

  @Test
  void logout_expire_all_and_the_token_expiry_each_end_the_session() {
    String app = newApp();
    Session loggedOut = sessionFor(app, Map.of());
    HttpResponse<String> bye = post("/portal/logout", loggedOut, Map.of("_csrf", csrf(loggedOut)));
    assertThat(bye.statusCode()).isEqualTo(303);
    assertThat(bye.headers().firstValue("Location")).contains("/portal/signed-out");
    assertThat(get("/portal/signed-out", null).body()).contains("You are signed out");
    assertThat(bye.headers().firstValue("Set-Cookie"))
        .hasValueSatisfying(c -> assertThat(c).startsWith("herald_portal=;").contains("Max-Age=0"));
    assertThat(get("/portal", loggedOut).statusCode()).isEqualTo(401);

    Session expiredAll = sessionFor(app, Map.of());
    assertThat(get("/portal", expiredAll).statusCode()).isEqualTo(200);
    assertThat(api.post("/api/v1/auth/app/" + app + "/expire-all", Map.of()).status())
        .isEqualTo(204);
    HttpResponse<String> ended = get("/portal", expiredAll);
    assertThat(ended.statusCode()).isEqualTo(401);
    assertThat(ended.body()).contains("Your portal session has ended");

    Session timedOut = sessionFor(app, Map.of("expiry", 3_600));
    clock.advance(Duration.ofMinutes(61));
    assertThat(get("/portal", timedOut).statusCode()).isEqualTo(401);
  }
}
