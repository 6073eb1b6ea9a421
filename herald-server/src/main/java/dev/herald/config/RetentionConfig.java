package dev.herald.config;

import java.time.Duration;

/**
 * How long message content and attempts are kept, and how often the retention job runs.
 *
 * @param period how long rows are kept
 */
public record RetentionConfig(Duration period, Duration interval) {
  public static final int DEFAULT_DAYS = 90;
  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(10);

  static RetentionConfig fromEnv(Env env) {
    return new RetentionConfig(
        Duration.ofDays(env.integer("HERALD_RETENTION_DAYS", DEFAULT_DAYS, 1, 36_500)),
        env.duration(
            "HERALD_RETENTION_INTERVAL",
            DEFAULT_INTERVAL,
            Duration.ofMillis(100),
            Duration.ofDays(1)));
  }
}
