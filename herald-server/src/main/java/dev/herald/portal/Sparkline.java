package dev.herald.portal;

import dev.herald.attempt.SuccessByHour;
import java.util.ArrayList;
import java.util.List;

/**
 * 24 bars, one per hour, drawn as inline SVG by the templates (no script, no inline style): a bar's
 * height is the hour's success share, its class says how healthy it was.
 */
public record Sparkline(List<Bar> bars, String label) {
  static final int WIDTH = 120;
  static final int HEIGHT = 24;
  private static final int BAR = WIDTH / SuccessByHour.HOURS;

  /** A bar: position and size in the SVG's user units, class {@code ok}, {@code mixed}, … */
  public record Bar(int x, int y, int height, String cls) {}

  public Sparkline {
    bars = List.copyOf(bars);
  }

  static Sparkline of(SuccessByHour day) {
    List<Bar> bars = new ArrayList<>();
    List<SuccessByHour.Hour> hours = day.hours();
    for (int i = 0; i < hours.size(); i++) {
      double rate = hours.get(i).rate();
      int h = rate < 0 ? 2 : Math.max(2, (int) Math.round(rate * HEIGHT));
      String cls = rate < 0 ? "none" : rate >= 0.99 ? "ok" : rate >= 0.5 ? "mixed" : "bad";
      // A failing hour is drawn full height in the failure colour, so it stands out.
      if (cls.equals("bad")) {
        h = HEIGHT;
      }
      bars.add(new Bar(i * BAR, HEIGHT - h, h, cls));
    }
    Long pct = day.successPercent();
    String label =
        pct == null
            ? "No attempts in the last 24 hours"
            : pct + "% of " + day.attempts() + " attempts succeeded in the last 24 hours";
    return new Sparkline(bars, label);
  }

  public int width() {
    return WIDTH;
  }

  public int height() {
    return HEIGHT;
  }

  public int barWidth() {
    return BAR - 1;
  }
}
