package dev.herald.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Renders the results file as the generated sections of docs/benchmarks.md: the results table (the
 * latest row per scenario and database, each number with the ceiling of its own run beside it), the
 * parameters of those runs, and the machine they ran on. Text outside the markers is left alone.
 */
final class Report {
  static final String[] DATABASES = {"sqlite", "postgresql"};
  private static final String TABLE = "results";
  private static final String RUNS = "runs";
  private static final String MACHINE = "machine";

  /**
   * One line of the table: a label and the fields shown, joined by " / " when there are several.
   */
  record Measure(String scenario, String label, String unit, String... fields) {}

  static final List<Measure> MEASURES =
      List.of(
          new Measure(
              "ceiling", "generator → receiver, POST 1 KiB, 64 in flight", "req/s", "ceiling_rps"),
          new Measure("throughput", "messages accepted (202)", "msg/s", "ingest_rps"),
          new Measure("throughput", "deliveries received", "/s", "delivery_rps"),
          new Measure(
              "throughput",
              "accepted, delivered as share of ceiling",
              "%",
              "ingest_ratio",
              "delivery_ratio"),
          new Measure(
              "throughput",
              "API answer p50 / p99 at full load",
              "ms",
              "ingest_latency.p50_ms",
              "ingest_latency.p99_ms"),
          new Measure(
              "throughput",
              "per delivered message: Herald CPU µs / database statements",
              "",
              "cpu_us_per_msg",
              "statements_per_msg"),
          new Measure("latency", "achieved rate", "msg/s", "achieved_rps"),
          new Measure(
              "latency",
              "API answer p50 / p99 / p99.9 / max",
              "ms",
              "ingest_latency.p50_ms",
              "ingest_latency.p99_ms",
              "ingest_latency.p999_ms",
              "ingest_latency.max_ms"),
          new Measure(
              "latency",
              "ingest → receive p50 / p99 / p99.9 / max",
              "ms",
              "end_to_end_latency.p50_ms",
              "end_to_end_latency.p99_ms",
              "end_to_end_latency.p999_ms",
              "end_to_end_latency.max_ms"),
          new Measure("fanout", "API answer (all deliveries written)", "ms", "accept_ms"),
          new Measure(
              "fanout", "first / last endpoint has it (median)", "ms", "first_ms", "last_ms"),
          new Measure(
              "isolation",
              "healthy deliveries alone / with hanging endpoints",
              "/s",
              "healthy_rps_baseline",
              "healthy_rps_with_hanging"),
          new Measure(
              "isolation",
              "healthy ingest → receive p99 alone / with hanging",
              "ms",
              "baseline.end_to_end_latency.p99_ms",
              "with_hanging.end_to_end_latency.p99_ms"),
          new Measure(
              "slow-endpoints",
              "healthy deliveries alone / beside slow endpoints",
              "/s",
              "healthy_rps_baseline",
              "healthy_rps_with_slow"),
          new Measure(
              "slow-endpoints",
              "healthy ingest → receive p99 alone / beside slow endpoints",
              "ms",
              "baseline.end_to_end_latency.p99_ms",
              "with_slow.end_to_end_latency.p99_ms"),
          new Measure(
              "ordered",
              "one endpoint, unordered / ordered, delivered",
              "msg/s",
              "unordered_rps",
              "ordered_rps"),
          new Measure(
              "payload-costs",
              "per message, µs: parse 1 KiB / 9-condition filter / schema",
              "µs",
              "parse_us",
              "filter_us",
              "schema_us"),
          new Measure("backlog", "deliveries piled up", "", "deliveries"),
          new Measure(
              "backlog", "pile-up rate (fan-out)", "deliveries/s", "ingest_deliveries_per_s"),
          new Measure(
              "backlog",
              "claim query at full backlog p50 / max",
              "ms",
              "claim_ms_p50",
              "claim_ms_max"),
          new Measure("backlog", "drain rate", "deliveries/s", "drain_rps"),
          new Measure(
              "backlog",
              "RSS before / at full backlog / after drain",
              "MiB",
              "rss_before_mib",
              "rss_at_mib",
              "rss_after_mib"),
          new Measure(
              "startup",
              "to first ping, empty / existing database",
              "ms",
              "fresh_ms",
              "existing_ms"),
          new Measure("startup", "RSS after start", "MiB", "rss_after_start_mib"),
          new Measure(
              "blackbox",
              "wrk → receiver, POST 1 KiB, 64 connections (this run's ceiling)",
              "req/s",
              "ceiling_rps"),
          new Measure(
              "blackbox",
              "wrk → Herald: accepted / delivered",
              "msg/s",
              "ingest_rps",
              "delivery_rps"),
          new Measure(
              "blackbox",
              "wrk's answer p50 / p99",
              "ms",
              "ingest_latency.p50_ms",
              "ingest_latency.p99_ms"),
          new Measure("blackbox", "Herald CPU per delivered message", "µs", "cpu_us_per_msg"));

  private Report() {}

  static List<JsonNode> read(Path results) throws IOException {
    List<JsonNode> rows = new ArrayList<>();
    for (String line : Files.readAllLines(results, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        rows.add(Bench.JSON.readTree(line));
      }
    }
    return rows;
  }

