package dev.herald.portal;

/**
 * The CSS variables of a {@link PortalTheme}; portal.css takes its colours only from these. Every
 * text colour reads at WCAG AA (4.5:1) on the page and the soft panels, whatever accent is chosen:
 * the accent colours text ({@code --link}) only where it reads, otherwise text keeps the page's
 * colour and the accent marks borders and buttons.
 */
final class ThemeStylesheet {
  static final double MIN_CONTRAST = 4.5;

  private record Palette(
      String fg,
      String muted,
      String line,
      String bg,
      String soft,
      String ok,
      String off,
      String err,
      String accent) {
    String css(String accentHex) {
      String a = accentHex == null ? accent : accentHex;
      String onAccent = contrast(a, "ffffff") >= contrast(a, "000000") ? "ffffff" : "000000";
      boolean readable = Math.min(contrast(a, bg), contrast(a, soft)) >= MIN_CONTRAST;
      return "--fg:#%s;--muted:#%s;--line:#%s;--bg:#%s;--soft:#%s;--ok:#%s;--off:#%s;--err:#%s;"
              .formatted(fg, muted, line, bg, soft, ok, off, err)
          + "--accent:#%s;--on-accent:#%s;--link:#%s;".formatted(a, onAccent, readable ? a : fg);
    }
  }

  private static final Palette LIGHT =
      new Palette(
          "1b1f24", "57606a", "d0d7de", "ffffff", "f6f8fa", "116329", "8a4600", "a40e26", "0b5cad");
  private static final Palette DARK =
      new Palette(
          "e6edf3", "9da7b3", "3d444d", "0d1117", "161b22", "56d364", "e3b341", "ff7b72", "58a6ff");

  private ThemeStylesheet() {}

  static String of(PortalTheme theme) {
    String light = LIGHT.css(theme.accent());
    String dark = DARK.css(theme.accent()) + "color-scheme:dark;";
    return switch (theme.darkMode()) {
      case FALSE -> ":root{" + light + "}\n";
      case TRUE -> ":root{" + dark + "}\n";
      case AUTO ->
          ":root{" + light + "}\n@media (prefers-color-scheme: dark){:root{" + dark + "}}\n";
    };
  }

  /** The WCAG contrast ratio of two colours given as six hex digits. */
  static double contrast(String a, String b) {
    double la = luminance(a);
    double lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }

  private static double luminance(String hex) {
    double sum = 0;
    double[] weights = {0.2126, 0.7152, 0.0722};
    for (int i = 0; i < 3; i++) {
      double c = Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16) / 255.0;
      sum += weights[i] * (c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4));
    }
    return sum;
  }
}
