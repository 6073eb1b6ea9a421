package dev.herald.portal;

/** The CSS variables of a {@link PortalTheme}; portal.css uses only these for its colours. */
final class ThemeStylesheet {
  private static final String LIGHT =
      "--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--bg:#ffffff;--soft:#f6f8fa;"
          + "--ok:#116329;--off:#8a4600;--err:#a40e26;";
  // Contrast checked against --bg: every text colour is at least 4.5:1 (WCAG AA).
  private static final String DARK =
      "--fg:#e6edf3;--muted:#9da7b3;--line:#3d444d;--bg:#0d1117;--soft:#161b22;"
          + "--ok:#56d364;--off:#e3b341;--err:#ff7b72;";
  private static final String DEFAULT_ACCENT_LIGHT = "0b5cad";
  private static final String DEFAULT_ACCENT_DARK = "58a6ff";

  private ThemeStylesheet() {}

  static String of(PortalTheme theme) {
    String light = LIGHT + accent(theme.accent(), DEFAULT_ACCENT_LIGHT);
    String dark = DARK + accent(theme.accent(), DEFAULT_ACCENT_DARK) + "color-scheme:dark;";
    return switch (theme.darkMode()) {
      case FALSE -> ":root{" + light + "}\n";
      case TRUE -> ":root{" + dark + "}\n";
      case AUTO ->
          ":root{" + light + "}\n@media (prefers-color-scheme: dark){:root{" + dark + "}}\n";
    };
  }

  /** The accent and the text colour that reads on it (white on dark accents, black on light). */
  private static String accent(String hex, String fallback) {
    String a = hex == null ? fallback : hex;
    int r = Integer.parseInt(a.substring(0, 2), 16);
    int g = Integer.parseInt(a.substring(2, 4), 16);
    int b = Integer.parseInt(a.substring(4, 6), 16);
    double luminance = (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    return "--accent:#" + a + ";--on-accent:" + (luminance > 0.55 ? "#000000" : "#ffffff") + ";";
  }
}
