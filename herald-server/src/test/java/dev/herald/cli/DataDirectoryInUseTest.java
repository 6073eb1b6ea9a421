package dev.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A data directory another process holds: each command refuses with one line naming the directory
 * and the holder, exit code 2, no stack trace (hardening #9 point 11). The commands run as real
 * processes ({@code dev.herald.cli.Main}) while this JVM holds the lock file, as a running node
 * does.
 */
class DataDirectoryInUseTest {
  @TempDir Path dataDir;

  private record Run(int exitCode, List<String> lines) {}

  private Run run(String... args) throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.herald.cli.Main"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(k -> k.startsWith("HERALD_"));
    builder.environment().put("HERALD_DATA_DIR", dataDir.toString());
    builder.environment().put("HERALD_PORT", "0");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the command exits").isTrue();
    return new Run(process.exitValue(), output.lines().filter(l -> !l.isBlank()).toList());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"serve", "create-org", "migrate"})
  void a_command_on_a_data_directory_held_by_another_process_refuses_in_one_line_with_exit_code_2(
      String cmd) throws Exception {
    Files.createDirectories(dataDir);
    try (FileChannel lock =
            FileChannel.open(
                dataDir.resolve("herald.db.lock"),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock held = lock.lock()) {
      lock.write(
          ByteBuffer.wrap(
              (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));

      Run run = cmd.equals("create-org") ? run(cmd, "acme") : run(cmd);

      assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
      assertThat(run.lines()).as("%s", run).hasSize(1);
      assertThat(run.lines().getFirst())
          .startsWith("herald: the data directory " + dataDir.toAbsolutePath())
          .contains("another Herald process (pid " + ProcessHandle.current().pid() + ")")
          .contains("herald.db.lock")
          .doesNotContain("Exception");
    }
  }

  @Test
  void a_running_node_writes_its_process_id_into_the_lock_file() throws Exception {
    try (var db =
        dev.herald.store.Database.open(
            dev.herald.store.DatabaseSettings.sqlite(dataDir.resolve("herald.db"), 2))) {
      assertThat(Files.readString(dataDir.resolve("herald.db.lock")).trim())
          .isEqualTo(Long.toString(ProcessHandle.current().pid()));
    }
  }
}
