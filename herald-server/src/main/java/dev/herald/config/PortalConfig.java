package dev.herald.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The customer portal's settings.
 *
 * @param tokenTtl lifetime of app-portal tokens issued without {@code expiry}
 * @param frameAncestors the origins allowed to show the portal in an iframe (CSP {@code
 *     frame-ancestors}); empty: no page may frame it
 */
public record PortalConfig(Duration tokenTtl, List<String> frameAncestors) {
  public static final Duration DEFAULT_TOKEN_TTL = Duration.ofDays(7);

  // An origin (a leading "*." allowed in the host), as frame-ancestors takes it; nothing that
  // could end the directive (";", ",", quotes, spaces).
  private static final Pattern ORIGIN =
      Pattern.compile("https?://(\\*\\.)?[A-Za-z0-9.-]+(:[0-9]{1,5})?");

  public PortalConfig {
    frameAncestors = List.copyOf(frameAncestors);
  }

  public boolean framable() {
    return !frameAncestors.isEmpty();
  }

  static PortalConfig fromEnv(Env env) {
    String ancestors = env.string("HERALD_PORTAL_FRAME_ANCESTORS", "").strip();
    List<String> origins =
        ancestors.isEmpty() ? List.of() : Arrays.asList(ancestors.split("[\\s,]+"));
    for (String o : origins) {
      if (!ORIGIN.matcher(o).matches()) {
        throw new ConfigException(
            "HERALD_PORTAL_FRAME_ANCESTORS: "
                + o
                + " is not an origin; list origins such as https://app.example.com, separated by"
                + " spaces");
      }
    }
    return new PortalConfig(
        env.duration(
            "HERALD_PORTAL_TOKEN_TTL",
            DEFAULT_TOKEN_TTL,
            Duration.ofMinutes(1),
            Duration.ofDays(365)),
        origins);
  }
}
