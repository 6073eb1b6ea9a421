package dev.herald.attempt;

import dev.herald.delivery.Attempt;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An endpoint's last 24 hours of attempts, as the portal's overview shows them: success per hour,
 * latency percentiles and the last failure.
 *
 * @param sampled how many of the newest attempts the percentiles were computed from
 * @param p50Ms median duration of those attempts, or null when there were none
 */
public record EndpointHealth(
    SuccessByHour day, int sampled, Long p50Ms, Long p95Ms, Optional<Attempt> lastFailure) {

  public long attempts() {
    return day.attempts();
  }

  public Long successPercent() {
    return day.successPercent();
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
