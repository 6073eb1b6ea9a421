package dev.herald.config;

import java.time.Duration;

/**
 * How the node serves HTTP.
 *
 * @param publicUrl the URL Herald is reached at, for links it hands out; null: {@code
 *     http://localhost:<port>}
 * @param idleTimeout how long a client connection may stay silent, mid-request or between requests
 */
public record HttpConfig(
    String host, int port, long maxPayloadBytes, String publicUrl, Duration idleTimeout) {
  public static final int DEFAULT_PORT = 8071;
  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final long DEFAULT_MAX_PAYLOAD_BYTES = 1 << 20;
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

  static HttpConfig fromEnv(Env env) {
    String publicUrl = env.string("HERALD_PUBLIC_URL", null);
    if (publicUrl != null && !publicUrl.matches("https?://.+")) {
      throw new ConfigException(
          "HERALD_PUBLIC_URL=" + publicUrl + " is not allowed: use an http(s) URL");
    }
    return new HttpConfig(
        env.string("HERALD_HOST", DEFAULT_HOST),
        env.integer("HERALD_PORT", DEFAULT_PORT, 0, 65535),
        env.bytes("HERALD_MAX_PAYLOAD_SIZE", DEFAULT_MAX_PAYLOAD_BYTES, 1024, 64L << 20),
        publicUrl == null ? null : publicUrl.replaceAll("/+$", ""),
        env.duration(
            "HERALD_HTTP_IDLE_TIMEOUT",
            DEFAULT_IDLE_TIMEOUT,
            Duration.ofSeconds(1),
            Duration.ofHours(1)));
  }
}
