package dev.herald.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.herald.testing.Api;
import dev.herald.testing.Backend;
import dev.herald.testing.Browser;
import dev.herald.testing.Receiver;
import dev.herald.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A customer's day in the portal, in Debian's headless Chromium (issue #11, "How it is checked"):
 * open the link, add an endpoint at a local receiver, send it an example and watch it delivered,
 * see a failing endpoint, rotate the secret and see both, then a view-only session that shows no
 * edit controls and whose hand-made changes the server refuses, and an ended session; then a failed
 * message found in the log, resent, its new attempt appearing by htmx polling, the recover count
 * and the event catalogue. One browser for the class; skipped where Chromium or chromedriver is not
 * installed. Screenshots of each page at 1280 and 375 px go to {@code target/screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PortalBrowserTest {
  @TempDir static Path profile;

  private TestServer server;
  private Receiver receiver;
  private Receiver failing;
  private Browser browser;
  private Api api;
  private final List<AutoCloseable> later = new java.util.ArrayList<>();

  @BeforeAll
  void start() {
    assumeTrue(Browser.installed(), "Chromium or chromedriver is not installed");
    server =
        TestServer.builder(Backend.SQLITE)
            .setting("HERALD_SSRF_ALLOW", "127.0.0.0/8")
            .setting("HERALD_RETRY_SCHEDULE", "none")
            .start();
    api = server.api();
    receiver = Receiver.start().replyWith(Receiver.Reply.ok().withBody("{\"received\":true}"));
    failing = Receiver.start().replyWith(Receiver.Reply.status(503).withBody("maintenance"));
    browser = new Browser(profile);
    for (String type : List.of("order.created", "order.refunded", "user.deleted")) {
      api.post(
          "/api/v1/event-type",
          Map.of(
              "name",
              type,
              "description",
              "Sent when an " + type.replace('.', ' '),
              "schemas",
              Map.of(
                  "1",
                  Map.of(
                      "type", "object", "examples", List.of(Map.of("id", "ord_1", "total", 42))))));
    }
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.close();
    }
    later.addAll(java.util.Arrays.asList(receiver, failing, server));
    for (AutoCloseable c : later) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** Screenshots at both widths, and every form control on the page has a name. */
  private void both(String name) {
    assertThat(browser.unlabelledControls()).as("unlabelled controls on %s", name).isEmpty();
    browser.screenshot(name, 1280);
    browser.screenshot(name, 375);
  }

  @Test
  void a_customers_day() throws Exception {
    String app = api.post("/api/v1/app", Map.of("name", "Acme Deliveries")).field("id");
    String link = api.post("/api/v1/auth/app-portal-access/" + app, Map.of()).field("url");

    // The link is on HERALD_PUBLIC_URL's origin (by default http://localhost:<port>): the cookie
    // belongs to it, so the pages are opened there too.
    String origin = link.substring(0, link.indexOf("/portal/"));
    browser.open(link);
    WebElement empty = browser.await(By.id("empty-state"));
    assertThat(browser.driver().getCurrentUrl()).isEqualTo(origin + "/portal");
    assertThat(empty.getText()).contains("No endpoints yet", "Add the URL");
    assertThat(((JavascriptExecutor) browser.driver()).executeScript("return typeof htmx"))
        .isEqualTo("object");
    both("portal-empty");

    // Add an endpoint: a refused URL first, then the receiver, for the order events only.
    browser.clickAndWait(browser.await(By.id("add-endpoint")));
    browser.type(By.id("url"), "ftp://example.com/hook");
    browser.clickAndWait(browser.await(By.id("save")));
    assertThat(browser.await(By.id("form-error")).getText())
        .contains("URL: the URL scheme must be http or https");
    String url = receiver.url("/acme");
    browser.type(By.id("url"), url);
    assertThat(browser.awaitText(By.id("url-check"), "Herald can send to").getText())
        .contains("127.0.0.1");
    browser.type(By.id("description"), "Orders <b>and</b> refunds");
    browser.driver().findElement(By.cssSelector("input[name=eventGroup][value=order]")).click();
    assertThat(browser.driver().findElement(By.id("scope-some")).isSelected()).isTrue();
    assertThat(
            browser
                .driver()
                .findElement(By.cssSelector("input[name=eventType][value='order.refunded']"))
                .isSelected())
        .isTrue();
    both("portal-endpoint-form");
    browser.clickAndWait(browser.driver().findElement(By.id("save")));
    assertThat(browser.await(By.id("endpoint-url")).getText()).isEqualTo(url);
    String endpointId =
        browser
            .driver()
            .getCurrentUrl()
            .substring(browser.driver().getCurrentUrl().lastIndexOf('/') + 1);

    // Send an example from the testing tab and watch it arrive.
    browser.clickAndWait(browser.await(By.linkText("Testing")));
    new Select(browser.await(By.id("eventType"))).selectByValue("order.created");
    browser.clickAndWait(browser.driver().findElement(By.id("send")));
    assertThat(browser.awaitText(By.id("test-status"), "success").getText()).isEqualTo("success");
    assertThat(browser.await(By.id("test-run")).getText())
        .contains("HTTP 200", "{\"received\":true}");
    assertThat(receiver.awaitRequests(1, Duration.ofSeconds(20)).getFirst().bodyText())
        .contains("\"id\":\"ord_1\"", "\"total\":42");
    both("portal-testing");

    // A failing endpoint: its failure shows on its overview and on the list.
    String failingId =
        api.post(
                "/api/v1/app/" + app + "/endpoint",
                Map.of("url", failing.url("/down"), "description", "Old warehouse"))
            .field("id");
    api.post(
        "/api/v1/app/" + app + "/msg",
        Map.of("eventType", "user.deleted", "payload", Map.of("user", 7)));
    failing.awaitRequests(1, Duration.ofSeconds(20));
    browser.open(origin + "/portal/endpoints/" + failingId);
    for (int i = 0; i < 20 && browser.driver().findElements(By.id("last-failure")).isEmpty(); i++) {
      Thread.sleep(250);
      browser.driver().navigate().refresh();
    }
    assertThat(browser.await(By.id("last-failure")).getText()).contains("HTTP 503");
    both("portal-endpoint-overview");
    browser.open(origin + "/portal");
    assertThat(browser.await(By.id("endpoints")).getText())
        .contains(url, failing.url("/down"), "Orders <b>and</b> refunds", "order.created");
    both("portal-endpoints");

    // Rotate the secret: both the new and the previous one are shown during the overlap.
    browser.open(origin + "/portal/endpoints/" + endpointId + "/advanced");
    browser.clickAndWait(browser.await(By.id("reveal")));
    String before = browser.await(By.id("secret")).getText();
    ((JavascriptExecutor) browser.driver()).executeScript("window.confirm = () => true;");
    browser.clickAndWait(browser.driver().findElement(By.id("rotate")));
    String after = browser.await(By.id("secret")).getText();
    assertThat(after).startsWith("whsec_").isNotEqualTo(before);
    assertThat(browser.driver().findElement(By.className("previous-secret")).getText())
        .isEqualTo(before);
    both("portal-endpoint-advanced");
    assertThat(browser.policyErrors()).isEmpty();

    // The link was used once; it does not open a second session.
    browser.open(link);
    assertThat(browser.await(By.id("message-title")).getText())
        .isEqualTo("This link has already been used");

    // A view-only session: no edit controls, and the same edit made by hand is refused.
    String viewLink =
        api.post(
                "/api/v1/auth/app-portal-access/" + app,
                Map.of("capabilities", List.of("ViewBase")))
            .field("url");
    browser.open(viewLink);
    browser.await(By.id("endpoints"));
    assertThat(browser.driver().findElements(By.id("add-endpoint"))).isEmpty();
    browser.open(origin + "/portal/endpoints/" + endpointId);
    browser.await(By.id("endpoint-url"));
    assertThat(browser.driver().findElements(By.id("edit"))).isEmpty();
    assertThat(browser.driver().findElements(By.id("disable"))).isEmpty();
    both("portal-view-only");
    String cookie = browser.driver().manage().getCookieNamed("herald_portal").getValue();
    String csrf =
        browser.driver().findElement(By.cssSelector("input[name=_csrf]")).getDomAttribute("value");
    HttpResponse<String> forged =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            server.baseUrl() + "/portal/endpoints/" + endpointId + "/delete"))
                    .header("Cookie", "herald_portal=" + cookie)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + csrf))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(api.get("/api/v1/app/" + app + "/endpoint/" + endpointId).status()).isEqualTo(200);

    // expire-all ends the session: the next page says so.
    assertThat(api.post("/api/v1/auth/app/" + app + "/expire-all", Map.of()).status())
        .isEqualTo(204);
    browser.driver().navigate().refresh();
    assertThat(browser.await(By.id("message-title")).getText())
        .isEqualTo("Your portal session has ended");
  }

  @Test
  void a_customer_finds_a_failed_message_resends_it_and_sees_the_new_attempt() {
    Receiver receiver = closeLater(Receiver.start());
    String app = api.post("/api/v1/app", Map.of("name", "Acme Deliveries")).field("id");
    Map<String, Object> schema =
        Map.of(
            "type", "object",
            "properties", Map.of("id", Map.of("type", "string")),
            "examples", List.of(Map.of("id", "in_1")));
    api.post(
        "/api/v1/event-type",
        Map.of(
            "name",
            "invoice.paid",
            "description",
            "An invoice was paid",
            "schemas",
            Map.of("1", schema)));
    receiver.replySequence(
        Receiver.Reply.ok(), Receiver.Reply.status(500).withBody("{\"error\":\"database down\"}"));
    String endpoint =
        api.post("/api/v1/app/" + app + "/endpoint", Map.of("url", receiver.url("/hooks")))
            .field("id");
    String msg =
        api.post(
                "/api/v1/app/" + app + "/msg",
                Map.of("eventType", "invoice.paid", "payload", Map.of("id", "in_1", "total", 1250)))
            .field("id");
    assertThat(receiver.awaitRequests(1, Duration.ofSeconds(20))).hasSize(1);

    String link =
        api.post(
                "/api/v1/auth/app-portal-access/" + app,
                Map.of("capabilities", List.of("ViewBase", "CreateAttempts")))
            .field("url");
    // The link is on HERALD_PUBLIC_URL's origin, where the session cookie is then kept.
    String origin = link.substring(0, link.indexOf("/portal/"));
    browser.open(link + "&next=/portal/endpoints/" + endpoint + "/messages");
    WebElement log = browser.await(By.id("message-log"));
    assertThat(log.getText()).contains("invoice.paid", "failed", "500 · endpoint error");
    both("portal-message-log");

    browser.driver().findElement(By.cssSelector("a.log-id")).click();
    assertThat(browser.await(By.id("payload")).getText()).contains("\"total\" : 1250");
    assertThat(browser.driver().findElement(By.id("attempt-list")).getText())
        .contains("database down");
    both("portal-message");

    browser.driver().findElement(By.cssSelector(".msg-resend button")).click();
    new WebDriverWait(browser.driver(), Duration.ofSeconds(20))
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("attempt-list"), "manual (resend)"));
    assertThat(browser.driver().getCurrentUrl()).contains("/portal/messages/" + msg);
    both("portal-message-resent");

    browser.open(origin + "/portal/endpoints/" + endpoint + "/messages");
    browser.await(By.id("recover-count")).click();
    assertThat(browser.await(By.id("recover-count-text")).getText()).contains("failed");
    both("portal-recover");

    browser.open(origin + "/portal/event-types");
    assertThat(browser.await(By.id("group-invoice")).getText())
        .contains("invoice.paid", "An invoice was paid", "\"id\" : \"in_1\"");
    both("portal-event-types");

    assertThat(browser.policyErrors()).isEmpty();
  }

  private Receiver closeLater(Receiver r) {
    later.add(r);
    return r;
  }
}
