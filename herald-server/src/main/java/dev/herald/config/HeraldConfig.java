package dev.herald.config;

import dev.herald.delivery.DeliveryConfig;
import dev.herald.store.DatabaseSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Every setting of a Herald node, read once from {@code HERALD_*} environment variables and
 * validated at start. docs/configuration.md lists them; keep the two in step.
 */
public record HeraldConfig(
    String host,
    int port,
    Path dataDir,
    String databaseUrl,
    String databaseUser,
    String databasePassword,
    int databasePoolSize,
    String bootstrapApiKey,
    String mainSecret,
    long maxPayloadBytes,
    String publicUrl,
    PortalConfig portal,
    DeliveryConfig delivery,
    java.util.Set<Role> roles,
    Duration retention,
    Duration retentionInterval,
    String metricsToken,
    Integer metricsPort,
    boolean validatePayloads,
    Duration httpIdleTimeout) {

  public static final int DEFAULT_PORT = 8071;
  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final String DEFAULT_DATA_DIR = "./herald-data";
  public static final String DEFAULT_ROLES = "api,worker";
  public static final int DEFAULT_POOL_SIZE = 10;
  public static final long DEFAULT_MAX_PAYLOAD_BYTES = 1 << 20;

  /** How long a client connection may stay silent, mid-request or idle between requests. */
  public static final Duration DEFAULT_HTTP_IDLE_TIMEOUT = Duration.ofSeconds(30);

  public static final int MIN_BOOTSTRAP_KEY_LENGTH = 16;
  public static final int DEFAULT_RETENTION_DAYS = 90;
  public static final Duration DEFAULT_RETENTION_INTERVAL = Duration.ofMinutes(10);

  static java.util.Set<Role> parseRoles(String text) {
    java.util.EnumSet<Role> roles = java.util.EnumSet.noneOf(Role.class);
    for (String part : text.split(",")) {
      String name = part.trim();
      if (name.isEmpty()) {
        continue;
      }
      try {
        roles.add(Role.valueOf(name.toUpperCase(java.util.Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(
            "HERALD_ROLES=" + text + " is not allowed: use api, worker, or api,worker");
      }
    }
    if (roles.isEmpty()) {
      throw new ConfigException("HERALD_ROLES is empty: use api, worker, or api,worker");
    }
    return java.util.Collections.unmodifiableSet(roles);
  }

  private static String metricsToken(Env env) {
    String token = env.string("HERALD_METRICS_TOKEN", null);
    if (token != null && token.length() < 16) {
      throw new ConfigException("HERALD_METRICS_TOKEN is too short: use at least 16 characters");
    }
    return token;
  }

  public boolean hasRole(Role role) {
    return roles.contains(role);
  }

  public static HeraldConfig fromEnvironment(Map<String, String> environment) {
    Env env = new Env(environment);
    int port = env.integer("HERALD_PORT", DEFAULT_PORT, 0, 65535);
    String databaseUrl = env.string("HERALD_DATABASE_URL", null);
    if (databaseUrl != null && !databaseUrl.startsWith("jdbc:postgresql://")) {
      throw new ConfigException(
          "HERALD_DATABASE_URL="
              + databaseUrl
              + " is not allowed: use jdbc:postgresql://host:port/db,"
              + " or leave it unset for the embedded SQLite database");
    }
    String bootstrapKey = env.string("HERALD_BOOTSTRAP_API_KEY", null);
    if (bootstrapKey != null && bootstrapKey.length() < MIN_BOOTSTRAP_KEY_LENGTH) {
      throw new ConfigException(
          "HERALD_BOOTSTRAP_API_KEY is too short: use at least "
              + MIN_BOOTSTRAP_KEY_LENGTH
              + " characters");
    }
    String mainSecret = env.string("HERALD_MAIN_SECRET", null);
    if (mainSecret != null && mainSecret.length() < 32) {
      throw new ConfigException("HERALD_MAIN_SECRET is too short: use at least 32 characters");
    }
    // Logging is set up before this runs (it reads the setting itself); checked here so a typo
    // stops start-up.
    LogFormat.fromEnvironment(environment);
    String publicUrl = env.string("HERALD_PUBLIC_URL", null);
    if (publicUrl != null && !publicUrl.matches("https?://.+")) {
      throw new ConfigException(
          "HERALD_PUBLIC_URL=" + publicUrl + " is not allowed: use an http(s) URL");
    }
    return new HeraldConfig(
        env.string("HERALD_HOST", DEFAULT_HOST),
        port,
        Path.of(env.string("HERALD_DATA_DIR", DEFAULT_DATA_DIR)),
        databaseUrl,
        env.string("HERALD_DATABASE_USER", null),
        env.string("HERALD_DATABASE_PASSWORD", null),
        env.integer("HERALD_DATABASE_POOL_SIZE", DEFAULT_POOL_SIZE, 1, 500),
        bootstrapKey,
        mainSecret,
        env.bytes("HERALD_MAX_PAYLOAD_SIZE", DEFAULT_MAX_PAYLOAD_BYTES, 1024, 64L << 20),
        publicUrl == null ? null : publicUrl.replaceAll("/+$", ""),
        PortalConfig.fromEnv(env),
        DeliveryConfig.fromEnv(env),
        parseRoles(env.string("HERALD_ROLES", DEFAULT_ROLES)),
        Duration.ofDays(env.integer("HERALD_RETENTION_DAYS", DEFAULT_RETENTION_DAYS, 1, 36_500)),
        env.duration(
            "HERALD_RETENTION_INTERVAL",
            DEFAULT_RETENTION_INTERVAL,
            Duration.ofMillis(100),
            Duration.ofDays(1)),
        metricsToken(env),
        env.string("HERALD_METRICS_PORT", null) == null
            ? null
            : env.integer("HERALD_METRICS_PORT", 0, 0, 65535),
        env.bool("HERALD_VALIDATE_PAYLOADS", false),
        env.duration(
            "HERALD_HTTP_IDLE_TIMEOUT",
            DEFAULT_HTTP_IDLE_TIMEOUT,
            Duration.ofSeconds(1),
            Duration.ofHours(1)));
  }

  public DatabaseSettings databaseSettings() {
    return databaseUrl == null
        ? DatabaseSettings.sqlite(dataDir.resolve("herald.db"), databasePoolSize)
        : new DatabaseSettings(databaseUrl, databaseUser, databasePassword, databasePoolSize);
  }

  /** The configuration as a log line, secrets masked. */
  public String describe() {
    return "roles="
        + roles
        + ", port="
        + port
        + ", dataDir="
        + dataDir
        + ", database="
        + (databaseUrl == null
            ? "sqlite"
            : databaseUrl.replaceAll("password=[^&]*", "password=***"))
        + ", poolSize="
        + databasePoolSize
        + ", maxPayloadBytes="
        + maxPayloadBytes
        + ", mainSecret="
        + (mainSecret == null ? "key file" : "***")
        + ", bootstrapApiKey="
        + (bootstrapApiKey == null ? "unset" : "***")
        + ", requestTimeout="
        + delivery.requestTimeout()
        + ", retrySchedule="
        + delivery.retrySchedule()
        + ", endpointConcurrency="
        + delivery.endpointConcurrency()
        + ", ssrfAllow="
        + delivery.ssrfAllow()
        + ", retention="
        + retention
        + ", metrics="
        + (metricsPort != null
            ? "port " + metricsPort
            : metricsToken != null ? "/metrics with token" : "off")
        + ", validatePayloads="
        + validatePayloads
        + ", httpIdleTimeout="
        + httpIdleTimeout;
  }
}
