package dev.herald.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.herald.testing.Api;
import dev.herald.testing.Backend;
import dev.herald.testing.HeadlessChromium;
import dev.herald.testing.Receiver;
import dev.herald.testing.TestServer;
import java.io.IOException;
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
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The portal's message pages in headless Chromium (issue #11 point 2): a failed message in the log,
 * its detail, a resend whose attempt appears without reloading (htmx polling), the recover count
 * and the event catalogue; screenshots of each under {@code target/screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PortalMessagesBrowserTest {
  @TempDir static Path profile;

  private TestServer server;
  private Receiver receiver;
  private ChromeDriver driver;

  @BeforeAll
  void start() {
    assumeTrue(HeadlessChromium.installed(), "Chromium or chromedriver is not installed");
    server =
        TestServer.builder(Backend.SQLITE)
            .setting("HERALD_SSRF_ALLOW", "127.0.0.0/8")
            .setting("HERALD_RETRY_SCHEDULE", "none")
            .start();
    receiver = Receiver.start();
    driver = HeadlessChromium.start(profile.resolve("chromium"));
  }

  @AfterAll
  void stop() {
    if (driver != null) {
      driver.quit();
    }
    if (receiver != null) {
      receiver.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void a_customer_finds_a_failed_message_resends_it_and_sees_the_new_attempt() throws IOException {
    Api api = server.api();
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
    driver.get(link + "&next=/portal/endpoints/" + endpoint + "/messages");
    WebElement log = await(By.id("message-log"));
    assertThat(log.getText()).contains("invoice.paid", "failed", "500 · endpoint error");
    HeadlessChromium.screenshot(driver, "portal-message-log", 1280);
    HeadlessChromium.screenshot(driver, "portal-message-log", 375);

    driver.findElement(By.cssSelector("a.log-id")).click();
    assertThat(await(By.id("payload")).getText()).contains("\"total\" : 1250");
    assertThat(driver.findElement(By.id("attempt-list")).getText()).contains("database down");
    HeadlessChromium.screenshot(driver, "portal-message", 1280);

    driver.findElement(By.cssSelector(".msg-resend button")).click();
    new WebDriverWait(driver, Duration.ofSeconds(20))
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("attempt-list"), "manual (resend)"));
    assertThat(driver.getCurrentUrl()).contains("/portal/messages/" + msg);
    HeadlessChromium.screenshot(driver, "portal-message-resent", 1280);

    driver.get(origin + "/portal/endpoints/" + endpoint + "/messages");
    await(By.id("recover-count")).click();
    assertThat(await(By.id("recover-count-text")).getText()).contains("failed");
    HeadlessChromium.screenshot(driver, "portal-recover", 1280);

    driver.get(origin + "/portal/event-types");
    assertThat(await(By.id("group-invoice")).getText())
        .contains("invoice.paid", "An invoice was paid", "\"id\" : \"in_1\"");
    HeadlessChromium.screenshot(driver, "portal-event-types", 1280);
    HeadlessChromium.screenshot(driver, "portal-event-types", 375);

    assertThat(HeadlessChromium.policyErrors(driver)).isEmpty();
  }

  private WebElement await(By by) {
    return new WebDriverWait(driver, Duration.ofSeconds(10))
        .until(ExpectedConditions.visibilityOfElementLocated(by));
  }
}
