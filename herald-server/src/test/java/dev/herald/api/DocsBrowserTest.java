package dev.herald.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.json.Json;
import dev.herald.testing.Backend;
import dev.herald.testing.Browser;
import dev.herald.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /docs} in a real headless Chromium: Swagger UI renders every documented path under the
 * page's Content-Security-Policy, and the page requests nothing from anywhere but Herald. Skipped
 * where Chromium is not installed ({@code apt-get install chromium}).
 */
class DocsBrowserTest {
  private static final List<String> CHROMIUM =
      List.of("/usr/bin/chromium", "/usr/bin/chromium-browser");

  @TempDir Path work;

  private static Optional<String> chromium() {
    return CHROMIUM.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst();
  }

  @Test
  void swagger_ui_renders_every_documented_path_using_only_this_node() throws Exception {
    Optional<String> browser = chromium();
    assumeTrue(browser.isPresent(), "Chromium is not installed");

    try (TestServer server = TestServer.start(Backend.SQLITE)) {
      String origin = server.baseUrl();
      Path netLog = work.resolve("net-log.json");
      Path dom = work.resolve("dom.html");
      Path console = work.resolve("console.txt");
      List<String> command = new ArrayList<>(List.of(browser.get(), "--headless"));
      command.addAll(Browser.QUIET_FLAGS);
      command.addAll(
          List.of(
              "--disable-default-apps",
              // The browser's own background calls must not leave the machine either.
              "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
              "--user-data-dir=" + work.resolve("profile"),
              "--log-net-log=" + netLog,
              "--enable-logging=stderr",
              "--v=0",
              "--virtual-time-budget=20000",
              "--dump-dom",
              origin + "/docs"));
      Process chrome =
          new ProcessBuilder(command)
              .redirectOutput(dom.toFile())
              .redirectError(console.toFile())
              .start();
      if (!chrome.waitFor(60, TimeUnit.SECONDS)) {
        chrome.destroyForcibly();
        throw new AssertionError("Chromium did not finish within 60 s");
      }
      String html = Files.readString(dom);
      String messages = Files.readString(console);

      assertThat(html).contains("Herald API");
      JsonNode document = server.anonymous().get("/api/v1/openapi.json").body();
      document
          .path("paths")
          .fieldNames()
          .forEachRemaining(
              path ->
                  assertThat(html).as("rendered operation").contains("data-path=\"" + path + "\""));
      assertThat(messages).doesNotContain("Content Security Policy", "Uncaught");

      List<String> pageRequests = requestsInitiatedBy(origin, netLog);
      assertThat(pageRequests)
          .contains(
              origin + "/docs/assets/swagger-ui.css",
              origin + "/docs/assets/swagger-ui-bundle.js",
              origin + "/docs/assets/herald-docs.js",
              origin + "/api/v1/openapi.json");
      assertThat(pageRequests).allSatisfy(url -> assertThat(url).startsWith(origin + "/"));
    } finally {
      deleteProfile();
    }
  }

  /** The URLs the page itself asked for, from Chromium's network log. */
  private static List<String> requestsInitiatedBy(String origin, Path netLog) throws IOException {
    JsonNode log = Json.MAPPER.readTree(netLog.toFile());
    int startJob = log.at("/constants/logEventTypes/URL_REQUEST_START_JOB").asInt(-1);
    List<String> urls = new ArrayList<>();
    for (JsonNode event : log.path("events")) {
      JsonNode params = event.path("params");
      if (event.path("type").asInt() == startJob
          && params.path("initiator").asText().equals(origin)) {
        urls.add(params.path("url").asText());
      }
    }
    return urls;
  }

  // Chromium leaves sockets and lock files in its profile that @TempDir may not delete by itself.
  private void deleteProfile() throws IOException {
    Path profile = work.resolve("profile");
    if (Files.exists(profile)) {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
