package dev.herald.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.portal.PortalClient.Session;
import dev.herald.testing.ApiContractTest;
import dev.herald.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Reads the HTML of every portal page for each set of capabilities a portal token can hold (issue
 * #11 point 5): no signing secret, custom header value, API key or portal token appears in a page
 * the session may not see, and each control is rendered exactly when the session may use it.
 */
class PortalCapabilityPagesTest extends ApiContractTest {
  private static final String PUBLIC_URL = "https://portal.example.test";
  private static final String HEADER_VALUE = "header-value-only-the-api-sees";

  /** A control on the pages and the capability that must be held for it to be rendered. */
  private record Control(String marker, String capability) {}

  private static final List<Control> CONTROLS =
      List.of(
          new Control("id=\"add-endpoint\"", "ManageEndpoint"),
          new Control("id=\"edit\"", "ManageEndpoint"),
          new Control("id=\"disable\"", "ManageEndpoint"),
          new Control("id=\"add-header\"", "ManageEndpoint"),
          new Control("id=\"rotate\"", "ManageEndpointSecret"),
          new Control("id=\"reveal\"", "ViewEndpointSecret"),
          new Control("id=\"send-example\"", "CreateAttempts"),
          new Control("id=\"recover-form\"", "CreateAttempts"),
          new Control("class=\"msg-resend\"", "CreateAttempts"));

  private static final List<List<String>> CAPABILITY_SETS =
      List.of(
          List.of("ViewBase"),
          List.of("ViewBase", "ViewEndpointSecret"),
          List.of("ViewBase", "ManageEndpointSecret"),
          List.of("ViewBase", "CreateAttempts"),
          List.of("ViewBase", "ManageEndpoint"),
          List.of());

  private String app;
  private String endpoint;
  private String secret;
  private String message;

  @Override
  protected Map<String, String> settings() {
    return Map.of("HERALD_PUBLIC_URL", PUBLIC_URL);
  }

  private PortalClient portal() {
    return new PortalClient(server.baseUrl(), PUBLIC_URL, api);
  }

  private void anApplicationWithAnEndpoint() {
    app = portal().newApp("Caps " + uniqueUid("a"));
    api.post(
        "/api/v1/event-type",
        Map.of("name", "caps.checked", "description", "A type for the capability pages"));
    endpoint =
        api.post(
                "/api/v1/app/" + app + "/endpoint",
                Map.of(
                    "url",
                    "https://example.com/caps",
                    "headers",
                    Map.of("X-Private", HEADER_VALUE)))
            .field("id");
    secret = api.get("/api/v1/app/" + app + "/endpoint/" + endpoint + "/secret").field("key");
    message =
        api.post(
                "/api/v1/app/" + app + "/msg",
                Map.of("eventType", "caps.checked", "payload", Map.of("n", 1)))
            .field("id");
  }

  private List<String> pages() {
    String ep = "/portal/endpoints/" + endpoint;
    return List.of(
        "/portal",
        ep,
        ep + "/testing",
        ep + "/advanced",
        ep + "/advanced?reveal=1",
        "/portal/endpoints/new",
        ep + "/edit",
        ep + "/delete",
        ep + "/messages",
        "/portal/messages/" + message,
        "/portal/messages/" + message + "/attempts",
        "/portal/event-types");
  }

  @Test
  void each_page_shows_secrets_and_controls_only_to_sessions_holding_their_capability() {
    anApplicationWithAnEndpoint();
    for (List<String> caps : CAPABILITY_SETS) {
      Map<String, Object> grant = caps.isEmpty() ? Map.of() : Map.of("capabilities", caps);
      String token = api.post("/api/v1/auth/app-portal-access/" + app, grant).field("token");
      Session s = portal().sessionFor(app, grant);
      boolean all = caps.isEmpty();
      boolean readsSecret =
          all
              || caps.contains("ViewEndpointSecret")
              || caps.contains("ManageEndpointSecret")
              || caps.contains("ManageEndpoint");
      StringBuilder everything = new StringBuilder();
      for (String page : pages()) {
        HttpResponse<String> r = portal().get(page, s);
        String html = r.body();
        everything.append(html);
        String where = caps + " " + page;
        assertThat(html).as(where).doesNotContain(HEADER_VALUE, TestServer.ADMIN_KEY, token);
        assertThat(html).as(where).doesNotContain("hps_", "hpl_", "hpt_");
        boolean secretShown = html.contains(secret);
        assertThat(secretShown)
            .as(where + " shows the signing secret")
            .isEqualTo(readsSecret && page.endsWith("reveal=1"));
        if (page.endsWith("/new") || page.endsWith("/edit") || page.endsWith("/delete")) {
          boolean manages = all || caps.contains("ManageEndpoint");
          assertThat(r.statusCode()).as(where).isEqualTo(manages ? 200 : 403);
        }
      }
      for (Control c : CONTROLS) {
        boolean holds =
            all
                || caps.contains(c.capability())
                || (c.capability().equals("ViewEndpointSecret") && readsSecret)
                || (c.capability().equals("ManageEndpointSecret")
                    && caps.contains("ManageEndpoint"));
        assertThat(everything.toString().contains(c.marker()))
            .as(caps + " renders " + c.marker())
            .isEqualTo(holds);
      }
    }
  }
}
