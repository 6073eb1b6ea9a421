package dev.herald.cluster;

import static dev.herald.cluster.ClusterLoad.CLIENT_THREADS;
import static dev.herald.cluster.ClusterLoad.NODES;
import static dev.herald.cluster.ClusterLoad.RECEIVERS;
import static dev.herald.cluster.ClusterLoad.RECEIVER_DELAY;
import static dev.herald.cluster.ClusterLoad.awaitSettled;
import static dev.herald.cluster.ClusterLoad.explain;
import static dev.herald.cluster.ClusterLoad.millis;
import static dev.herald.cluster.ClusterLoad.nodeSettings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.Cluster;
import org.junit.jupiter.api.Test;

/**
 * Three Herald nodes, each its own JVM, on one PostgreSQL, under load from clients that post to all
 * of them round-robin, with no faults: every message reaches every matching endpoint once. The
 * faults are in {@link KilledNodeClusterTest} and {@link RollingRestartClusterTest}; what they
 * share is in {@link ClusterLoad}.
 */
class ClusterTest {
  final LoadSize size = LoadSize.fromSystemProperty();

  @Test
  void three_nodes_deliver_every_message_to_every_matching_endpoint_without_duplicates()
      throws Exception {
    try (Cluster cluster = Cluster.start(NODES, nodeSettings());
        Fleet fleet = Fleet.create(cluster.api(0), size.apps(), RECEIVERS, RECEIVER_DELAY)) {
      long started = System.nanoTime();
      Traffic traffic =
          new Traffic(fleet, NODES, cluster::baseUrl, size.messages()).start(CLIENT_THREADS);
      traffic.await(size.deadline());
      long sent = System.nanoTime();

      assertThat(traffic.failures()).as("messages not accepted").isEmpty();
      assertThat(traffic.acceptedCount()).isEqualTo(size.messages());
      Fleet.Tally tally = fleet.awaitComplete(traffic.accepted(), size.deadline());
      long delivered = System.nanoTime();
      System.out.printf(
          "cluster, no faults: %d messages over %d endpoints on %d nodes; accepted in %d ms,"
              + " all delivered after %d ms; %s; answers %s%n",
          size.messages(),
          fleet.endpoints(),
          NODES,
          millis(sent - started),
          millis(delivered - started),
          tally,
          traffic.outcomes());

      assertThat(tally.missingSample()).as("deliveries never made (%s)", tally).isEmpty();
      assertThat(tally.unexpected())
          .as("requests no message should have caused (%s)", tally)
          .isZero();
      assertThat(tally.duplicates())
          .as("duplicate deliveries (%s)%s", tally, explain(cluster, fleet, tally))
          .isZero();
      awaitSettled(cluster, size.deadline());
      assertThat(cluster.queryLong("SELECT COUNT(*) FROM delivery WHERE status <> 0"))
          .as("deliveries not successful")
          .isZero();
      assertThat(cluster.queryLong("SELECT COUNT(*) FROM attempt"))
          .as("attempts recorded: one per delivery")
          .isEqualTo(tally.expected());
    }
  }
}
