package dev.herald.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Typed, validated reads of {@code HERALD_*} settings. Every failure names the setting. */
public final class Env {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
  private static final Pattern SIZE = Pattern.compile("(\\d+)(B|KiB|MiB|GiB)?");

  private final Map<String, String> values;

  public Env(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  public String string(String name, String defaultValue) {
    String v = values.get(name);
    return v == null || v.isBlank() ? defaultValue : v.trim();
  }

  public int integer(String name, int defaultValue, int min, int max) {
    String v = string(name, null);
    if (v == null) {
      return defaultValue;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < min || n > max) {
        throw new ConfigException(name + "=" + v + " is out of range: allowed " + min + ".." + max);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ConfigException(
          name + "=" + v + " is not an integer (allowed " + min + ".." + max + ")");
    }
  }

  public Duration duration(String name, Duration defaultValue, Duration min, Duration max) {
    String v = string(name, null);
    if (v == null) {
      return defaultValue;
    }
    Duration d = parseDuration(name, v);
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw new ConfigException(name + "=" + v + " is out of range: allowed " + min + ".." + max);
    }
    return d;
  }

  /** Parses {@code 500ms}, {@code 5s}, {@code 5m}, {@code 2h}, {@code 5d}. */
  public static Duration parseDuration(String name, String text) {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      throw new ConfigException(
          name + "=" + text + " is not a duration: write a number with ms, s, m, h or d, e.g. 15s");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  /** Parses a byte size: {@code 1048576}, {@code 512KiB}, {@code 1MiB}. */
  public long bytes(String name, long defaultValue, long min, long max) {
    String v = string(name, null);
    if (v == null) {
      return defaultValue;
    }
    Matcher m = SIZE.matcher(v);
    if (!m.matches()) {
      throw new ConfigException(
          name + "=" + v + " is not a size: write bytes, or a number with KiB, MiB or GiB");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "B" : m.group(2);
    long size =
        switch (unit) {
          case "KiB" -> n << 10;
          case "MiB" -> n << 20;
          case "GiB" -> n << 30;
          default -> n;
        };
    if (size < min || size > max) {
      throw new ConfigException(
          name + "=" + v + " is out of range: allowed " + min + ".." + max + " bytes");
    }
    return size;
  }

  /** {@code true} or {@code false} (any case); anything else stops start-up naming the setting. */
  public boolean bool(String name, boolean defaultValue) {
    String text = string(name, null);
    if (text == null) {
      return defaultValue;
    }
    return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new ConfigException(name + "=" + text + " is not allowed: use true or false");
    };
  }

  public <E extends Enum<E>> E choice(String name, E defaultValue, Class<E> type) {
    String v = string(name, null);
    if (v == null) {
      return defaultValue;
    }
    try {
      return Enum.valueOf(type, v.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      StringBuilder allowed = new StringBuilder();
      for (E c : type.getEnumConstants()) {
        allowed.append(allowed.isEmpty() ? "" : ", ").append(c.name().toLowerCase(Locale.ROOT));
      }
      throw new ConfigException(name + "=" + v + " is not allowed: use one of " + allowed);
    }
  }
}
