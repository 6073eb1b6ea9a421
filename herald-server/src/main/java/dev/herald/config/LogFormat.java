package dev.herald.config;

import java.util.Map;

/** How log lines are written ({@code HERALD_LOG_FORMAT}). */
public enum LogFormat {
  /** One readable line per event. */
  TEXT,
  /** One JSON object per line, for log collectors. */
  JSON;

  public static final String SETTING = "HERALD_LOG_FORMAT";

  /**
   * The format the environment asks for, {@link #TEXT} when unset.
   *
   * @throws ConfigException naming the setting when the value is neither {@code text} nor {@code
   *     json}
   */
  public static LogFormat fromEnvironment(Map<String, String> environment) {
    return new Env(environment).choice(SETTING, TEXT, LogFormat.class);
  }
}
