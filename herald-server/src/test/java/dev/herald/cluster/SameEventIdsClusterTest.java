package dev.herald.cluster;

import static dev.herald.cluster.ClusterLoad.NODES;
import static dev.herald.cluster.ClusterLoad.awaitSettled;
import static dev.herald.cluster.ClusterLoad.nodeSettings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.Api;
import dev.herald.testing.Cluster;
import dev.herald.testing.HeraldProcess;
import dev.herald.testing.Receiver;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Three nodes ({@link ClusterLoad}) and three clients posting the same eventIds, each to another
 * node; and a node with another main key refusing to join.
 */
class SameEventIdsClusterTest {
  final LoadSize size = LoadSize.fromSystemProperty();

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
      awaitSettled(cluster, size.deadline());
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
}
