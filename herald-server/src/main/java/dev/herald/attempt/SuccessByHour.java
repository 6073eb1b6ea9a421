package dev.herald.attempt;

import java.util.List;

/**
 * An endpoint's attempts per hour over the last day, oldest hour first, and how many succeeded.
 *
 * @param hours one entry per hour of the window, oldest first
 */
public record SuccessByHour(List<Hour> hours) {
  public static final int HOURS = 24;

  /** The attempts of one hour and how many of them succeeded. */
  public record Hour(long attempts, long succeeded) {
    /** The success share, 0..1, or -1 for an hour without attempts. */
    public double rate() {
      return attempts == 0 ? -1 : (double) succeeded / attempts;
    }
  }

  public SuccessByHour {
    hours = List.copyOf(hours);
  }

  public long attempts() {
    return hours.stream().mapToLong(Hour::attempts).sum();
  }

  public long succeeded() {
    return hours.stream().mapToLong(Hour::succeeded).sum();
  }

  /** The window's success share as a whole percentage, or null without attempts. */
  public Long successPercent() {
    long n = attempts();
    return n == 0 ? null : Math.round(100.0 * succeeded() / n);
  }
}
