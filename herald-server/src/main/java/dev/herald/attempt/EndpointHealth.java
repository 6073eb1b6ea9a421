package dev.herald.attempt;

import dev.herald.delivery.Attempt;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An endpoint's last 24 hours of attempts, as the portal shows them: success per hour (oldest
 * first), the success rate, latency percentiles and the last failure.
 *
 * @param hours one entry per hour of the window, oldest first
 * @param sampled how many of the newest attempts the percentiles were computed from
 * @param p50Ms median duration of those attempts, or null when there were none
 */
public record EndpointHealth(
    List<Hour> hours, int sampled, Long p50Ms, Long p95Ms, Optional<Attempt> lastFailure) {

  public static final int HOURS = 24;

  /** The attempts of one hour and how many of them succeeded. */
  public record Hour(long attempts, long succeeded) {
    /** The success share, 0..1, or -1 for an hour without attempts. */
    public double rate() {
      return attempts == 0 ? -1 : (double) succeeded / attempts;
    }
  }

  public EndpointHealth {
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

  /** Nearest-rank percentile {@code p} (0..100) of the durations, or null when there are none. */
  static Long percentile(List<Long> durations, int p) {
    if (durations.isEmpty()) {
      return null;
    }
    List<Long> sorted = new ArrayList<>(durations);
    sorted.sort(null);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }
}
