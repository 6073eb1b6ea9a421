package dev.herald.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.herald.testing.Api;
import dev.herald.testing.Backend;
import dev.herald.testing.Receiver;
import dev.herald.testing.TestServer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The portal in Debian's headless Chromium driven by Selenium through the machine's chromedriver
 * (passed explicitly: nothing is downloaded). One browser for the class. Skipped where Chromium or
 * chromedriver is not installed ({@code apt-get install chromium chromium-driver}). Screenshots go
 * to {@code target/screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PortalBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");

  @TempDir static Path profile;

  private TestServer server;
  private Receiver receiver;
  private ChromeDriver driver;

  @BeforeAll
  void start() {
    assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "Chromium or chromedriver is not installed");
    server = TestServer.builder(Backend.SQLITE).setting("HERALD_SSRF_ALLOW", "127.0.0.0/8").start();
    receiver = Receiver.start();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,900",
        // The browser's own background calls must not leave the machine.
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
        "--user-data-dir=" + profile.resolve("chromium"));
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
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
  void a_customer_opens_the_link_adds_an_endpoint_and_cannot_reuse_the_link() throws IOException {
    Api api = server.api();
    String app = api.post("/api/v1/app", Map.of("name", "Acme Deliveries")).field("id");
    String link = api.post("/api/v1/auth/app-portal-access/" + app, Map.of()).field("url");

    driver.get(link);
    WebElement empty = await(By.id("empty-state"));
    // The link is on HERALD_PUBLIC_URL's origin (by default http://localhost:<port>).
    assertThat(driver.getCurrentUrl())
        .isEqualTo(link.substring(0, link.indexOf("/portal/")) + "/portal");
    assertThat(empty.getText()).contains("No endpoints yet", "Add the URL");
    assertThat(((JavascriptExecutor) driver).executeScript("return typeof htmx"))
        .isEqualTo("object");
    screenshot("portal-empty", 1280);

    submit("ftp://example.com/hook", "");
    assertThat(await(By.id("create-error")).getText())
        .contains("URL: the URL scheme must be http or https");
    screenshot("portal-refused", 1280);

    String url = receiver.url("/acme");
    submit(url, "Orders <b>and</b> refunds");
    WebElement listed = await(By.id("endpoints"));
    assertThat(listed.getText())
        .contains(url, "Enabled", "All events", "Orders <b>and</b> refunds");
    assertThat(driver.findElements(By.id("empty-state"))).isEmpty();
    screenshot("portal-endpoints", 1280);
    screenshot("portal-endpoints", 375);

    Api.Response sent =
        api.post(
            "/api/v1/app/" + app + "/msg",
            Map.of("eventType", "order.created", "payload", Map.of("id", 1)));
    assertThat(sent.status()).isEqualTo(202);
    assertThat(receiver.awaitRequests(1, Duration.ofSeconds(20))).hasSize(1);

    driver.get(link);
    assertThat(await(By.id("message-title")).getText())
        .isEqualTo("This link has already been used");
    screenshot("portal-link-used", 1280);

    List<String> policyErrors =
        driver.manage().logs().get(LogType.BROWSER).getAll().stream()
            .map(LogEntry::getMessage)
            .filter(m -> m.contains("Content Security Policy") || m.contains("Refused to"))
            .toList();
    assertThat(policyErrors).isEmpty();
  }

  private void submit(String url, String description) {
    WebElement field = await(By.id("url"));
    field.clear();
    field.sendKeys(url);
    WebElement text = driver.findElement(By.id("description"));
    text.clear();
    text.sendKeys(description);
    WebElement button = driver.findElement(By.id("create"));
    button.click();
    // htmx swaps the page in place: wait until the old form is gone before reading the new one.
    new WebDriverWait(driver, Duration.ofSeconds(10)).until(ExpectedConditions.stalenessOf(button));
  }

  private WebElement await(By by) {
    return new WebDriverWait(driver, Duration.ofSeconds(10))
        .until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  private void screenshot(String name, int width) throws IOException {
    Dimension before = driver.manage().window().getSize();
    driver.manage().window().setSize(new Dimension(width, 900));
    Files.createDirectories(SCREENSHOTS);
    File shot = driver.getScreenshotAs(OutputType.FILE);
    Files.copy(
        shot.toPath(),
        SCREENSHOTS.resolve(name + "-" + width + ".png"),
        StandardCopyOption.REPLACE_EXISTING);
    driver.manage().window().setSize(before);
  }
}
