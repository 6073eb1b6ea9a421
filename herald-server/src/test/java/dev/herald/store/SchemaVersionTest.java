package dev.herald.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.testing.Backend;
import dev.herald.testing.TestDatabases;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A node skips Flyway when the schema is already current ({@code Database.migrate}): the check must
 * say "current" only for a history of exactly the migrations this build carries, all successful,
 * and the build's numbers must follow the migration files.
 */
class SchemaVersionTest {
  private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__.*\\.sql");

  @Test
  void the_schema_version_and_count_are_those_of_each_dialects_migration_files() throws Exception {
    for (String dialect : List.of("sqlite", "postgresql")) {
      List<Integer> versions = versionsIn(dialect);
      String why =
          dialect
              + "'s migration files: a new migration must also raise Database.MIGRATIONS and"
              + " Database.SCHEMA_VERSION, or restarts would skip it";
      assertThat(versions).as(why).hasSize(Database.MIGRATIONS);
      assertThat(versions.stream().mapToInt(Integer::intValue).max().orElseThrow())
          .as(why)
          .isEqualTo(Database.SCHEMA_VERSION);
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void the_schema_is_current_only_with_every_migration_applied_and_none_failed(Backend backend)
      throws Exception {
    TestDatabases.Storage storage = TestDatabases.create(backend);
    try {
      DatabaseSettings settings = storage.databaseSettings();
      assertThat(current(settings)).as("a new database, no history").isFalse();

      Flyway.configure()
          .dataSource(settings.jdbcUrl(), settings.user(), settings.password())
          .locations(settings.dialect().migrationLocation())
          .target(String.valueOf(Database.SCHEMA_VERSION - 1))
          .load()
          .migrate();
      assertThat(current(settings)).as("one migration behind").isFalse();

      Database.open(settings).close();
      assertThat(current(settings)).as("opened once: migrated").isTrue();
      // A second open does not start Flyway: Flyway's validation would refuse the altered
      // checksum of V1 below, and the open succeeds.
      execute(
          settings, "UPDATE flyway_schema_history SET checksum = checksum + 1 WHERE version = '1'");
      try (Database db = Database.open(settings)) {
        long deliveries = db.read(sql -> sql.queryLong("SELECT COUNT(*) FROM delivery"));
        assertThat(deliveries).isZero();
      }

      execute(
          settings,
          "UPDATE flyway_schema_history SET success = "
              + (backend == Backend.SQLITE ? "0" : "false")
              + " WHERE version = '"
              + Database.SCHEMA_VERSION
              + "'");
      assertThat(current(settings)).as("the newest migration failed").isFalse();
      assertThatThrownBy(() -> Database.open(settings).close())
          .as("a failed migration goes to Flyway, which refuses it")
          .isInstanceOf(FlywayException.class);
    } finally {
      storage.delete();
    }
  }

  private static boolean current(DatabaseSettings settings) throws SQLException {
    try (Connection c =
        DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password())) {
      c.setAutoCommit(false);
      return Database.schemaCurrent(c);
    }
  }

  private static void execute(DatabaseSettings settings, String statement) throws SQLException {
    try (Connection c =
            DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password());
        var s = c.createStatement()) {
      s.executeUpdate(statement);
    }
  }

  private static List<Integer> versionsIn(String dialect) throws Exception {
    Path dir = resourceDir("/db/migration/" + dialect);
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(f -> VERSIONED.matcher(f.getFileName().toString()))
          .filter(Matcher::matches)
          .map(m -> Integer.parseInt(m.group(1)))
          .toList();
    }
  }

  private static Path resourceDir(String name) throws URISyntaxException {
    return Path.of(SchemaVersionTest.class.getResource(name).toURI());
  }
}
