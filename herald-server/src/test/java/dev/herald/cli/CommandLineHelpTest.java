package dev.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Version;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code --help} on every command (before #14, {@code serve --help} answered "Unknown option"),
 * {@code --version}, and the settings each help lists, held to docs/configuration.md.
 */
class CommandLineHelpTest {

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  static Stream<String> commands() {
    return Main.commandLine().getSubcommands().keySet().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commands")
  void every_command_answers_help_with_its_usage(String command) {
    for (String flag : List.of("--help", "-h")) {
      CliRun run = run(command, flag);

      assertThat(run.exitCode()).as("%s", run).isZero();
      assertThat(run.out())
          .startsWith("Usage: herald " + command)
          .contains("--help")
          .contains("--version");
      assertThat(run.err()).isEmpty();
    }
  }

  @Test
  void the_top_level_help_lists_every_command() {
    CliRun run = run("--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("serve", "migrate", "create-org", "listen", "send");
  }

  @Test
  void version_names_herald_and_its_version_on_every_command() {
    assertThat(run("--version").out().strip()).isEqualTo("Herald " + Version.current());
    assertThat(run("-V").out().strip()).isEqualTo("Herald " + Version.current());
    assertThat(run("serve", "--version").out().strip()).isEqualTo("Herald " + Version.current());
  }

  @Test
  void serve_help_lists_the_settings_that_matter_with_their_defaults() {
    String help = run("serve", "--help").out();

    assertThat(help)
        .contains("HERALD_PORT (default: 8071)")
        .contains("HERALD_DATA_DIR (default: ./herald-data)")
        .contains("HERALD_DATABASE_URL (default: unset (SQLite))")
        .contains("HERALD_BOOTSTRAP_API_KEY (default: unset)")
        .contains("HERALD_SSRF_ALLOW (default: empty)")
        .contains("HERALD_RETRY_SCHEDULE (default: 5s,5m,30m,2h,5h,10h,10h)")
        .contains("docs/configuration.md");
    assertThat(help.lines())
        .allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(80));
  }

  @Test
  void the_database_commands_list_where_the_data_is() {
    for (String command : List.of("migrate", "create-org")) {
      assertThat(run(command, "--help").out())
          .contains("HERALD_DATA_DIR (default: ./herald-data)", "HERALD_DATABASE_URL");
    }
  }

  @Test
  void listen_and_send_help_show_their_options_and_an_example() {
    assertThat(run("listen", "--help").out())
        .contains(
            "--port",
            "--secret",
            "--status",
            "default: 204",
            "HERALD_SSRF_ALLOW=127.0.0.0/8",
            "Example:");
    assertThat(run("send", "--help").out())
        .contains(
            "--app",
            "--type",
            "<payload>",
            "HERALD_URL (default: http://localhost:8071)",
            "HERALD_API_KEY",
            "Example:");
  }

  @Test
  void an_unknown_option_is_refused_with_the_usage() {
    CliRun run = run("serve", "--nope");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Unknown option: '--nope'").contains("Usage: herald serve");
  }

  @Test
  void every_setting_a_help_lists_has_the_default_docs_configuration_gives() throws IOException {
    Map<String, String> documented = documentedDefaults();
    List<SettingsHelp.Setting> listed =
        Stream.of(SettingsHelp.SERVE, SettingsHelp.STORAGE, SettingsHelp.SEND)
            .flatMap(List::stream)
            .toList();

    assertThat(listed)
        .isNotEmpty()
        .allSatisfy(
            setting ->
                assertThat(documented.get(setting.name()))
                    .as(setting.name())
                    .isEqualTo(setting.defaultValue()));
  }

  private static final Pattern ROW = Pattern.compile("^\\| `(HERALD_[A-Z_]+)` \\| ([^|]+) \\|");

  /** The default column of every setting row in docs/configuration.md, backticks removed. */
  static Map<String, String> documentedDefaults() throws IOException {
    Map<String, String> defaults = new HashMap<>();
    for (String line : Files.readAllLines(RepositoryFiles.path("docs/configuration.md"))) {
      Matcher m = ROW.matcher(line);
      if (m.find()) {
        defaults.put(m.group(1), m.group(2).replace("`", "").strip());
      }
    }
    return defaults;
  }
}
