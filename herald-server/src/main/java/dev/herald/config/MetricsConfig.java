package dev.herald.config;

/**
 * Where Prometheus metrics are served: on a port of their own, or at {@code /metrics} behind a
 * token, or not at all.
 *
 * @param token the bearer token {@code /metrics} needs on the API port, or null
 * @param port a separate port for {@code /metrics}, or null
 */
public record MetricsConfig(String token, Integer port) {

  static MetricsConfig fromEnv(Env env) {
    String token = env.string("HERALD_METRICS_TOKEN", null);
    if (token != null && token.length() < 16) {
      throw new ConfigException("HERALD_METRICS_TOKEN is too short: use at least 16 characters");
    }
    return new MetricsConfig(
        token,
        env.string("HERALD_METRICS_PORT", null) == null
            ? null
            : env.integer("HERALD_METRICS_PORT", 0, 0, 65535));
  }

  public boolean enabled() {
    return port != null || token != null;
  }
}
