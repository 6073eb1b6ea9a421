package dev.herald.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.Api;
import dev.herald.testing.Cluster;
import dev.herald.testing.Eventually;
import dev.herald.testing.Receiver;
import dev.herald.testing.Receiver.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * An ordered endpoint on two nodes sharing one PostgreSQL, whose receiver fails a fifth of its
 * requests at random: messages posted to both nodes in turn arrive in the order they were accepted,
 * one at a time, also after one node is SIGKILLed halfway with the head possibly in its hands.
 *
 * <p>Size: 300 messages by default, 10,000 with {@code -Pfull-cluster}.
 */
class OrderedClusterTest {

  /** What the receiver answered, in the order the requests arrived. */
  private record Answer(String messageId, int status) {}

  @Test
  void an_ordered_endpoint_keeps_order_across_two_nodes_and_a_node_kill() {
    boolean full = "full".equals(LoadSize.fromSystemProperty().name());
    int messages = full ? 10_000 : 300;
    Map<String, String> settings = ClusterLoad.nodeSettings();
    settings.put("HERALD_RETRY_SCHEDULE", "50ms,50ms,50ms,50ms,50ms,50ms,50ms,50ms,50ms,50ms");
    Random random = new Random(7);
    List<Answer> answers = new ArrayList<>();
    try (Cluster cluster = Cluster.start(2, settings);
        Receiver rx =
            Receiver.start()
                .replyWith(
                    request -> {
                      int status = random.nextDouble() < 0.2 ? 500 : 204;
                      synchronized (answers) {
                        answers.add(new Answer(request.webhookId(), status));
                      }
                      return Reply.status(status);
                    })) {
      Api api = cluster.api(0);
      String app = api.post("/api/v1/app", Map.of("name", "ordered")).field("id");
      Api.Response ep =
          api.post(
              "/api/v1/app/" + app + "/endpoint", Map.of("url", rx.url("/fifo"), "ordered", true));
      assertThat(ep.status()).as("%s", ep).isEqualTo(201);

      List<String> sent = new ArrayList<>();
      for (int i = 0; i < messages; i++) {
        if (i == messages / 2) {
          cluster.kill(1);
        }
        int node = i < messages / 2 ? i % 2 : 0;
        Api.Response r =
            cluster
                .api(node)
                .post(
                    "/api/v1/app/" + app + "/msg",
                    Map.of("eventType", "fifo.step", "payload", Map.of("i", i)));
        assertThat(r.status()).as("message %d: %s", i, r).isEqualTo(202);
        sent.add(r.field("id"));
      }

      // The last message delivered (a success count could include the repeat of one delivery).
      String last = sent.get(messages - 1);
      Eventually.await(
          "the last message delivered",
          () -> {
            synchronized (answers) {
              return answers.stream()
                  .anyMatch(a -> a.status() == 204 && a.messageId().equals(last));
            }
          },
          delivered -> delivered,
          LoadSize.fromSystemProperty().deadline());

      List<Answer> seen;
      synchronized (answers) {
        seen = List.copyOf(answers);
      }
      // Walk the requests: each is for the current head, or (at most once in a row, for the head
      // the killed node had in flight) the one just delivered again once its lease lapsed.
      int head = 0;
      int repeats = 0;
      java.util.Set<String> repeated = new java.util.HashSet<>();
      for (Answer a : seen) {
        if (head < messages && a.messageId().equals(sent.get(head))) {
          if (a.status() == 204) {
            head++;
          }
          continue;
        }
        assertThat(head).as("request %s before any delivery", a).isPositive();
        assertThat(a.messageId())
            .as("request %s out of order (head is message %d)", a, head)
            .isEqualTo(sent.get(head - 1));
        repeats++;
        repeated.add(a.messageId());
      }
      assertThat(head).as("messages delivered in order").isEqualTo(messages);
      // At least once: only the delivery the killed node had in flight may be sent again.
      assertThat(repeated)
          .as("messages delivered again after the kill")
          .hasSizeLessThanOrEqualTo(1);
      System.out.printf(
          "ordered endpoint on 2 nodes, node 1 killed after %d of %d messages: %d requests,"
              + " %d failed on purpose, %d repeated after the kill%n",
          messages / 2,
          messages,
          seen.size(),
          seen.stream().filter(a -> a.status() == 500).count(),
          repeats);
    }
  }
}
