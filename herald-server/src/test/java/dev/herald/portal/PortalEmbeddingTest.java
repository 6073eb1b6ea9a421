package dev.herald.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.portal.PortalClient.Session;
import dev.herald.testing.ApiContractTest;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The portal inside another site's page (issue #11 point 3): framing only by the origins {@code
 * HERALD_PORTAL_FRAME_ANCESTORS} lists, cookies a framed page still receives, the theme parameters
 * kept for the pages after the link, and the deep link {@code next=}.
 */
class PortalEmbeddingTest extends ApiContractTest {
  private static final String PUBLIC_URL = "https://portal.example.test";

  @Override
  protected Map<String, String> settings() {
    return Map.of(
        "HERALD_PUBLIC_URL",
        PUBLIC_URL,
        "HERALD_PORTAL_FRAME_ANCESTORS",
        "https://app.example.com https://*.example.org");
  }

  private PortalClient portal() {
    return new PortalClient(server.baseUrl(), PUBLIC_URL, api);
  }

  private static List<String> cookies(HttpResponse<String> r) {
    return r.headers().allValues("Set-Cookie");
  }

  @Test
  void only_the_listed_origins_may_frame_the_portal_and_its_cookies_reach_the_frame() {
    String app = portal().newApp("Framed " + uniqueUid("a"));
    HttpResponse<String> opened = portal().open(portal().link(app, Map.of()));

    assertThat(cookies(opened))
        .singleElement()
        .satisfies(
            c ->
                assertThat(c)
                    .startsWith("herald_portal=hps_")
                    .contains("SameSite=None", "Secure", "Partitioned", "HttpOnly")
                    .doesNotContain("SameSite=Lax"));
    String cookie = cookies(opened).getFirst();
    Session s = new Session(cookie.substring(0, cookie.indexOf(';')));
    HttpResponse<String> page = portal().get("/portal", s);
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
        .endsWith("frame-ancestors https://app.example.com https://*.example.org")
        .doesNotContain("frame-ancestors 'none'");
    assertThat(page.headers().firstValue("X-Frame-Options")).isEmpty();
  }

  @Test
  void theme_parameters_on_the_link_style_every_page_after_it() {
    String app = portal().newApp("Themed " + uniqueUid("a"));
    String link =
        portal().link(app, Map.of()) + "&accent=%23C2185B&darkMode=auto&hideNavigation=true";
    HttpResponse<String> opened = portal().open(link);

    String session =
        cookies(opened).stream()
            .filter(c -> c.startsWith("herald_portal="))
            .findFirst()
            .orElseThrow();
    String theme =
        cookies(opened).stream()
            .filter(c -> c.startsWith("herald_portal_theme="))
            .findFirst()
            .orElseThrow();
    Session s =
        new Session(
            session.substring(0, session.indexOf(';'))
                + "; "
                + theme.substring(0, theme.indexOf(';')));
    String page = portal().get("/portal", s).body();

    assertThat(page).contains("href=\"/portal/theme.css?accent=c2185b&amp;darkMode=auto\"");
    assertThat(page).doesNotContain("<nav aria-label=\"Portal\"", "id=\"app-name\"");
    String css = portal().get("/portal/theme.css?accent=c2185b&darkMode=auto", null).body();
    assertThat(css).contains("--accent:#c2185b", "@media (prefers-color-scheme: dark)");
    String dark = portal().get("/portal/theme.css?darkMode=true", null).body();
    assertThat(dark).contains("--bg:#0d1117").doesNotContain("@media");
    String injected =
        portal()
            .get(
                "/portal/theme.css?accent="
                    + URLEncoder.encode("red;}body{display:none", StandardCharsets.UTF_8),
                null)
            .body();
    assertThat(injected).doesNotContain("display:none", "red;");

    Session broken =
        new Session(session.substring(0, session.indexOf(';')) + "; herald_portal_theme=%zz");
    assertThat(portal().get("/portal", broken).statusCode())
        .as("a theme cookie the portal did not write falls back to the default theme")
        .isEqualTo(200);
  }

  @Test
  void next_leads_to_a_portal_page_and_nowhere_else() {
    String app = portal().newApp("Deep " + uniqueUid("a"));
    String ep =
        api.post("/api/v1/app/" + app + "/endpoint", Map.of("url", "https://example.com/d"))
            .field("id");

    HttpResponse<String> deep =
        portal().open(portal().link(app, Map.of()) + "&next=/portal/endpoints/" + ep);
    assertThat(deep.headers().firstValue("Location")).contains("/portal/endpoints/" + ep);
    for (String elsewhere :
        List.of("https://evil.example/", "//evil.example/portal", "/portal/../api/v1/app")) {
      HttpResponse<String> r =
          portal()
              .open(
                  portal().link(app, Map.of())
                      + "&next="
                      + URLEncoder.encode(elsewhere, StandardCharsets.UTF_8));
      assertThat(r.headers().firstValue("Location")).as(elsewhere).contains("/portal");
      assertThat(r.headers().firstValue("Location").orElseThrow())
          .as(elsewhere)
          .isEqualTo("/portal");
    }
  }
}
