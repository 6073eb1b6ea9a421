package dev.herald.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Herald node run as its own JVM ({@code java -jar herald.jar serve}), exactly as operators run
 * it, so start-up time and memory are those of the real artifact. Its output goes to a log file,
 * whose tail is shown when it fails to start or dies.
 */
final class HeraldProcess implements AutoCloseable {
  static final String API_KEY = "bench_key_0123456789abcdef0123456789";

  /** Lets a scenario read {@code /metrics} on the API port (statements per message). */
  static final String METRICS_TOKEN = "bench_metrics_0123456789abcdef";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final int port;
  private final Path log;
  private final long launchedNanos;
  private final long readyNanos;

  private HeraldProcess(Process process, int port, Path log, long launchedNanos, long readyNanos) {
    this.process = process;
    this.port = port;
    this.log = log;
    this.launchedNanos = launchedNanos;
    this.readyNanos = readyNanos;
  }

  /**
   * Starts Herald and returns once {@code /api/v1/health/ping} answers 204.
   *
   * @param env the database settings and any overrides; the port, key and SSRF allowance are added
   */
  static HeraldProcess start(
      Path jar, List<String> jvmOptions, Path dataDir, Map<String, String> env)
      throws IOException, InterruptedException {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "no Herald jar at "
              + jar.toAbsolutePath()
              + ": build it with ./mvnw -q -DskipTests package, or point --herald-jar at it");
    }
    Files.createDirectories(dataDir);
    int port = freePort();
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("HERALD_HOST", "127.0.0.1");
    settings.put("HERALD_PORT", Integer.toString(port));
    settings.put("HERALD_DATA_DIR", dataDir.toString());
    settings.put("HERALD_BOOTSTRAP_API_KEY", API_KEY);
    settings.put("HERALD_METRICS_TOKEN", METRICS_TOKEN);
    // The receiver is on loopback, which the SSRF guard blocks unless allowed.
    settings.put("HERALD_SSRF_ALLOW", "127.0.0.0/8");
    settings.putAll(env);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar.toAbsolutePath().toString(), "serve"));
    Path log = dataDir.resolve("herald.log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().keySet().removeIf(k -> k.startsWith("HERALD_"));
    builder.environment().putAll(settings);
    long launched = System.nanoTime();
    Process process = builder.start();
    long deadline = launched + START_TIMEOUT.toNanos();
    URI ping = URI.create("http://127.0.0.1:" + port + "/api/v1/health/ping");
    while (!answers204(ping)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "Herald exited with " + process.exitValue() + " during start-up:\n" + tail(log));
      }
      if (System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "Herald did not answer " + ping + " within " + START_TIMEOUT + ":\n" + tail(log));
      }
      Thread.sleep(2);
    }
    return new HeraldProcess(process, port, log, launched, System.nanoTime());
  }

  private static boolean answers204(URI uri) {
    try {
      HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
      c.setConnectTimeout(200);
      c.setReadTimeout(1_000);
      try {
        return c.getResponseCode() == 204;
      } finally {
        c.disconnect();
      }
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  long pid() {
    return process.pid();
  }

  /** From launching the JVM to the first 204 from the ping endpoint. */
  Duration startupTime() {
    return Duration.ofNanos(readyNanos - launchedNanos);
  }

  /**
   * CPU time the process has used so far, all threads, user and system; zero where the OS does not
   * say.
   */
  Duration cpuTime() {
    return process.info().totalCpuDuration().orElse(Duration.ZERO);
  }

  /** Resident set size of the process now, from /proc; -1 where that is not readable. */
  long rssBytes() {
    try {
      for (String line :
          Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | UncheckedIOException e) {
      return -1;
    }
    return -1;
  }

  /** Fails the run, with the log's tail, when the node died under load. */
  void checkAlive() {
    if (!process.isAlive()) {
      int code = process.exitValue();
      throw new IllegalStateException(
          "Herald (pid "
              + process.pid()
              + ") died with exit code "
              + code
              + (code > 128 ? " (signal " + (code - 128) + ")" : "")
              + "; the end of its log:\n"
              + tail(log));
    }
  }

  Path log() {
    return log;
  }

  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** SIGTERM (Herald drains and releases its leases), then a hard kill if it takes too long. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
