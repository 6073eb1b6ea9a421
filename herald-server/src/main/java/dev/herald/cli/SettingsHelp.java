package dev.herald.cli;

import dev.herald.config.HeraldConfig;
import dev.herald.config.HttpConfig;
import dev.herald.config.LogFormat;
import dev.herald.config.StorageConfig;
import dev.herald.delivery.DeliveryConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code HERALD_*} settings that matter most to each command, shown at the end of its {@code
 * --help}. Defaults come from the constants the configuration reads, and {@code SettingsHelpTest}
 * holds each one to the default docs/configuration.md gives, so neither the help nor the docs can
 * drift from the code.
 */
final class SettingsHelp {

  /**
   * One setting as the help shows it, {@code defaultValue} written as docs/configuration.md writes
   * it.
   */
  record Setting(String name, String defaultValue, String meaning) {}

  static final List<Setting> STORAGE =
      List.of(
          new Setting(
              "HERALD_DATA_DIR",
              StorageConfig.DEFAULT_DATA_DIR,
              "holds the SQLite file herald.db and the key file main.key"),
          new Setting(
              "HERALD_DATABASE_URL",
              "unset (SQLite)",
              "jdbc:postgresql://host:port/db stores everything in PostgreSQL"),
          new Setting(
              "HERALD_MAIN_SECRET",
              "unset",
              "key for secrets at rest (32+ characters); when unset, main.key in the data directory"));

  static final List<Setting> SERVE =
      concat(
          List.of(
              new Setting(
                  "HERALD_PORT",
                  Integer.toString(HttpConfig.DEFAULT_PORT),
                  "HTTP port; 0 picks a free one"),
              new Setting(
                  "HERALD_HOST", HttpConfig.DEFAULT_HOST, "address the HTTP server binds to")),
          STORAGE,
          List.of(
              new Setting(
                  "HERALD_BOOTSTRAP_API_KEY",
                  "unset",
                  "admin API key to create on first start (16+ characters); when unset, one is generated and"
                      + " printed once"),
              new Setting(
                  "HERALD_SSRF_ALLOW",
                  "empty",
                  "CIDRs deliveries may reach despite the SSRF guard; 127.0.0.0/8 for a receiver on this"
                      + " machine"),
              new Setting(
                  "HERALD_REQUEST_TIMEOUT",
                  duration(DeliveryConfig.DEFAULT_REQUEST_TIMEOUT),
                  "time limit of one delivery request"),
              new Setting(
                  "HERALD_RETRY_SCHEDULE",
                  DeliveryConfig.DEFAULT_RETRY_SCHEDULE,
                  "delays between attempts after the first, or none"),
              new Setting("HERALD_ROLES", HeraldConfig.DEFAULT_ROLES, "api, worker, or api,worker"),
              new Setting(
                  "HERALD_LOG_FORMAT",
                  LogFormat.TEXT.name().toLowerCase(Locale.ROOT),
                  "text or json (logs go to standard error)")));

  static final List<Setting> SEND =
      List.of(
          new Setting("HERALD_URL", SendCommand.DEFAULT_URL, "where Herald is (--url)"),
          new Setting("HERALD_API_KEY", "unset", "the API key to send with (--key)"));

  /** Each subcommand's footer, by command name; {@link Main#commandLine()} attaches them. */
  static final Map<String, String> FOOTERS =
      Map.of(
          "serve", footer(SERVE),
          "migrate", footer(STORAGE),
          "create-org", footer(STORAGE),
          "send",
              footer(SEND)
                  + "%nExample:%n  herald send --app acme --type invoice.paid '{\"invoiceId\": \"in_123\"}'%n",
          "listen",
              "%nHerald delivers to this machine only when started with%nHERALD_SSRF_ALLOW=127.0.0.0/8"
                  + " (loopback is refused by its SSRF guard otherwise).%n%nExample:%n"
                  + "  herald listen --port 9000 --secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw%n");

  /** Picocli's usage width, which the footer keeps to. */
  private static final int WIDTH = 80;

  private SettingsHelp() {}

  static String footer(List<Setting> settings) {
    StringBuilder text =
        new StringBuilder("%nSettings (environment variables; all of them, with the values")
            .append(" they allow,%nin docs/configuration.md):%n");
    for (Setting s : settings) {
      text.append("  ")
          .append(s.name())
          .append(" (default: ")
          .append(literal(s.defaultValue()))
          .append(")%n");
      for (String line : wrap(s.meaning(), WIDTH - 6)) {
        text.append("      ").append(literal(line)).append("%n");
      }
    }
    return text.toString();
  }

  // Picocli's own wrapping breaks a footer line anywhere and does not indent what it carries over.
  private static List<String> wrap(String text, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      if (!line.isEmpty() && line.length() + 1 + word.length() > width) {
        lines.add(line.toString());
        line.setLength(0);
      }
      line.append(line.isEmpty() ? "" : " ").append(word);
    }
    lines.add(line.toString());
    return lines;
  }

  // Picocli formats the footer: a percent sign in the text would be read as a format specifier.
  private static String literal(String text) {
    return text.replace("%", "%%");
  }

  /** A duration as the settings are written: {@code 15s}, {@code 5m}, {@code 500ms}. */
  static String duration(Duration d) {
    long ms = d.toMillis();
    if (ms % 86_400_000 == 0) {
      return ms / 86_400_000 + "d";
    }
    if (ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }

  @SafeVarargs
  private static List<Setting> concat(List<Setting>... parts) {
    List<Setting> all = new ArrayList<>();
    for (List<Setting> part : parts) {
      all.addAll(part);
    }
    return List.copyOf(all);
  }
}
