package dev.herald.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Herald as a separate JVM ({@code dev.herald.cli.Main serve}) on this test's classpath, started as
 * {@link NodeJvm} describes, for tests that must kill the process the hard way. Its output goes to
 * a log file, quoted when it fails.
 */
public final class HeraldProcess implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path log;

  private HeraldProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts {@code serve} on a free port with exactly the given {@code HERALD_*} settings (none are
   * inherited from this JVM's environment), appending its output to {@code log}.
   */
  public static HeraldProcess start(Map<String, String> settings, Path log) {
    List<String> command = new ArrayList<>(NodeJvm.command());
    command.addAll(List.of("dev.herald.cli.Main", "serve"));
    return launch(command, settings, log);
  }

  /** Runs {@code command} (a JVM starting {@code serve}) as {@link #start} describes. */
  static HeraldProcess launch(List<String> command, Map<String, String> settings, Path log) {
    int port = freePort();
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(k -> k.startsWith("HERALD_"));
    builder.environment().putAll(settings);
    builder.environment().put("HERALD_PORT", Integer.toString(port));
    builder.environment().put("HERALD_HOST", "127.0.0.1");
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    try {
      return new HeraldProcess(builder.start(), port, log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public Api api(String key) {
    return new Api(baseUrl(), key);
  }

  public long pid() {
    return process.pid();
  }

  /**
   * Waits until {@code /api/v1/health/ping} answers, failing early (with the log) if the process
   * exits.
   */
  public HeraldProcess awaitReady(Duration timeout) {
    Api anonymous = new Api(baseUrl(), null);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError(
            "Herald exited with " + process.exitValue() + " before it was ready:\n" + logTail());
      }
      try {
        if (anonymous.get("/api/v1/health/ping").status() == 204) {
          return this;
        }
      } catch (UncheckedIOException e) {
        // Not listening yet.
      }
      sleep(50);
    }
    throw new AssertionError("Herald was not ready within " + timeout + ":\n" + logTail());
  }

  /** Waits for the process to exit on its own (a refused start) and returns its exit status. */
  public int awaitExit(Duration timeout) {
    return exitWithin(timeout, "Herald was still running after " + timeout);
  }

  /** Everything the process printed so far, line by line. */
  public List<String> output() {
    try {
      return Files.readAllLines(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGKILL: no shutdown hook, no lease given back, nothing flushed. */
  public void kill() {
    process.destroyForcibly();
    waitFor();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * SIGTERM, then waits for the orderly drain to finish; returns the exit status. Fails (after a
   * SIGKILL) if the process is still running after {@code timeout}.
   */
  public int stop(Duration timeout) {
    process.destroy();
    return exitWithin(timeout, "Herald did not exit within " + timeout + " of SIGTERM");
  }

  /**
   * Waits for the exit status; after {@code timeout}, kills the process and fails with {@code why}.
   */
  private int exitWithin(Duration timeout, String why) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        waitFor();
        throw new AssertionError(why + ":\n" + logTail());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for Herald to exit", e);
    }
    return process.exitValue();
  }

  /** The node id this process logged at start (what {@code delivery.lease_owner} holds for it). */
  public String nodeId() {
    try {
      String id = null;
      for (String line : Files.readAllLines(log)) {
        var m = NODE_LINE.matcher(line);
        if (m.find()) {
          id = m.group(1);
        }
      }
      if (id == null) {
        throw new AssertionError("no node id in the log yet:\n" + logTail());
      }
      return id;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final java.util.regex.Pattern NODE_LINE =
      java.util.regex.Pattern.compile(" node (node_[0-9a-f]+) listening on port ");

  /** The last lines of the process output, for failure messages. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** SIGTERM, which runs Herald's orderly shutdown; SIGKILL if that takes too long. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    waitFor();
  }

  private void waitFor() {
    try {
      process.waitFor(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
