package dev.herald.cluster;

import static dev.herald.cluster.ClusterLoad.CLIENT_THREADS;
import static dev.herald.cluster.ClusterLoad.DRAIN_DEADLINE;
import static dev.herald.cluster.ClusterLoad.NODES;
import static dev.herald.cluster.ClusterLoad.RECEIVERS;
import static dev.herald.cluster.ClusterLoad.RECEIVER_DELAY;
import static dev.herald.cluster.ClusterLoad.awaitSettled;
import static dev.herald.cluster.ClusterLoad.explain;
import static dev.herald.cluster.ClusterLoad.millis;
import static dev.herald.cluster.ClusterLoad.nodeSettings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.Cluster;
import dev.herald.testing.Eventually;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Three nodes under load ({@link ClusterLoad}) through a rolling restart (SIGTERM each node in
 * turn, start it again): nothing lost, nothing duplicated, and 503 only from a draining node.
 */
class RollingRestartClusterTest {
  final LoadSize size = LoadSize.fromSystemProperty();

  @Test
  void
      a_rolling_restart_under_load_loses_nothing_duplicates_nothing_and_answers_only_503_while_draining()
          throws Exception {
    try (Cluster cluster = Cluster.start(NODES, nodeSettings());
        Fleet fleet = Fleet.create(cluster.api(0), size.apps(), RECEIVERS, RECEIVER_DELAY)) {
      // Unbounded: the clients keep posting until every node has been restarted and taken load
      // again.
      Traffic traffic =
          new Traffic(fleet, NODES, cluster::baseUrl, Integer.MAX_VALUE).start(CLIENT_THREADS);
      int step = size.messages() / 10;
      Eventually.await("load under way", traffic::acceptedCount, n -> n >= step, size.deadline());
      List<long[]> drains = new ArrayList<>();
      for (int node = 0; node < NODES; node++) {
        long sigterm = System.nanoTime();
        int exit = cluster.stop(node, DRAIN_DEADLINE);
        long exited = System.nanoTime();
        drains.add(new long[] {sigterm, exited});
        assertThat(exit).as("exit status of node %d after SIGTERM", node).isZero();
        cluster.restart(node);
        long ready = System.nanoTime();
        System.out.printf(
            "rolling restart: node %d got SIGTERM at %d (epoch ms), drained and exited 0 in %d ms,"
                + " was ready again after %d ms%n",
            node,
            System.currentTimeMillis() - millis(System.nanoTime() - sigterm),
            millis(exited - sigterm),
            millis(ready - sigterm));
        int before = traffic.acceptedCount();
        Eventually.await(
            "load to go on after node " + node + " came back",
            traffic::acceptedCount,
            n -> n >= before + step,
            size.deadline());
      }
      traffic.stop();
      traffic.await(size.deadline());

      assertThat(traffic.failures()).as("messages not accepted").isEmpty();
      Fleet.Tally tally = fleet.awaitComplete(traffic.accepted(), size.deadline());
      awaitSettled(cluster, size.deadline());
      tally = fleet.tally(traffic.accepted());
      System.out.printf(
          "rolling restart under load: %d messages accepted; %s; answers %s; slowest (ms) %s%n",
          traffic.acceptedCount(), tally, traffic.outcomes(), traffic.slowestMillis());

      for (Traffic.ServerError e : traffic.serverErrors()) {
        long[] drain = drains.get(e.node());
        assertThat(e.status()).as("a 5xx answer: %s", e).isEqualTo(503);
        assertThat(e.code()).as("a 503 answer: %s", e).isEqualTo("shutting_down");
        assertThat(e.endedNanos() >= drain[0] && e.startedNanos() <= drain[1])
            .as("503 from node %d outside its drain: %s", e.node(), e)
            .isTrue();
      }
      assertThat(tally.missingSample())
          .as("accepted messages never delivered (%s)", tally)
          .isEmpty();
      assertThat(tally.unexpected())
          .as("requests no message should have caused (%s)", tally)
          .isZero();
      assertThat(tally.duplicates())
          .as("duplicate deliveries (%s)%s", tally, explain(cluster, fleet, tally))
          .isZero();
    }
  }
}
