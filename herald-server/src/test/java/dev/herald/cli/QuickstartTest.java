package dev.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.Api;
import dev.herald.testing.Eventually;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README quickstart, run as a newcomer runs it: each {@code sh} block of that section, marked
 * {@code <!-- quickstart:NAME -->}, goes to bash as written. Only what differs between a laptop and
 * a test run is substituted: the jar becomes this build's classes, the ports 8071 and 9000 free
 * ones, and the placeholders {@code hk_...} and {@code msg_...} the key and message id Herald
 * printed.
 */
class QuickstartTest {
  private static final Pattern BLOCK =
      Pattern.compile("(?ms)^<!-- quickstart:([a-z-]+) -->\\n```sh\\n(.*?)^```$");
  private static final Pattern ANY_SH_BLOCK = Pattern.compile("(?m)^```sh$");
  private static final String JAR_COMMAND = "java -jar herald-server/target/herald.jar";
  private static final Pattern KEY_LINE = Pattern.compile("(?m)^    (hk_\\S+)$");
  private static final Pattern ACCEPTED = Pattern.compile("message (msg_\\w+) accepted");

  @TempDir Path dir;
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void stopEverything() {
    for (Process p : started) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
    }
    for (Process p : started) {
      try {
        p.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The quickstart section's blocks by name, each checked to carry a marker. */
  static Map<String, String> quickstartBlocks() throws IOException {
    String readme = Files.readString(RepositoryFiles.path("README.md"));
    int start = readme.indexOf("\n## Quickstart");
    assertThat(start).as("a Quickstart section in README.md").isPositive();
    int end = readme.indexOf("\n## ", start + 1);
    String section = readme.substring(start, end < 0 ? readme.length() : end);
    Map<String, String> blocks = new LinkedHashMap<>();
    Matcher m = BLOCK.matcher(section);
    while (m.find()) {
      blocks.put(m.group(1), m.group(2));
    }
    long shBlocks = ANY_SH_BLOCK.matcher(section).results().count();
    assertThat(blocks)
        .as("every sh block of the quickstart is marked, so none goes untested")
        .hasSize((int) shBlocks);
    return blocks;
  }

  @Test
  void the_readme_quickstart_ends_with_a_verified_delivery_and_its_attempts_on_record()
      throws Exception {
    Map<String, String> blocks = quickstartBlocks();
    assertThat(blocks.keySet()).containsExactly("serve", "listen", "send", "attempts");
    int heraldPort = freePort();
    int listenPort = freePort();

    Path serveLog = dir.resolve("terminal-1.txt");
    start(blocks.get("serve"), Map.of("HERALD_PORT", Integer.toString(heraldPort)), serveLog);
    String banner =
        awaitOutput(serveLog, "the start banner", text -> text.contains("Stop with Ctrl-C"));
    Matcher key = KEY_LINE.matcher(banner);
    assertThat(key.find()).as(banner).isTrue();

    Path listenLog = dir.resolve("terminal-2.txt");
    start(substitute(blocks.get("listen"), "9000", listenPort), Map.of(), listenLog);
    awaitOutput(listenLog, "the receiver", text -> text.contains("Listening for webhooks"));

    // Terminal 3: the send block, then, once the delivery arrived (a newcomer waits for it too),
    // the
    // attempts block, in one shell so the exports carry over. The id send printed reaches that
    // shell
    // on its standard input, where the README has the placeholder msg_...
    String send =
        substitute(substitute(blocks.get("send"), "8071", heraldPort), "9000", listenPort)
            .replace("hk_...", key.group(1));
    String attempts = blocks.get("attempts");
    assertThat(attempts).contains("msg_...");
    Path terminal3 = dir.resolve("terminal-3.txt");
    Process shell =
        start(
            "set -e\n" + send + "\nread -r MSG_ID\n" + attempts.replace("msg_...", "$MSG_ID"),
            Map.of(),
            terminal3);

    String delivered =
        awaitOutput(listenLog, "the delivery", text -> text.contains("<-- answered"));
    Matcher accepted = ACCEPTED.matcher(read(terminal3));
    assertThat(accepted.find()).as(read(terminal3)).isTrue();
    String msg = accepted.group(1);
    assertThat(delivered)
        .contains("webhook-id: " + msg)
        .contains("\"invoiceId\" : \"in_123\"")
        .contains("signature: verified")
        .doesNotContain("NOT VERIFIED")
        .contains("<-- answered 204");

    // A newcomer lists the attempts a few seconds later; the test waits until Herald recorded one.
    Api api = new Api("http://127.0.0.1:" + heraldPort, key.group(1));
    Eventually.await(
        "the attempt on record",
        () -> api.get("/api/v1/app/acme/attempt/msg/" + msg).body(),
        page -> !page.path("data").isEmpty());
    try (OutputStream stdin = shell.getOutputStream()) {
      stdin.write((msg + "\n").getBytes(StandardCharsets.UTF_8));
    }
    assertThat(shell.waitFor(120, TimeUnit.SECONDS)).as("terminal 3 finishes").isTrue();
    String output = read(terminal3);
    assertThat(shell.exitValue()).as(output).isZero();
    assertThat(output)
        .contains("\"uid\":\"acme\"")
        .contains("\"uid\":\"laptop\"")
        .containsPattern("\"msgId\":\"" + msg + "\",[^}]*\"responseStatusCode\":204")
        .contains("\"statusText\":\"success\"");
    String listened =
        awaitOutput(
            listenLog,
            "the example event",
            text -> text.split("signature: verified", -1).length > 2);
    assertThat(listened).contains("\"example\" : true").doesNotContain("NOT VERIFIED");
  }

  /** Replaces the README's port with the test's, failing if the README no longer has it. */
  private static String substitute(String block, String port, int actual) {
    assertThat(block).contains(port);
    return block.replace(port, Integer.toString(actual));
  }

  /**
   * Runs {@code script} in bash in the test directory, the jar replaced by this build's classes.
   */
  private Process start(String script, Map<String, String> env, Path output) throws IOException {
    String java = ProcessHandle.current().info().command().orElseThrow();
    String herald =
        "'"
            + java
            + "' --enable-native-access=ALL-UNNAMED -Xmx256m -cp '"
            + System.getProperty("java.class.path")
            + "' dev.herald.cli.Main";
    ProcessBuilder builder =
        new ProcessBuilder("bash", "-c", script.replace(JAR_COMMAND, herald))
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("HERALD_"));
    builder.environment().putAll(env);
    Process process = builder.start();
    started.add(process);
    return process;
  }

  private static String awaitOutput(Path file, String what, Predicate<String> done) {
    return Eventually.await(
        what + " in " + file.getFileName(), () -> read(file), done, Duration.ofSeconds(90));
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
