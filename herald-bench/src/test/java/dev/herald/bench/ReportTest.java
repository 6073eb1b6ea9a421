package dev.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {

  private static final String DOC =
      """
      # Benchmarks
      intro stays
      <!-- bench:results:start -->
      old table
      <!-- bench:results:end -->
      middle stays
      <!-- bench:runs:start -->
      <!-- bench:runs:end -->
      <!-- bench:machine:start -->
      <!-- bench:machine:end -->
      end stays
      """;

  private static JsonNode row(String json) throws Exception {
    return Bench.JSON.readTree(json);
  }

  private static final String MACHINE =
      "\"machine\":{\"cores\":2,\"ram_gib\":23.5,\"cpu\":\"EPYC\",\"java\":\"Temurin 25\",\"os\":\"Linux\",\"filesystem\":\"ext4\"}";

  @Test
  void shows_the_latest_row_per_scenario_and_database_with_its_ceiling() throws Exception {
    List<JsonNode> rows =
        List.of(
            row(
                "{\"scenario\":\"throughput\",\"db\":\"sqlite\",\"ceiling_rps\":9000,\"ingest_rps\":100,\"db_version\":\"SQLite 3\","
                    + MACHINE
                    + "}"),
            row(
                "{\"scenario\":\"throughput\",\"db\":\"sqlite\",\"ceiling_rps\":18000,\"ingest_rps\":650,\"delivery_rps\":640,"
                    + "\"ingest_ratio\":0.036,\"db_version\":\"SQLite 3\","
                    + MACHINE
                    + ",\"params\":{\"apps\":100},"
                    + "\"load_avg_1m\":{\"before\":0.5,\"after\":1.5}}"),
            row(
                "{\"scenario\":\"throughput\",\"db\":\"postgresql\",\"ceiling_rps\":17500,\"ingest_rps\":1200,"
                    + "\"db_version\":\"PostgreSQL 14\","
                    + MACHINE
                    + "}"));

    String doc = Report.update(DOC, rows);

    assertThat(doc)
        .contains(
            "| throughput | messages accepted (202) | 650 msg/s | 18,000 req/s | 1,200 msg/s | 17,500 req/s |");
    assertThat(doc)
        .contains(
            "| throughput | accepted, delivered as share of ceiling | 3.6 % / – | 18,000 req/s |");
    assertThat(doc).contains("| latency | achieved rate | – | – | – | – |");
    assertThat(doc)
        .contains("| throughput | sqlite |")
        .contains("apps=100")
        .contains("| 0.5 / 1.5 |");
    assertThat(doc)
        .contains("- CPU: EPYC, 2 cores; RAM: 23.5 GiB; data on ext4")
        .contains("- PostgreSQL: PostgreSQL 14");
    assertThat(doc)
        .startsWith("# Benchmarks\nintro stays\n")
        .contains("middle stays")
        .endsWith("end stays\n");
    assertThat(doc).doesNotContain("old table");
    assertThat(Report.update(doc, rows)).isEqualTo(doc);
  }

  @Test
  void refuses_a_document_without_the_generated_sections() {
    assertThatThrownBy(() -> Report.update("# no markers\n", List.of()))
        .hasMessageContaining("<!-- bench:results:start -->");
  }

  @Test
  void formats_numbers_for_reading() {
    assertThat(Report.number(18507)).isEqualTo("18,507");
    assertThat(Report.number(123.4)).isEqualTo("123");
    assertThat(Report.number(12.34)).isEqualTo("12.3");
    assertThat(Report.number(1.234)).isEqualTo("1.23");
    assertThat(Report.number(7)).isEqualTo("7");
  }

  /** Docs that cannot drift: the committed table is exactly what the committed results produce. */
  @Test
  void docs_benchmarks_md_is_regenerated_from_the_committed_results() throws Exception {
    Path results = Path.of(System.getProperty("herald.results", "results.jsonl"));
    Path doc = Path.of(System.getProperty("herald.docs", "../docs/benchmarks.md"));
    String committed = Files.readString(doc, StandardCharsets.UTF_8);
    assertThat(Report.update(committed, Report.read(results)))
        .as(
            "docs/benchmarks.md differs from what `herald-bench report` makes of herald-bench/results.jsonl: run the report command")
        .isEqualTo(committed);
  }
}
