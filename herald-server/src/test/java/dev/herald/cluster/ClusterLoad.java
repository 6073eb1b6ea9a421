package dev.herald.cluster;

import dev.herald.testing.Cluster;
import dev.herald.testing.Eventually;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the cluster load tests share: three nodes, each its own JVM, on one PostgreSQL, under load
 * from clients that post to all of them round-robin ({@link Traffic}), deliveries counted at the
 * receivers per endpoint and message ({@link Fleet}), so loss and duplicates are both seen. One
 * test class per fault ({@link ClusterTest}, {@link KilledNodeClusterTest}, {@link
 * RollingRestartClusterTest}, {@link SameEventIdsClusterTest}), so the build's two test JVMs can
 * run them side by side.
 *
 * <p>Size: {@link LoadSize} — a reduced load by default, the full 20,000 messages over 200
 * endpoints with {@code -Pfull-cluster}.
 */
final class ClusterLoad {
  static final int NODES = 3;
  static final int CLIENT_THREADS = 4;
  static final int RECEIVERS = 4;
  static final int ENDPOINT_CONCURRENCY = 10;
  static final int MAX_IN_FLIGHT = 1000;

  /** Receivers answer after this long, so deliveries are really in flight when a node dies. */
  static final Duration RECEIVER_DELAY = Duration.ofMillis(20);

  static final Duration DRAIN_DEADLINE = Duration.ofSeconds(30);

  private ClusterLoad() {}

  static Map<String, String> nodeSettings() {
    Map<String, String> s = new HashMap<>();
    s.put("HERALD_SSRF_ALLOW", "127.0.0.0/8");
    s.put("HERALD_POLL_INTERVAL", "100ms");
    s.put("HERALD_REQUEST_TIMEOUT", "2s");
    s.put("HERALD_ENDPOINT_CONCURRENCY", Integer.toString(ENDPOINT_CONCURRENCY));
    s.put("HERALD_MAX_IN_FLIGHT", Integer.toString(MAX_IN_FLIGHT));
    return s;
  }

  /** Waits until no delivery is pending or leased: nothing more can be sent. */
  static void awaitSettled(Cluster cluster, Duration deadline) {
    try {
      Eventually.await(
          "every delivery settled",
          () ->
              cluster.queryLong(
                  "SELECT COUNT(*) FROM delivery WHERE status = 1 OR lease_owner IS NOT NULL"),
          n -> n == 0,
          deadline);
    } catch (AssertionError e) {
      throw new AssertionError(
          e.getMessage() + "; unsettled: " + cluster.describeUnsettledDeliveries(), e);
    }
  }

  /** What the database recorded for duplicated deliveries, and the nodes' last words. */
  static String explain(Cluster cluster, Fleet fleet, Fleet.Tally tally) {
    if (tally.duplicateSample().isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder("\n");
    for (String pair : tally.duplicateSample()) {
      out.append(pair)
          .append(" arrived at ")
          .append(fleet.arrivals(pair))
          .append('\n')
          .append(cluster.describeAttempts(pair.substring(pair.indexOf(' ') + 1)))
          .append('\n');
    }
    return out.append(cluster.logTails()).toString();
  }

  static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }
}
