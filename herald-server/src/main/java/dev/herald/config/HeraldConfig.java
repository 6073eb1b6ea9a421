package dev.herald.config;

import dev.herald.delivery.DeliveryConfig;
import dev.herald.store.DatabaseSettings;
import java.util.Map;

/**
 * Every setting of a Herald node, read once from {@code HERALD_*} environment variables and
 * validated at start, grouped by concern (each group reads and checks its own settings).
 * docs/configuration.md lists them; keep the two in step.
 */
public record HeraldConfig(
    HttpConfig http,
    StorageConfig storage,
    KeysConfig keys,
    PortalConfig portal,
    DeliveryConfig delivery,
    java.util.Set<Role> roles,
    RetentionConfig retention,
    MetricsConfig metrics,
    boolean validatePayloads) {

  public static final String DEFAULT_ROLES = "api,worker";

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

  public boolean hasRole(Role role) {
    return roles.contains(role);
  }

  public static HeraldConfig fromEnvironment(Map<String, String> environment) {
    Env env = new Env(environment);
    HttpConfig http = HttpConfig.fromEnv(env);
    StorageConfig storage = StorageConfig.fromEnv(env);
    KeysConfig keys = KeysConfig.fromEnv(env);
    // Logging is set up before this runs (it reads the setting itself); checked here so a typo
    // stops start-up.
    LogFormat.fromEnvironment(environment);
    return new HeraldConfig(
        http,
        storage,
        keys,
        PortalConfig.fromEnv(env),
        DeliveryConfig.fromEnv(env),
        parseRoles(env.string("HERALD_ROLES", DEFAULT_ROLES)),
        RetentionConfig.fromEnv(env),
        MetricsConfig.fromEnv(env),
        env.bool("HERALD_VALIDATE_PAYLOADS", false));
  }

  public DatabaseSettings databaseSettings() {
    return storage.databaseSettings();
  }

  /** The configuration as a log line, secrets masked. */
  public String describe() {
    return "roles="
        + roles
        + ", port="
        + http.port()
        + ", dataDir="
        + storage.dataDir()
        + ", database="
        + (storage.databaseUrl() == null
            ? "sqlite"
            : storage.databaseUrl().replaceAll("password=[^&]*", "password=***"))
        + ", poolSize="
        + storage.poolSize()
        + ", maxPayloadBytes="
        + http.maxPayloadBytes()
        + ", mainSecret="
        + (keys.mainSecret() == null ? "key file" : "***")
        + ", bootstrapApiKey="
        + (keys.bootstrapApiKey() == null ? "unset" : "***")
        + ", requestTimeout="
        + delivery.requestTimeout()
        + ", retrySchedule="
        + delivery.retrySchedule()
        + ", endpointConcurrency="
        + delivery.endpointConcurrency()
        + ", ssrfAllow="
        + delivery.ssrfAllow()
        + ", retention="
        + retention.period()
        + ", metrics="
        + (metrics.port() != null
            ? "port " + metrics.port()
            : metrics.token() != null ? "/metrics with token" : "off")
        + ", validatePayloads="
        + validatePayloads
        + ", httpIdleTimeout="
        + http.idleTimeout();
  }
}