  /** The document with its generated sections rewritten. */
  static String update(String doc, List<JsonNode> rows) {
    Map<String, JsonNode> latest = latest(rows);
    String out = replaceSection(doc, TABLE, table(latest));
    out = replaceSection(out, RUNS, runs(latest));
    return replaceSection(out, MACHINE, machine(latest));
  }

  /** The last row of each (scenario, database), keyed "scenario/db". */
  static Map<String, JsonNode> latest(List<JsonNode> rows) {
    Map<String, JsonNode> latest = new LinkedHashMap<>();
    for (JsonNode row : rows) {
      latest.put(row.path("scenario").asText() + "/" + row.path("db").asText(), row);
    }
    return latest;
  }

  static String table(Map<String, JsonNode> latest) {
    StringBuilder b = new StringBuilder();
    b.append("| scenario | measure | SQLite | ceiling | PostgreSQL | ceiling |\n");
    b.append("|---|---|---:|---:|---:|---:|\n");
    for (Measure m : MEASURES) {
      b.append("| ").append(m.scenario()).append(" | ").append(m.label());
      for (String db : DATABASES) {
        JsonNode row = latest.get(m.scenario() + "/" + db);
        b.append(" | ").append(row == null ? "–" : value(row, m));
        b.append(" | ")
            .append(
                row == null || !row.path("ceiling_rps").isNumber()
                    ? "–"
                    : number(row.path("ceiling_rps").asDouble()) + " req/s");
      }
      b.append(" |\n");
    }
    return b.toString();
  }

  static String runs(Map<String, JsonNode> latest) {
    StringBuilder b = new StringBuilder();
    b.append(
        "| scenario | database | measured | commit | load (1 min) before / after | parameters |\n");
    b.append("|---|---|---|---|---|---|\n");
    for (JsonNode row : latest.values()) {
      String params =
          row.path("params").properties().stream()
              .map(e -> e.getKey() + "=" + e.getValue().asText())
              .collect(Collectors.joining(", "));
      b.append("| ")
          .append(row.path("scenario").asText())
          .append(" | ")
          .append(row.path("db").asText())
          .append(" | ")
          .append(row.path("time").asText())
          .append(" | ")
          .append(row.path("commit").asText("–"))
          .append(" | ")
          .append(row.path("load_avg_1m").path("before").asText("–"))
          .append(" / ")
          .append(row.path("load_avg_1m").path("after").asText("–"))
          .append(" | ")
          .append(params)
          .append(" |\n");
    }
    return b.toString();
  }

  static String machine(Map<String, JsonNode> latest) {
    Set<String> machines = new LinkedHashSet<>();
    Map<String, Set<String>> databases = new LinkedHashMap<>();
    for (JsonNode row : latest.values()) {
      JsonNode m = row.path("machine");
      machines.add(
          String.format(
              Locale.ROOT,
              "- CPU: %s, %d cores; RAM: %s GiB; data on %s%n- JDK: %s%n- OS: %s%n",
              m.path("cpu").asText(),
              m.path("cores").asInt(),
              m.path("ram_gib").asText(),
              m.path("filesystem").asText(),
              m.path("java").asText(),
              m.path("os").asText()));
      databases
          .computeIfAbsent(row.path("db").asText(), k -> new LinkedHashSet<>())
          .add(row.path("db_version").asText());
    }
    StringBuilder b = new StringBuilder();
    machines.forEach(b::append);
    databases.forEach(
        (db, versions) ->
            b.append("- ")
                .append(db.equals("sqlite") ? "SQLite" : "PostgreSQL")
                .append(": ")
                .append(String.join("; ", versions))
                .append('\n'));
    return b.toString();
  }

  private static String value(JsonNode row, Measure m) {
    List<String> parts = new ArrayList<>();
    for (String field : m.fields()) {
      JsonNode v = row;
      for (String step : field.split("\\.")) {
        v = v.path(step);
      }
      if (!v.isNumber()) {
        parts.add("–");
      } else if (m.unit().equals("%")) {
        parts.add(String.format(Locale.ROOT, "%.1f %%", v.asDouble() * 100));
      } else {
        parts.add(number(v.asDouble()));
      }
    }
    String unit = m.unit().isEmpty() || m.unit().equals("%") ? "" : " " + m.unit();
    return String.join(" / ", parts) + unit;
  }

  /** Thousands separated; one decimal below 100, two below 10. */
  static String number(double v) {
    double a = Math.abs(v);
    String pattern = a >= 100 || v == Math.rint(v) ? "%,.0f" : a >= 10 ? "%,.1f" : "%,.2f";
    return String.format(Locale.ROOT, pattern, v);
  }

  private static String replaceSection(String doc, String name, String body) {
    String start = "<!-- bench:" + name + ":start -->";
    String end = "<!-- bench:" + name + ":end -->";
    int s = doc.indexOf(start);
    int e = doc.indexOf(end);
    if (s < 0 || e < s) {
      throw new IllegalArgumentException("the document has no " + start + " … " + end + " section");
    }
    return doc.substring(0, s + start.length()) + "\n" + body + doc.substring(e);
  }
}
