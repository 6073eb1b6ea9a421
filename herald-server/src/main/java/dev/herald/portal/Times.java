package dev.herald.portal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How the portal shows times: UTC, to the second, the same on every page. */
public final class Times {
  private static final DateTimeFormatter SHOWN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private Times() {}

  public static String shown(Instant t) {
    return t == null ? "" : SHOWN.format(t);
  }

  /** The machine-readable form for {@code <time datetime>}. */
  public static String iso(Instant t) {
    return t == null ? "" : t.toString();
  }
}
