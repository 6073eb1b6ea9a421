package dev.herald.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.Api;
import dev.herald.testing.Cluster;
import dev.herald.testing.Eventually;
import dev.herald.testing.HeraldProcess;
import dev.herald.testing.Receiver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Three Herald nodes, each its own JVM, on one PostgreSQL, under load from clients that post to all
 * of them round-robin: with no faults, with a node SIGKILLed mid-load, and through a rolling
 * restart (SIGTERM each node in turn). Deliveries are counted at the receivers per endpoint and
 * message, so loss and duplicates are both seen.
 *
 * <p>Size: {@link LoadSize} — a reduced load by default, the full 20,000 messages over 200
 * endpoints with {@code -Pfull-cluster}.
 */
class ClusterTest {
  static final int NODES = 3;
  static final int CLIENT_THREADS = 4;
  static final int RECEIVERS = 4;
  static final int ENDPOINT_CONCURRENCY = 10;
  static final int MAX_IN_FLIGHT = 1000;

  /** Receivers answer after this long, so deliveries are really in flight when a node dies. */
  static final Duration RECEIVER_DELAY = Duration.ofMillis(20);

  static final Duration DRAIN_DEADLINE = Duration.ofSeconds(30);

  static Map<String, String> nodeSettings() {
    Map<String, String> s = new HashMap<>();
    s.put("HERALD_SSRF_ALLOW", "127.0.0.0/8");
    s.put("HERALD_POLL_INTERVAL", "100ms");
    s.put("HERALD_REQUEST_TIMEOUT", "2s");
    s.put("HERALD_ENDPOINT_CONCURRENCY", Integer.toString(ENDPOINT_CONCURRENCY));
    s.put("HERALD_MAX_IN_FLIGHT", Integer.toString(MAX_IN_FLIGHT));
    return s;
  }

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
      awaitSettled(cluster);
      assertThat(cluster.queryLong("SELECT COUNT(*) FROM delivery WHERE status <> 0"))
          .as("deliveries not successful")
          .isZero();
      assertThat(cluster.queryLong("SELECT COUNT(*) FROM attempt"))
          .as("attempts recorded: one per delivery")
          .isEqualTo(tally.expected());
    }
  }

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
      awaitSettled(cluster);
      tally = fleet.tally(traffic.accepted());
      int bound = Math.min(MAX_IN_FLIGHT, ENDPOINT_CONCURRENCY * fleet.endpoints());
      System.out.printf(
          "cluster, node %s SIGKILLed after %d of %d messages were accepted: it held %d deliveries;"
              + " bound min(HERALD_MAX_IN_FLIGHT=%d, HERALD_ENDPOINT_CONCURRENCY=%d x %d endpoints) = %d;"
              + " %d duplicate deliveries; %s; answers %s%n",
          victimId,
          acceptedAtKill,
          size.messages(),
          heldAtKill,
          MAX_IN_FLIGHT,
          ENDPOINT_CONCURRENCY,
          fleet.endpoints(),
          bound,
          tally.duplicates(),
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
          .as("duplicates (%s)", tally)
          .isLessThanOrEqualTo((int) heldAtKill);
    }
  }

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
      awaitSettled(cluster);
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

  /**
   * Hardening issue 9, point 1: three clients post the same eventIds, each to another node and in
   * its own order, as clients retrying against another node do. Before group commits ordered and
   * retried their writes, some answers were 500 ({@code deadlock detected}). Every answer must be
   * 202 or 409, and each eventId makes exactly one message, delivered once.
   */
  @Test
  void
      three_clients_posting_the_same_event_ids_to_three_nodes_get_202_or_409_and_one_delivery_each()
          throws Exception {
    int eventIds = size.messages() / 2;
    try (Cluster cluster = Cluster.start(NODES, nodeSettings());
        Receiver rx = Receiver.start()) {
      Api admin = cluster.api(0);
      assertThat(admin.post("/api/v1/app", Map.of("name", "dup", "uid", "dup")).status())
          .isEqualTo(201);
      assertThat(admin.post("/api/v1/app/dup/endpoint", Map.of("url", rx.url())).status())
          .isEqualTo(201);
      Map<Integer, AtomicInteger> answers = new ConcurrentHashMap<>();
      List<Callable<Void>> clients = new ArrayList<>();
      for (int node = 0; node < NODES; node++) {
        Api client = cluster.api(node);
        List<Integer> order = new ArrayList<>(IntStream.range(0, eventIds).boxed().toList());
        Collections.shuffle(order, new Random(node));
        clients.add(
            () -> {
              for (int i : order) {
                int status =
                    client
                        .post(
                            "/api/v1/app/dup/msg",
                            Map.of(
                                "eventType",
                                "dup.test",
                                "eventId",
                                "evt-" + i,
                                "payload",
                                Map.of("i", i)))
                        .status();
                answers.computeIfAbsent(status, k -> new AtomicInteger()).incrementAndGet();
              }
              return null;
            });
      }
      ExecutorService pool = Executors.newFixedThreadPool(NODES);
      try {
        for (Future<Void> f : pool.invokeAll(clients)) {
          f.get();
        }
      } finally {
        pool.shutdown();
      }
      System.out.printf(
          "same %d eventIds posted by %d clients to %d nodes: answers %s%n",
          eventIds, NODES, NODES, answers);

      assertThat(answers.keySet()).as("answers %s", answers).containsOnly(202, 409);
      assertThat(answers.get(202).get()).as("one 202 per eventId").isEqualTo(eventIds);
      assertThat(cluster.queryLong("SELECT COUNT(*) FROM message WHERE event_id IS NOT NULL"))
          .isEqualTo(eventIds);
      List<Receiver.Request> got = rx.awaitRequests(eventIds, size.deadline());
      awaitSettled(cluster);
      assertThat(rx.requests()).hasSize(eventIds);
      assertThat(got.stream().map(Receiver.Request::webhookId).distinct().count())
          .isEqualTo(eventIds);
      assertThat(cluster.node(0).logTail() + cluster.logTails())
          .doesNotContain("deadlock detected");

      // Hardening issue 9, point 2: a node whose main key differs refuses to join, in one line.
      Map<String, String> otherKey = new HashMap<>();
      otherKey.put("HERALD_MAIN_SECRET", "a-main-secret-the-cluster-never-used-0001");
      try (HeraldProcess refused = cluster.startOther("other-key", otherKey)) {
        assertThat(refused.awaitExit(Cluster.START_DEADLINE))
            .as("exit status: %s", refused.logTail())
            .isEqualTo(2);
        assertThat(refused.output())
            .filteredOn(line -> line.contains("HERALD_MAIN_SECRET"))
            .hasSize(1);
        assertThat(refused.output())
            .noneMatch(line -> line.startsWith("\tat ") || line.contains("Exception"));
      }
    }
  }

  /** Waits until no delivery is pending or leased: nothing more can be sent. */
  private void awaitSettled(Cluster cluster) {
    try {
      Eventually.await(
          "every delivery settled",
          () ->
              cluster.queryLong(
                  "SELECT COUNT(*) FROM delivery WHERE status = 1 OR lease_owner IS NOT NULL"),
          n -> n == 0,
          size.deadline());
    } catch (AssertionError e) {
      throw new AssertionError(
          e.getMessage() + "; unsettled: " + cluster.describeUnsettledDeliveries(), e);
    }
  }

  /** What the database recorded for duplicated deliveries, and the nodes' last words. */
  private static String explain(Cluster cluster, Fleet fleet, Fleet.Tally tally) {
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

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }
}
