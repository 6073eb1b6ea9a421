package dev.herald.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every scenario shares: where Herald and its database come from, where results go. */
final class CommonOptions {

  @Option(
      names = "--db",
      description = "sqlite (default), postgres (needs --database-url) or embedded-postgres")
  String db = "sqlite";

  @Option(
      names = "--database-url",
      description =
          "jdbc:postgresql://host:port/db: each run creates and drops its own database there")
  String databaseUrl;

  @Option(names = "--database-user")
  String databaseUser;

  @Option(names = "--database-password")
  String databasePassword;

  @Option(
      names = "--herald-jar",
      description = "the runnable Herald jar (default: ${DEFAULT-VALUE})")
  Path heraldJar = Path.of("herald-server/target/herald.jar");

  @Option(
      names = "--herald-jvm-option",
      description =
          "a JVM option for Herald's process, e.g. -XX:StartFlightRecording=filename=h.jfr (repeatable)")
  List<String> heraldJvmOptions = new ArrayList<>();

  @Option(
      names = "--herald-env",
      description = "an extra HERALD_* setting for Herald, KEY=VALUE (repeatable)")
  Map<String, String> heraldEnv = new LinkedHashMap<>();

  @Option(
      names = "--results",
      description = "JSON-lines file each result is appended to (default: ${DEFAULT-VALUE})")
  Path results = Path.of("herald-bench/results.jsonl");

  @Option(
      names = "--work-dir",
      description = "where data directories and logs go (default: the system temp directory)")
  Path workDir = Path.of(System.getProperty("java.io.tmpdir"));

  @Option(names = "--keep", description = "keep each run's data directory and Herald log")
  boolean keep;

  @Option(
      names = "--receiver-ports",
      description =
          "ports the receiver listens on; endpoints are spread over them (default: ${DEFAULT-VALUE})")
  int receiverPorts = 16;

  @Option(
      names = "--ceiling-duration",
      converter = Durations.class,
      description =
          "how long the ceiling is measured when a scenario measures it itself; 0 skips it (default: ${DEFAULT-VALUE})")
  Duration ceilingDuration = Duration.ofSeconds(10);

  @Option(names = "--note", description = "free text stored with the result")
  String note;
}
