package dev.herald.incoming;

import java.time.Duration;
import java.util.List;

/**
 * How duplicates are recognised: the values of {@code key} (expressions, see {@code Extract}), else
 * the provider's delivery id, else the body's SHA-256; a key seen within {@code windowSeconds} is a
 * duplicate.
 */
public record DedupeRule(boolean enabled, List<String> key, long windowSeconds) {
  public static final long DEFAULT_WINDOW_SECONDS = Duration.ofDays(7).toSeconds();
  public static final long MAX_WINDOW_SECONDS = Duration.ofDays(30).toSeconds();
  public static final int MAX_KEYS = 5;
  public static final DedupeRule DEFAULT = new DedupeRule(true, List.of(), DEFAULT_WINDOW_SECONDS);

  public DedupeRule {
    key = key == null ? List.of() : List.copyOf(key);
  }
}
