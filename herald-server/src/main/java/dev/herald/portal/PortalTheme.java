package dev.herald.portal;

import io.javalin.http.Context;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How an embedding application wants the portal to look: an accent colour, light, dark or the
 * reader's system setting, and whether the portal's own navigation is hidden (the host page has its
 * own). Given as URL parameters on the link or any page ({@code accent=0b5cad}, {@code
 * darkMode=auto}, {@code hideNavigation=true}) and kept in a cookie for the pages after.
 *
 * @param accent six hex digits without {@code #}, or null for the portal's own blue
 */
public record PortalTheme(String accent, DarkMode darkMode, boolean hideNavigation) {
  static final String COOKIE = "herald_portal_theme";
  public static final PortalTheme DEFAULT = new PortalTheme(null, DarkMode.FALSE, false);
  private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{6}");

  /** {@code darkMode}: always light, always dark, or follow the reader's system setting. */
  public enum DarkMode {
    FALSE,
    TRUE,
    AUTO;

    static DarkMode parse(String s) {
      return switch (s == null ? "" : s.strip().toLowerCase(Locale.ROOT)) {
        case "true", "1", "dark" -> TRUE;
        case "auto", "system" -> AUTO;
        default -> FALSE;
      };
    }

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public PortalTheme {
    accent =
        accent == null || !HEX.matcher(accent.strip().replace("#", "")).matches()
            ? null
            : accent.strip().replace("#", "").toLowerCase(Locale.ROOT);
    darkMode = darkMode == null ? DarkMode.FALSE : darkMode;
  }

  /** True when the request names any theme parameter (it then replaces the remembered theme). */
  static boolean named(Context ctx) {
    return ctx.queryParam("accent") != null
        || ctx.queryParam("primaryColor") != null
        || ctx.queryParam("darkMode") != null
        || ctx.queryParam("hideNavigation") != null;
  }

  /** The theme the request's parameters name (Svix's {@code primaryColor} is read as accent). */
  static PortalTheme fromQuery(Context ctx) {
    String accent = ctx.queryParam("accent");
    return new PortalTheme(
        accent != null ? accent : ctx.queryParam("primaryColor"),
        DarkMode.parse(ctx.queryParam("darkMode")),
        flag(ctx.queryParam("hideNavigation")));
  }

  /** The theme for this request: its parameters if it names any, else the remembered one. */
  static PortalTheme of(Context ctx) {
    if (named(ctx)) {
      return fromQuery(ctx);
    }
    String c = ctx.cookie(COOKIE);
    if (c == null) {
      return DEFAULT;
    }
    try {
      return parseCookie(URLDecoder.decode(c, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      // A cookie this portal did not write (another subdomain's, say) must not lock pages out.
      return DEFAULT;
    }
  }

  private static boolean flag(String s) {
    return s != null && (s.isEmpty() || s.equalsIgnoreCase("true") || s.equals("1"));
  }

  String cookieValue() {
    return URLEncoder.encode(
        (accent == null ? "" : accent) + "|" + darkMode.wire() + "|" + hideNavigation,
        StandardCharsets.UTF_8);
  }

  private static PortalTheme parseCookie(String value) {
    String[] parts = value.split("\\|", -1);
    if (parts.length != 3) {
      return DEFAULT;
    }
    return new PortalTheme(parts[0], DarkMode.parse(parts[1]), Boolean.parseBoolean(parts[2]));
  }

  /** The query string of the theme stylesheet, so each theme is its own cacheable resource. */
  public String stylesheetQuery() {
    return "accent=" + (accent == null ? "" : accent) + "&darkMode=" + darkMode.wire();
  }
}
