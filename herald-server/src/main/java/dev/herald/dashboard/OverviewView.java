package dev.herald.dashboard;

import java.util.List;

/** The overview page: the chosen range and the live tiles. */
public record OverviewView(Frame frame, String range, Activity.Live live) {
  public static final List<String> RANGES = List.of("1h", "24h", "7d");

  public long due() {
    return live.due();
  }

  /** The oldest due delivery's wait, for people: "0 s", "42 s", "3 min", "2 h". */
  public String oldestDue() {
    long s = live.oldestDueSeconds();
    return s < 120 ? s + " s" : s < 7200 ? s / 60 + " min" : s / 3600 + " h";
  }
}
