package dev.herald.dashboard;

import dev.herald.id.IdPrefix;
import dev.herald.id.Ids;
import dev.herald.store.ActivityStore;
import dev.herald.store.ActivityStore.AttemptCount;
import dev.herald.store.ActivityStore.MessageCount;
import dev.herald.store.Database;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** The overview's numbers for one org: per-bucket series over a range, and the due backlog. */
final class Activity {

  /** A chart range and the width of its buckets (about 60 to 100 points each). */
  enum Range {
    HOUR("1h", Duration.ofHours(1), Duration.ofMinutes(1)),
    DAY("24h", Duration.ofHours(24), Duration.ofMinutes(15)),
    WEEK("7d", Duration.ofDays(7), Duration.ofHours(2));

    final String name;
    final Duration span;
    final Duration bucket;

    Range(String name, Duration span, Duration bucket) {
      this.name = name;
      this.span = span;
      this.bucket = bucket;
    }

    static Range named(String name) {
      return Arrays.stream(values()).filter(r -> r.name.equals(name)).findFirst().orElse(HOUR);
    }
  }

  private final Database db;
  private final ActivityStore store = new ActivityStore();
  private final InstantSource clock;

  Activity(Database db, InstantSource clock) {
    this.db = db;
    this.clock = clock;
  }

  /** The series as the charts read them: times in epoch seconds, rates per second. */
  Map<String, Object> series(String orgId, Range range) {
    long bucket = range.bucket.toMillis();
    // Buckets aligned to their width, so a refresh moves the chart by whole buckets.
    long end = (clock.millis() / bucket + 1) * bucket;
    int n = (int) (range.span.toMillis() / bucket);
    long from = end - n * bucket;
    var messages =
        db.read(
            sql ->
                store.messages(sql, orgId, Ids.lowerBound(IdPrefix.MESSAGE, from), from, bucket));
    var attempts =
        db.read(
            sql ->
                store.attempts(sql, orgId, Ids.lowerBound(IdPrefix.ATTEMPT, from), from, bucket));
    long[] accepted = new long[n];
    long[][] outcomes = new long[3][n];
    int classes = ActivityStore.LATENCY_BOUNDS_MS.length + 1;
    long[][] latency = new long[n][classes];
    for (MessageCount m : messages) {
      if (m.bucket() >= 0 && m.bucket() < n) {
        accepted[m.bucket()] += m.count();
      }
    }
    for (AttemptCount a : attempts) {
      if (a.bucket() >= 0 && a.bucket() < n) {
        outcomes[a.outcome()][a.bucket()] += a.count();
        if (a.latencyClass() >= 0) {
          latency[a.bucket()][a.latencyClass()] += a.count();
        }
      }
    }
    double seconds = bucket / 1000.0;
    long[] t = new long[n];
    Double[] successRate = new Double[n];
    Long[] p95 = new Long[n];
    for (int i = 0; i < n; i++) {
      t[i] = (from + i * bucket) / 1000;
      long all = outcomes[0][i] + outcomes[1][i] + outcomes[2][i];
      successRate[i] = all == 0 ? null : 100.0 * outcomes[0][i] / all;
      p95[i] = percentile95(latency[i]);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("range", range.name);
    out.put("bucketSeconds", bucket / 1000);
    out.put("t", t);
    out.put("accepted", perSecond(accepted, seconds));
    out.put("delivered", perSecond(outcomes[0], seconds));
    out.put("errorStatus", perSecond(outcomes[1], seconds));
    out.put("noAnswer", perSecond(outcomes[2], seconds));
    out.put("successRate", successRate);
    out.put("p95Ms", p95);
    return out;
  }

  /** Due deliveries now and how long the oldest has waited. */
  Live live(String orgId) {
    long now = clock.millis();
    var b = db.read(sql -> store.backlog(sql, orgId, now));
    return new Live(
        b.due(), b.oldestDueAt() == null ? 0 : Math.max(0, now - b.oldestDueAt()) / 1000);
  }

  /** The live tiles: due deliveries and the age in seconds of the oldest. */
  record Live(long due, long oldestDueSeconds) {}

  /** The upper bound of the class holding the 95th percentile, or null with no deliveries. */
  static Long percentile95(long[] classes) {
    long total = Arrays.stream(classes).sum();
    if (total == 0) {
      return null;
    }
    long rank = (long) Math.ceil(total * 0.95);
    long seen = 0;
    long[] bounds = ActivityStore.LATENCY_BOUNDS_MS;
    for (int i = 0; i < classes.length; i++) {
      seen += classes[i];
      if (seen >= rank) {
        return i < bounds.length ? bounds[i] : bounds[bounds.length - 1] * 2;
      }
    }
    return bounds[bounds.length - 1] * 2;
  }

  private static double[] perSecond(long[] counts, double seconds) {
    double[] out = new double[counts.length];
    for (int i = 0; i < counts.length; i++) {
      out[i] = Math.round(counts[i] / seconds * 1000) / 1000.0;
    }
    return out;
  }
}
