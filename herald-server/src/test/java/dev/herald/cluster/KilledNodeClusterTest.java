package dev.herald.cluster;

import static dev.herald.cluster.ClusterLoad.CLIENT_THREADS;
import static dev.herald.cluster.ClusterLoad.ENDPOINT_CONCURRENCY;
import static dev.herald.cluster.ClusterLoad.MAX_IN_FLIGHT;
import static dev.herald.cluster.ClusterLoad.NODES;
import static dev.herald.cluster.ClusterLoad.RECEIVERS;
import static dev.herald.cluster.ClusterLoad.RECEIVER_DELAY;
import static dev.herald.cluster.ClusterLoad.awaitSettled;
import static dev.herald.cluster.ClusterLoad.explain;
import static dev.herald.cluster.ClusterLoad.nodeSettings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.Cluster;
import dev.herald.testing.Eventually;
import org.junit.jupiter.api.Test;

/**
 * Three nodes under load ({@link ClusterLoad}), one of them SIGKILLed mid-load: nothing accepted is
 * lost, and the takeover duplicates at most what the dead node held (plus one for each attempt a
 * live node recorded as failed, which at-least-once delivery may repeat).
 */
class KilledNodeClusterTest {
  final LoadSize size = LoadSize.fromSystemProperty();

  @Test
  void a_node_killed_mid_load_loses_nothing_and_duplicates_at_most_what_it_held() throws Exception {
    int victim = 1;
    try (Cluster cluster = Cluster.start(NODES, nodeSettings());
        Fleet fleet = Fleet.create(cluster.api(0), size.apps(), RECEIVERS, RECEIVER_DELAY)) {
      String victimId = cluster.node(victim).nodeId();
      Traffic traffic =
          new Traffic(fleet, NODES, cluster::baseUrl, size.messages()).start(CLIENT_THREADS);
      Eventually.await(
          "half of the messages accepted",
          traffic::acceptedCount,
          n -> n >= size.messages() / 2,
          size.deadline());
      cluster.kill(victim);
      // Everything the dead node held is still leased to it: the takeover can resend at most these.
      long heldAtKill =
          cluster.queryLong(
              "SELECT COUNT(*) FROM delivery WHERE lease_owner = ? AND status = 1", victimId);
      int acceptedAtKill = traffic.acceptedCount();
      traffic.await(size.deadline());

      assertThat(traffic.failures()).as("messages not accepted").isEmpty();
      assertThat(traffic.acceptedCount()).isEqualTo(size.messages());
      // Takeover waits for the dead node's leases to lapse: 2 x 2 s + 5 s.
      Fleet.Tally tally = fleet.awaitComplete(traffic.accepted(), size.deadline());
      awaitSettled(cluster, size.deadline());
      tally = fleet.tally(traffic.accepted());
      // Receivers answer every request with 2xx: an attempt recorded as failed is one whose answer
      // Herald did not get (the request timed out on a starved machine), which may have arrived
      // and been sent again by a live node. At-least-once allows that duplicate; it is not the
      // takeover's, so it is allowed for on top of what the dead node held.
      long failedAttempts = cluster.queryLong("SELECT COUNT(*) FROM attempt WHERE status <> 0");
      int bound = Math.min(MAX_IN_FLIGHT, ENDPOINT_CONCURRENCY * fleet.endpoints());
      System.out.printf(
          "cluster, node %s SIGKILLed after %d of %d messages were accepted: it held %d deliveries;"
              + " bound min(HERALD_MAX_IN_FLIGHT=%d, HERALD_ENDPOINT_CONCURRENCY=%d x %d endpoints) = %d;"
              + " %d duplicate deliveries; %d attempts recorded as failed; %s; answers %s%n",
          victimId,
          acceptedAtKill,
          size.messages(),
          heldAtKill,
          MAX_IN_FLIGHT,
          ENDPOINT_CONCURRENCY,
          fleet.endpoints(),
          bound,
          tally.duplicates(),
          failedAttempts,
          tally,
          traffic.outcomes());

      assertThat(tally.missingSample())
          .as("accepted messages never delivered (%s)", tally)
          .isEmpty();
      assertThat(tally.unexpected())
          .as("requests no message should have caused (%s)", tally)
          .isZero();
      assertThat(heldAtKill).as("deliveries the node held").isLessThanOrEqualTo(bound);
      assertThat(tally.duplicates())
          .as("duplicates (%s)%s", tally, explain(cluster, fleet, tally))
          .isLessThanOrEqualTo((int) (heldAtKill + failedAttempts));
    }
  }
}
