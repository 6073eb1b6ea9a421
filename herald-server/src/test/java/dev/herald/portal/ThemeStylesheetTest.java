package dev.herald.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.portal.PortalTheme.DarkMode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The portal's colours read at WCAG AA (4.5:1) in both palettes and with any accent an embedding
 * site may pass, including very light and very dark ones (issue #11 point 5, contrast).
 */
class ThemeStylesheetTest {
  private static final Pattern VAR = Pattern.compile("--([a-z-]+):#([0-9a-f]{6});");
  private static final List<String> TEXT = List.of("fg", "muted", "ok", "off", "err", "link");

  private static Map<String, String> vars(String css) {
    Map<String, String> out = new HashMap<>();
    Matcher m = VAR.matcher(css);
    while (m.find()) {
      out.put(m.group(1), m.group(2));
    }
    return out;
  }

  @Test
  void every_text_colour_reads_on_the_page_and_panels_and_on_the_accent() {
    List<String> accents =
        java.util.Arrays.asList(null, "ffeb3b", "ffffff", "000000", "c2185b", "0d1117");
    for (DarkMode mode : List.of(DarkMode.FALSE, DarkMode.TRUE)) {
      for (String accent : accents) {
        Map<String, String> v = vars(ThemeStylesheet.of(new PortalTheme(accent, mode, false)));
        for (String text : TEXT) {
          for (String background : List.of("bg", "soft")) {
            assertThat(ThemeStylesheet.contrast(v.get(text), v.get(background)))
                .as("%s on %s, %s, accent %s", text, background, mode, accent)
                .isGreaterThanOrEqualTo(ThemeStylesheet.MIN_CONTRAST);
          }
        }
        assertThat(ThemeStylesheet.contrast(v.get("on-accent"), v.get("accent")))
            .as("button text on accent %s", accent)
            .isGreaterThanOrEqualTo(ThemeStylesheet.MIN_CONTRAST);
      }
    }
  }

  @Test
  void a_readable_accent_colours_links_and_an_unreadable_one_leaves_them_the_text_colour() {
    Map<String, String> pink =
        vars(ThemeStylesheet.of(new PortalTheme("c2185b", DarkMode.FALSE, false)));
    assertThat(pink.get("link")).isEqualTo("c2185b");
    Map<String, String> yellow =
        vars(ThemeStylesheet.of(new PortalTheme("ffeb3b", DarkMode.FALSE, false)));
    assertThat(yellow.get("link")).isEqualTo(yellow.get("fg"));
    assertThat(yellow.get("on-accent")).isEqualTo("000000");
  }
}
