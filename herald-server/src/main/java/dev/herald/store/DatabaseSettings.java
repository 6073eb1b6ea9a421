package dev.herald.store;

import java.nio.file.Path;

/** Where the data lives: a SQLite file (the default) or a PostgreSQL server. */
public record DatabaseSettings(String jdbcUrl, String user, String password, int poolSize) {

  public DatabaseSettings {
    if (!jdbcUrl.startsWith("jdbc:sqlite:") && !jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("unsupported JDBC URL " + jdbcUrl);
    }
    if (poolSize < 1) {
      throw new IllegalArgumentException("poolSize must be at least 1, was " + poolSize);
    }
  }

  public static DatabaseSettings sqlite(Path file, int poolSize) {
    return new DatabaseSettings("jdbc:sqlite:" + file.toAbsolutePath(), null, null, poolSize);
  }

  /** The SQLite database file, when this is SQLite. */
  public java.util.Optional<Path> sqliteFile() {
    return jdbcUrl.startsWith("jdbc:sqlite:")
        ? java.util.Optional.of(Path.of(jdbcUrl.substring("jdbc:sqlite:".length())))
        : java.util.Optional.empty();
  }

  public Dialect dialect() {
    return jdbcUrl.startsWith("jdbc:sqlite:") ? new SqliteDialect() : new PostgresDialect();
  }
}
