package dev.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.Backend;
import dev.herald.testing.Eventually;
import dev.herald.testing.Receiver;
import dev.herald.testing.TestServer;
import dev.herald.testing.Webhooks;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A delivery leaves its endpoint's lane when the endpoint answers, not when its result is written:
 * a healthy endpoint's next deliveries must not wait behind the writes of everyone else's results
 * (bench {@code slow-endpoints}). The result is held back by a row lock the test takes on the
 * delivery, so this runs on PostgreSQL only: SQLite has one writer, Herald's.
 */
class LaneFreedAtAnswerTest {

  @Test
  void the_next_delivery_is_sent_while_the_answered_ones_result_is_still_being_written()
      throws Exception {
    Map<String, String> settings =
        Map.of(
            "HERALD_SSRF_ALLOW", "127.0.0.0/8",
            "HERALD_RETRY_SCHEDULE", "1s,1s",
            "HERALD_REQUEST_TIMEOUT", "60s",
            "HERALD_POLL_INTERVAL", "50ms",
            // One busy lane's share of 2 is 2 / (1 + 1) = 1: one delivery fills the lane.
            "HERALD_MAX_IN_FLIGHT", "2");
    CountDownLatch answer = new CountDownLatch(1);
    AtomicBoolean holding = new AtomicBoolean();
    try (Receiver rx = Receiver.start();
        TestServer node = TestServer.builder(Backend.POSTGRES).settings(settings).start()) {
      rx.holdWhile(holding, answer);
      Webhooks h = new Webhooks(node.api());
      Dispatcher dispatcher = node.herald().dispatcher();
      String app = h.createApp();
      h.createEndpoint(app, rx.url("/lane"));
      h.send(app, "opens.the.lane");
      rx.awaitRequests(1, Duration.ofSeconds(15));
      Eventually.await("first answer recorded", dispatcher::held, held -> held == 0);

      holding.set(true);
      String first = h.send(app, "first");
      rx.awaitRequestsFor(first, 1, Duration.ofSeconds(15));
      String second = h.send(app, "second");

      try (Connection c = node.connectToPostgres()) {
        c.setAutoCommit(false);
        lockDeliveryOf(c, first);
        answer.countDown();

        assertThat(rx.awaitRequestsFor(second, 1, Duration.ofSeconds(10)))
            .as("the second delivery, sent while the first one's result cannot be written")
            .hasSize(1);
        assertThat(dispatcher.held())
            .as(
                "both deliveries still count in the budget: the first's result cannot be written,"
                    + " and the second's waits behind it")
            .isEqualTo(2);
        Eventually.await(
            "both answered deliveries counted as waiting for the writer",
            dispatcher::awaitingWrite,
            n -> n == 2);
        c.rollback();
      } finally {
        answer.countDown();
      }
      Eventually.await("both results written", dispatcher::held, held -> held == 0);
      assertThat(dispatcher.awaitingWrite()).isZero();
      assertThat(h.attemptsOfMessage(app, first)).hasSize(1);
      assertThat(h.attemptsOfMessage(app, second)).hasSize(1);
    }
  }

  private static void lockDeliveryOf(Connection c, String messageId) throws Exception {
    try (PreparedStatement s =
        c.prepareStatement("SELECT id FROM delivery WHERE message_id = ? FOR UPDATE")) {
      s.setString(1, messageId);
      try (ResultSet rs = s.executeQuery()) {
        assertThat(rs.next()).as("the first message's delivery").isTrue();
      }
    }
  }
}
