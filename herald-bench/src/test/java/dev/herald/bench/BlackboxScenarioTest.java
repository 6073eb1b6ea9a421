package dev.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlackboxScenarioTest {

  /** wrk 4.1's report with --latency, as printed for a run with failures. */
  private static final String OUTPUT =
      """
      Running 10s test @ http://127.0.0.1:8080/
        2 threads and 64 connections
        Thread Stats   Avg      Stdev     Max   +/- Stdev
          Latency    14.52ms    6.01ms  92.77ms   80.11%
          Req/Sec     2.21k   312.15     2.90k    71.00%
        Latency Distribution
           50%   13.61ms
           75%   16.90ms
           90%   21.02ms
           99%    1.02s
        44123 requests in 10.02s, 30.13MB read
        Socket errors: connect 0, read 3, write 0, timeout 2
        Non-2xx or 3xx responses: 17
      Requests/sec:   4403.49
      Transfer/sec:      3.01MB
      """;

  @Test
  void reads_requests_failures_rate_and_percentiles_from_wrks_report() {
    BlackboxScenario.WrkRun run = BlackboxScenario.parse(OUTPUT);

    assertThat(run.requests()).isEqualTo(44123);
    assertThat(run.seconds()).isEqualTo(10.02);
    assertThat(run.failed()).isEqualTo(17 + 3 + 2);
    assertThat(run.ok()).isEqualTo(44123 - 22);
    assertThat(run.rps()).isEqualTo(4403.49);
    assertThat(run.p50Ms()).isEqualTo(13.61);
    assertThat(run.p99Ms()).isEqualTo(1020.0);
  }

  @Test
  void the_script_posts_the_body_to_each_path_in_turn_with_the_token(@TempDir Path dir)
      throws Exception {
    Path script =
        BlackboxScenario.script(
            dir.resolve("s.lua"),
            "{\"a\":\"]]\"}".getBytes(),
            List.of("/api/v1/app/a/msg", "/api/v1/app/b/msg"),
            "key_1");

    String lua = Files.readString(script);

    assertThat(lua)
        .contains("local paths = {\"/api/v1/app/a/msg\",\"/api/v1/app/b/msg\",}")
        .contains("wrk.body = [==[{\"a\":\"]]\"}]==]")
        .contains("wrk.headers[\"Authorization\"] = \"Bearer key_1\"")
        .contains("paths[(i % #paths) + 1]");
  }
}
