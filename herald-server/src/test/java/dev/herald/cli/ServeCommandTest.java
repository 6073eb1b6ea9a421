package dev.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.Api;
import dev.herald.testing.Eventually;
import dev.herald.testing.HeraldProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} as a real process: the banner tells a newcomer where the API, its docs, the data
 * and the admin key are; SIGTERM logs the drain and the stop (before #14 nothing was logged).
 */
class ServeCommandTest {
  private static final Pattern KEY_LINE = Pattern.compile("^    (hk_\\S+)$");

  @TempDir Path dir;

  private static String banner(HeraldProcess herald) {
    List<String> lines =
        Eventually.await(
            "the start banner",
            herald::output,
            out -> out.stream().anyMatch(l -> l.contains("Stop with Ctrl-C")),
            Duration.ofSeconds(30));
    return String.join("\n", lines);
  }

  @Test
  void the_banner_says_where_the_api_docs_data_and_admin_key_are_and_sigterm_logs_drain_and_stop() {
    Path data = dir.resolve("data");
    Map<String, String> settings = Map.of("HERALD_DATA_DIR", data.toString());
    String key;
    try (HeraldProcess herald =
        HeraldProcess.start(settings, dir.resolve("first.log"))
            .awaitReady(Duration.ofSeconds(60))) {
      String banner = banner(herald);
      String url =
          "http://localhost:" + herald.baseUrl().substring(herald.baseUrl().lastIndexOf(':') + 1);

      assertThat(banner)
          .contains("API        " + url + "/api/v1")
          .contains("API docs   " + url + "/docs")
          .contains("Dashboard  " + url + "/dashboard")
          .contains("Data       " + data.toAbsolutePath())
          .contains("Database   SQLite, " + data.toAbsolutePath().resolve("herald.db"))
          .contains("Admin key  created now, shown once below")
          .contains(
              "Herald created the admin API key for this installation. It is shown only once:");
      key =
          banner
              .lines()
              .map(KEY_LINE::matcher)
              .filter(Matcher::matches)
              .map(m -> m.group(1))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no key in\n" + banner));
      assertThat(new Api(herald.baseUrl(), key).get("/api/v1/app").status()).isEqualTo(200);

      int exit = herald.stop(Duration.ofSeconds(60));

      String node = herald.nodeId();
      assertThat(exit).isZero();
      assertThat(herald.output())
          .anySatisfy(
              l ->
                  assertThat(l)
                      .contains("draining node " + node + ": the API answers 503 from now on"))
          .anySatisfy(
              l ->
                  assertThat(l)
                      .containsPattern("stopped node " + node + ": drained and closed in \\d+ ms"));
    }

    try (HeraldProcess again =
        HeraldProcess.start(settings, dir.resolve("second.log"))
            .awaitReady(Duration.ofSeconds(60))) {
      String banner = banner(again);

      assertThat(banner)
          .contains("Admin key  created and shown once at the first start on this database")
          .doesNotContain(key)
          .doesNotContain("It is shown only once");
    }
  }

  @Test
  void with_a_bootstrap_key_the_banner_points_to_that_setting() {
    Map<String, String> settings =
        Map.of(
            "HERALD_DATA_DIR",
            dir.resolve("data").toString(),
            "HERALD_BOOTSTRAP_API_KEY",
            "hk_chosen_by_the_operator_0123");
    try (HeraldProcess herald =
        HeraldProcess.start(settings, dir.resolve("herald.log"))
            .awaitReady(Duration.ofSeconds(60))) {
      assertThat(banner(herald))
          .contains("Admin key  the value of HERALD_BOOTSTRAP_API_KEY")
          .doesNotContain("hk_chosen_by_the_operator_0123");
    }
  }

  @Test
  void with_json_logs_only_the_generated_key_is_printed_beside_them() {
    Map<String, String> settings =
        Map.of("HERALD_DATA_DIR", dir.resolve("data").toString(), "HERALD_LOG_FORMAT", "json");
    try (HeraldProcess herald =
        HeraldProcess.start(settings, dir.resolve("herald.log"))
            .awaitReady(Duration.ofSeconds(60))) {
      List<String> output =
          Eventually.await(
              "the generated key",
              herald::output,
              out -> out.stream().anyMatch(l -> KEY_LINE.matcher(l).matches()),
              Duration.ofSeconds(30));

      List<String> notJson =
          output.stream().filter(l -> !l.startsWith("{") && !l.isBlank()).toList();
      assertThat(notJson).hasSize(2);
      assertThat(notJson.get(0))
          .contains("Herald created the admin API key for this installation.");
      assertThat(notJson.get(1)).matches(KEY_LINE.pattern());
    }
  }
}
