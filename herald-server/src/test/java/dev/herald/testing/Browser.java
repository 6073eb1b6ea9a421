package dev.herald.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
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
 * Debian's headless Chromium driven through the machine's chromedriver (passed explicitly, so
 * nothing is downloaded), with a fresh profile. One per test class: starting a browser costs
 * seconds. Screenshots go to {@code target/screenshots/}.
 */
public final class Browser implements AutoCloseable {
  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final Duration WAIT = Duration.ofSeconds(15);

  /**
   * Flags for a headless Chromium in a test: no sandbox or GPU (containers), and none of its own
   * background traffic.
   */
  public static final List<String> QUIET_FLAGS =
      List.of(
          "--no-sandbox",
          "--disable-gpu",
          "--disable-dev-shm-usage",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync");

  private final ChromeDriver driver;

  /**
   * Whether this machine has Chromium and chromedriver ({@code apt-get install chromium
   * chromium-driver}).
   */
  public static boolean installed() {
    return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
  }

  public Browser(Path profile) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(QUIET_FLAGS);
    options.addArguments(
        "--headless=new",
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

  public ChromeDriver driver() {
    return driver;
  }

  public void open(String url) {
    driver.get(url);
  }

  /** The element once visible; fails after 15 s. */
  public WebElement await(By by) {
    return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  /** Waits until the element's text contains {@code text} (htmx updates it in place). */
  public WebElement awaitText(By by, String text) {
    new WebDriverWait(driver, WAIT)
        .until(ExpectedConditions.textToBePresentInElementLocated(by, text));
    return driver.findElement(by);
  }

  /**
   * Clicks and waits until the page the click led to replaced the element (htmx swaps in place).
   */
  public void clickAndWait(WebElement element) {
    element.click();
    new WebDriverWait(driver, WAIT).until(ExpectedConditions.stalenessOf(element));
  }

  public void type(By by, String text) {
    WebElement field = await(by);
    field.clear();
    field.sendKeys(text);
  }

  /**
   * The page at {@code width} px wide (900 px tall), as {@code
   * target/screenshots/<name>-<width>.png}.
   */
  public void screenshot(String name, int width) {
    Dimension before = driver.manage().window().getSize();
    driver.manage().window().setSize(new Dimension(width, 900));
    try {
      Files.createDirectories(SCREENSHOTS);
      File shot = driver.getScreenshotAs(OutputType.FILE);
      Files.copy(
          shot.toPath(),
          SCREENSHOTS.resolve(name + "-" + width + ".png"),
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      driver.manage().window().setSize(before);
    }
  }

  /** Console messages about the Content-Security-Policy refusing something, since the last call. */
  public List<String> policyErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .map(LogEntry::getMessage)
        .filter(m -> m.contains("Content Security Policy") || m.contains("Refused to"))
        .toList();
  }

  /**
   * Form controls on the page a screen reader cannot name: inputs, selects and text areas without a
   * label or aria-label, buttons without text or aria-label (as their opening tags).
   */
  @SuppressWarnings("unchecked")
  public List<String> unlabelledControls() {
    return (List<String>)
        driver.executeScript(
            "return Array.from(document.querySelectorAll("
                + "'input:not([type=hidden]), select, textarea, button'))"
                + ".filter(e => e.tagName === 'BUTTON'"
                + " ? !(e.textContent.trim() || e.getAttribute('aria-label'))"
                + " : !((e.labels && e.labels.length) || e.getAttribute('aria-label')"
                + " || e.getAttribute('aria-labelledby')))"
                + ".map(e => e.outerHTML.slice(0, e.outerHTML.indexOf('>') + 1));");
  }

  @Override
  public void close() {
    driver.quit();
  }
}
