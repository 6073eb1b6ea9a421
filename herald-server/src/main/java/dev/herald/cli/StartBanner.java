package dev.herald.cli;

import dev.herald.Herald;
import dev.herald.Version;
import dev.herald.config.HeraldConfig;
import dev.herald.config.Role;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What {@code serve} prints on standard output once the node is up: where to point a browser and a
 * client, where the data lives, and where the admin key is. The log line beside it is for machines;
 * this is for the person who just started Herald.
 */
final class StartBanner {
  private StartBanner() {}

  static String text(Herald herald) {
    HeraldConfig config = herald.config();
    String url = herald.publicUrl();
    StringBuilder b = new StringBuilder("\n");
    b.append("  Herald ")
        .append(Version.current())
        .append(" is running (")
        .append(herald.nodeId())
        .append(", roles ")
        .append(roles(config))
        .append(").\n\n");
    if (config.hasRole(Role.API)) {
      row(b, "API", url + "/api/v1");
      row(b, "API docs", url + "/docs (open it in a browser)");
      row(b, "Dashboard", url + "/dashboard (sign in with an org API key)");
    } else {
      row(
          b,
          "API",
          "not served here (HERALD_ROLES has no api); health at " + url + "/api/v1/health");
    }
    Path dataDir = config.storage().dataDir().toAbsolutePath().normalize();
    row(b, "Data", dataDir.toString());
    row(
        b,
        "Database",
        config
            .databaseSettings()
            .sqliteFile()
            .map(file -> "SQLite, " + file.normalize())
            .orElseGet(
                () ->
                    "PostgreSQL, "
                        + config
                            .storage()
                            .databaseUrl()
                            .replaceAll("password=[^&]*", "password=***")));
    row(b, "Admin key", adminKey(herald));
    b.append(generatedKey(herald));
    b.append(
        "\n  Stop with Ctrl-C (SIGINT) or SIGTERM: Herald finishes the deliveries in flight first.\n");
    return b.toString();
  }

  /** The admin key generated on this start, shown once; empty when none was. */
  static String generatedKey(Herald herald) {
    return herald
        .generatedAdminKey()
        .map(
            key ->
                "\n  Herald created the admin API key for this installation. It is shown only"
                    + " once:\n\n    "
                    + key
                    + "\n")
        .orElse("");
  }

  private static String adminKey(Herald herald) {
    if (herald.generatedAdminKey().isPresent()) {
      return "created now, shown once below; keep it (it is stored only as a hash)";
    }
    if (herald.config().keys().bootstrapApiKey() != null) {
      return "the value of HERALD_BOOTSTRAP_API_KEY";
    }
    return "created and shown once at the first start on this database;"
        + " `herald create-org <name>` makes another org with its own key";
  }

  private static String roles(HeraldConfig config) {
    return config.roles().stream()
        .map(r -> r.name().toLowerCase(Locale.ROOT))
        .collect(Collectors.joining(","));
  }

  private static void row(StringBuilder b, String label, String value) {
    b.append("    ")
        .append(label)
        .append(" ".repeat(11 - label.length()))
        .append(value)
        .append('\n');
  }
}
