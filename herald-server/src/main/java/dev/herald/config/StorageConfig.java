package dev.herald.config;

import dev.herald.store.DatabaseSettings;
import java.nio.file.Path;

/**
 * Where the node keeps its data: the data directory (the SQLite file and the main key file) and,
 * when set, the PostgreSQL database shared by a cluster.
 *
 * @param databaseUrl a {@code jdbc:postgresql://} URL, or null for the embedded SQLite file
 */
public record StorageConfig(
    Path dataDir, String databaseUrl, String user, String password, int poolSize) {
  public static final String DEFAULT_DATA_DIR = "./herald-data";
  public static final int DEFAULT_POOL_SIZE = 10;

  static StorageConfig fromEnv(Env env) {
    String databaseUrl = env.string("HERALD_DATABASE_URL", null);
    if (databaseUrl != null && !databaseUrl.startsWith("jdbc:postgresql://")) {
      throw new ConfigException(
          "HERALD_DATABASE_URL="
              + databaseUrl
              + " is not allowed: use jdbc:postgresql://host:port/db,"
              + " or leave it unset for the embedded SQLite database");
    }
    return new StorageConfig(
        Path.of(env.string("HERALD_DATA_DIR", DEFAULT_DATA_DIR)),
        databaseUrl,
        env.string("HERALD_DATABASE_USER", null),
        env.string("HERALD_DATABASE_PASSWORD", null),
        env.integer("HERALD_DATABASE_POOL_SIZE", DEFAULT_POOL_SIZE, 1, 500));
  }

  public DatabaseSettings databaseSettings() {
    return databaseUrl == null
        ? DatabaseSettings.sqlite(dataDir.resolve("herald.db"), poolSize)
        : new DatabaseSettings(databaseUrl, user, password, poolSize);
  }
}
