package dev.herald.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.herald.testing.Api;
import dev.herald.testing.Backend;
import dev.herald.testing.Browser;
import dev.herald.testing.Receiver;
import dev.herald.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
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
 * An operator's day in Debian's headless Chromium (issue #11 "How it is checked"): sign in, see the
 * overview charts drawn from real traffic to real receivers, find a message by id across
 * applications, re-enable an endpoint, recover failed deliveries after a dry run. One browser for
 * the class; skipped where Chromium or chromedriver is not installed. Screenshots of each page at
 * 1280 and 375 px go to {@code target/screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserTest {
  @TempDir static Path profile;

  private TestServer server;
  private Receiver healthy;
  private Receiver broken;
  private Browser browser;
  private ChromeDriver driver;

  @BeforeAll
  void start() {
    assumeTrue(Browser.installed(), "Chromium or chromedriver is not installed");
    server =
        TestServer.builder(Backend.SQLITE)
            .setting("HERALD_SSRF_ALLOW", "127.0.0.0/8")
            .setting("HERALD_POLL_INTERVAL", "50ms")
            .setting("HERALD_RETRY_SCHEDULE", "200ms")
            .start();
    healthy = Receiver.start();
    broken = Receiver.start().replyWith(r -> Receiver.Reply.status(503));
    browser = new Browser(profile);
    driver = browser.driver();
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.close();
    }
    if (healthy != null) {
      healthy.close();
    }
    if (broken != null) {
      broken.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void an_operator_signs_in_reads_the_charts_finds_a_message_re_enables_and_recovers() {
    Api api = server.api();
    String shop = api.post("/api/v1/app", Map.of("name", "Acme Shop")).field("id");
    String billing = api.post("/api/v1/app", Map.of("name", "Acme Billing")).field("id");
    api.post("/api/v1/app/" + shop + "/endpoint", Map.of("url", healthy.url("/shop")));
    String failing =
        api.post("/api/v1/app/" + billing + "/endpoint", Map.of("url", broken.url("/billing")))
            .field("id");
    String off =
        api.post(
                "/api/v1/app/" + shop + "/endpoint",
                Map.of("url", healthy.url("/paused"), "disabled", true, "description", "Paused"))
            .field("id");
    String wanted = null;
    for (int i = 0; i < 12; i++) {
      String app = i % 3 == 0 ? billing : shop;
      String id =
          api.post(
                  "/api/v1/app/" + app + "/msg",
                  Map.of(
                      "eventType",
                      "order.paid",
                      "eventId",
                      "order-" + i,
                      "payload",
                      Map.of("n", i)))
              .field("id");
      if (i == 3) {
        wanted = id;
      }
    }
    healthy.awaitRequests(8, Duration.ofSeconds(20));
    // Each of the 4 billing messages fails twice (the schedule has one retry), then stays failed.
    broken.awaitRequests(8, Duration.ofSeconds(20));

    driver.get(server.baseUrl() + "/");
    await(By.id("key")).sendKeys(server.adminKey());
    screenshot("dashboard-login", 1280);
    driver.findElement(By.id("sign-in")).click();

    // The overview: four charts drawn by uPlot from the series of the last hour.
    new WebDriverWait(driver, Duration.ofSeconds(10))
        .until(ExpectedConditions.attributeToBe(By.id("charts"), "data-loaded", "60"));
    assertThat(driver.findElements(By.cssSelector("#charts .uplot canvas"))).hasSize(4);
    assertThat(driver.findElement(By.id("due")).getText()).matches("\\d+");
    screenshot("dashboard-overview", 1280);
    screenshot("dashboard-overview", 375);

    // Find a message by id, across applications.
    driver.findElement(By.linkText("Messages")).click();
    await(By.id("q")).sendKeys(wanted);
    driver.findElement(By.id("search")).click();
    WebElement found = await(By.id("messages"));
    assertThat(found.getText()).contains(wanted, "Acme Billing", "order-3", "fail");
    screenshot("dashboard-messages", 1280);
    screenshot("dashboard-messages", 375);
    driver.findElement(By.linkText(wanted)).click();
    assertThat(await(By.id("attempts")).getText()).contains(broken.url("/billing"), "503");

    // Endpoint health: the failing and the disabled endpoint; re-enable the disabled one.
    driver.findElement(By.linkText("Endpoint health")).click();
    String board = await(By.id("endpoints")).getText();
    assertThat(board).contains(broken.url("/billing"), healthy.url("/paused"), "Disabled");
    screenshot("dashboard-endpoints", 1280);
    screenshot("dashboard-endpoints", 375);
    driver.findElement(By.id("pick-" + off)).click();
    driver.findElement(By.id("enable")).click();
    assertThat(await(By.id("notice")).getText()).isEqualTo("1 endpoint(s) enabled.");
    assertThat(
            api.get("/api/v1/app/" + shop + "/endpoint/" + off).body().get("disabled").asBoolean())
        .isFalse();

    // Recover the failing endpoint: the dry run counts first, nothing changes until confirmed.
    driver.findElement(By.id("pick-" + failing)).click();
    driver.findElement(By.id("recover")).click();
    assertThat(await(By.id("dry-run-count")).getText()).isEqualTo("4");
    assertThat(api.get("/api/v1/background-task").body().get("data")).isEmpty();
    screenshot("dashboard-recover-dry-run", 1280);
    driver.findElement(By.id("recover-run")).click();
    assertThat(await(By.id("notice")).getText())
        .isEqualTo("Recovering 4 failed deliveries of 1 endpoint(s).");
    assertThat(api.get("/api/v1/background-task").body().get("data")).hasSize(1);

    driver.findElement(By.linkText("Applications")).click();
    assertThat(await(By.id("applications")).getText()).contains("Acme Shop", "Acme Billing");
    screenshot("dashboard-applications", 1280);
    screenshot("dashboard-applications", 375);
    driver.findElement(By.linkText("API keys")).click();
    assertThat(await(By.id("keys")).getText()).contains("this session's key");
    screenshot("dashboard-keys", 1280);
    screenshot("dashboard-keys", 375);
    driver.findElement(By.linkText("Event types")).click();
    await(By.id("create-event-type"));
    screenshot("dashboard-event-types", 1280);
    screenshot("dashboard-event-types", 375);
    driver.findElement(By.linkText("Operational webhooks")).click();
    await(By.id("create-operational"));
    screenshot("dashboard-operational", 1280);
    screenshot("dashboard-operational", 375);

    assertThat(browser.policyErrors()).isEmpty();
  }

  private WebElement await(By by) {
    return browser.await(by);
  }

  /** A screenshot, after checking every form control on the page has a name. */
  private void screenshot(String name, int width) {
    assertThat(browser.unlabelledControls()).as("unlabelled controls on %s", name).isEmpty();
    browser.screenshot(name, width);
  }
}
