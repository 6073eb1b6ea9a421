package dev.herald.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.Version;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the scenarios of one bench invocation share: the database target, the machine facts, the
 * ceiling (measured once, by the same generator, before the scenarios that need it) and the results
 * file. Starts Herald nodes on fresh databases and records each scenario's result.
 */
final class Bench implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  static final int PAYLOAD_BYTES = 1024;

  /** In-flight requests of the max-rate generator runs, ceiling and throughput alike. */
  static final int MAX_RATE_CONCURRENCY = 64;

  final CommonOptions options;
  final DatabaseTarget database;
  final Machine machine;
  private final String databaseVersion;
  private Double ceilingRps;

  Bench(CommonOptions options) throws IOException {
    this.options = options;
    Files.createDirectories(options.workDir);
    this.database =
        DatabaseTarget.of(
            options.db, options.databaseUrl, options.databaseUser, options.databasePassword);
    this.machine = Machine.current(options.workDir);
    this.databaseVersion = database.version();
  }

  /** A Herald node on a fresh database, with its data directory; closing stops it and cleans up. */
  final class Node implements AutoCloseable {
    final HeraldProcess herald;
    final DatabaseTarget.Fresh db;
    final Path dataDir;

    private Node(HeraldProcess herald, DatabaseTarget.Fresh db, Path dataDir) {
      this.herald = herald;
      this.db = db;
      this.dataDir = dataDir;
    }

    HeraldApi api() {
      return new HeraldApi(herald.baseUrl(), HeraldProcess.API_KEY);
    }

    URI messageUri(String appId) {
      return URI.create(herald.baseUrl() + "/api/v1/app/" + appId + "/msg");
    }

    @Override
    public void close() throws Exception {
      herald.close();
      db.drop().run();
      if (!options.keep) {
        deleteRecursively(dataDir);
      } else {
        System.err.println("kept " + dataDir);
      }
    }
  }

  /**
   * Starts Herald on a fresh database; {@code env} adds scenario settings to the user's overrides.
   */
  Node startNode(String scenario, Map<String, String> env)
      throws IOException, InterruptedException {
    Path dataDir = Files.createTempDirectory(options.workDir, "herald-bench-" + scenario + "-");
    return startNode(dataDir, database.fresh(dataDir), env);
  }

  /** Starts Herald on an existing data directory and database (a restart). */
  Node startNode(Path dataDir, DatabaseTarget.Fresh db, Map<String, String> env)
      throws IOException, InterruptedException {
    Map<String, String> all = new LinkedHashMap<>(db.heraldEnv());
    all.putAll(env);
    all.putAll(options.heraldEnv);
    try {
      return new Node(
          HeraldProcess.start(options.heraldJar, options.heraldJvmOptions, dataDir, all),
          db,
          dataDir);
    } catch (RuntimeException | IOException e) {
      db.drop().run();
      throw e;
    }
  }

  /**
   * The machine's own HTTP ceiling: the same generator POSTing the same message body straight to
   * the receiver (which answers 204), {@value #MAX_RATE_CONCURRENCY} in flight, no Herald. Measured
   * once per invocation; null when switched off.
   */
  Double ceiling() throws InterruptedException {
    if (ceilingRps == null && !options.ceilingDuration.isZero()) {
      ceilingRps = measureCeiling(options.ceilingDuration).okPerSecond();
    }
    return ceilingRps;
  }

  LoadGenerator.Run measureCeiling(Duration duration) throws InterruptedException {
    byte[] body = Messages.body(PAYLOAD_BYTES);
    try (Receiver receiver = new Receiver(1);
        LoadGenerator generator =
            new LoadGenerator(MAX_RATE_CONCURRENCY, MAX_RATE_CONCURRENCY, Duration.ofSeconds(30))) {
      LoadGenerator.Target target =
          new LoadGenerator.Target(URI.create(receiver.url()), body, null);
      // A short warm-up first, so the JIT has compiled both sides before anything is counted.
      generator.maxRate(
          Long.MAX_VALUE,
          Duration.ofMillis(Math.min(2_000, duration.toMillis() / 2)),
          MAX_RATE_CONCURRENCY,
          i -> target,
          null);
      LoadGenerator.Run run =
          generator.maxRate(Long.MAX_VALUE, duration, MAX_RATE_CONCURRENCY, i -> target, null);
      ceilingRps = run.okPerSecond();
      return run;
    }
  }

  void useCeiling(double rps) {
    ceilingRps = rps;
  }

  /** Builds the result row, prints it as one JSON line and appends it to the results file. */
  Map<String, Object> record(
      String scenario, Map<String, Object> params, Map<String, Object> metrics) throws IOException {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("scenario", scenario);
    row.put("db", database.kind());
    row.put("time", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    row.put("herald", Version.current());
    row.put("commit", gitCommit());
    row.put("db_version", databaseVersion);
    row.put("machine", machine.toMap());
    row.put("params", params);
    row.put("ceiling_rps", ceilingRps == null ? null : Stats.round(ceilingRps, 0));
    row.putAll(metrics);
    if (options.note != null) {
      row.put("note", options.note);
    }
    String line = JSON.writeValueAsString(row);
    System.out.println(line);
    System.out.flush();
    Path results = options.results.toAbsolutePath();
    Files.createDirectories(results.getParent());
    Files.writeString(
        results,
        line + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    return row;
  }

  private static String gitCommit() {
    try {
      Process p =
          new ProcessBuilder("git", "rev-parse", "--short", "HEAD")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.waitFor() == 0 && out.matches("[0-9a-f]{4,40}") ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Override
  public void close() {
    database.close();
  }
}
