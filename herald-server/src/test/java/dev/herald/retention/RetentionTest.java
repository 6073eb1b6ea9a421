package dev.herald.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.Api;
import dev.herald.testing.Backend;
import dev.herald.testing.Eventually;
import dev.herald.testing.MutableClock;
import dev.herald.testing.Receiver;
import dev.herald.testing.TestServer;
import dev.herald.testing.Webhooks;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Retention on a moved clock: old messages, payloads and attempts go in batches while new messages
 * keep flowing, and a message whose payload expired cannot be resent, whether retention has deleted
 * the payload yet or not.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class RetentionTest {
  /** More than two of the job's batches of 1,000, so pruning takes several. */
  static final int OLD_MESSAGES = 2_200;

  static final int NEW_MESSAGES = 200;
  static final int SENDER_THREADS = 4;
  static final Duration DEADLINE = Duration.ofSeconds(60);

  @Parameter Backend backend;

  @Test
  void old_messages_and_attempts_are_pruned_in_batches_while_new_messages_keep_being_delivered()
      throws Exception {
    MutableClock clock = MutableClock.atSystemTime();
    try (TestServer server =
            TestServer.builder(backend)
                .clock(clock)
                .setting("HERALD_SSRF_ALLOW", "127.0.0.0/8")
                .setting("HERALD_POLL_INTERVAL", "100ms")
                .setting("HERALD_RETENTION_DAYS", "1")
                .setting("HERALD_RETENTION_INTERVAL", "200ms")
                .start();
        Receiver receiver = Receiver.start()) {
      Webhooks hooks = new Webhooks(server.api());
      String app = hooks.createApp();
      String endpoint = hooks.createEndpoint(app, receiver.url());
      List<String> old = sendConcurrently(hooks, app, OLD_MESSAGES);
      receiver.awaitRequests(OLD_MESSAGES, DEADLINE);
      Eventually.await(
          "every old delivery recorded",
          () -> count(server, "SELECT COUNT(*) FROM delivery WHERE status <> 0"),
          n -> n == 0,
          DEADLINE);
      assertThat(count(server, "SELECT COUNT(*) FROM attempt")).isEqualTo(OLD_MESSAGES);
      Instant before = clock.instant();

      clock.advance(Duration.ofDays(2));
      // New messages go on being sent and delivered while the job prunes.
      ExecutorService newSender = Executors.newSingleThreadExecutor();
      Future<List<String>> fresh =
          newSender.submit(() -> sendConcurrently(hooks, app, NEW_MESSAGES));
      Set<Long> seen = new LinkedHashSet<>();
      Eventually.await(
          "old messages pruned",
          () -> {
            long left = count(server, "SELECT COUNT(*) FROM message WHERE created_at <= ?", before);
            seen.add(left);
            return left;
          },
          n -> n == 0,
          DEADLINE);
      List<String> newIds = fresh.get();
      newSender.shutdown();
      Eventually.await(
          "old attempts pruned",
          () -> count(server, "SELECT COUNT(*) FROM attempt WHERE created_at <= ?", before),
          n -> n == 0,
          DEADLINE);
      Set<String> delivered = new HashSet<>();
      receiver
          .awaitRequests(OLD_MESSAGES + NEW_MESSAGES, DEADLINE)
          .forEach(r -> delivered.add(r.webhookId()));
      System.out.printf("%s retention: old messages left as the job ran: %s%n", backend, seen);

      assertThat(delivered)
          .as("new messages delivered while old ones were pruned")
          .containsAll(newIds);
      assertThat(
              count(
                  server,
                  "SELECT COUNT(*) FROM message_payload WHERE expires_at <= ?",
                  before.plus(Duration.ofDays(90))))
          .as("old payloads left")
          .isZero();
      assertThat(count(server, "SELECT COUNT(*) FROM delivery WHERE created_at <= ?", before))
          .as("old deliveries left")
          .isZero();
      Api api = hooks.api();
      for (String id : List.of(old.get(0), old.get(OLD_MESSAGES / 2), old.get(OLD_MESSAGES - 1))) {
        assertThat(api.get("/api/v1/app/" + app + "/msg/" + id).status())
            .as("GET old message %s", id)
            .isEqualTo(404);
        assertThat(api.get("/api/v1/app/" + app + "/attempt/msg/" + id).status())
            .as("attempts of %s", id)
            .isEqualTo(404);
      }
      assertThat(api.get("/api/v1/app/" + app + "/msg/" + newIds.get(0)).status()).isEqualTo(200);
      // The receiver sees a request before its attempt is written: wait until every result is
      // recorded.
      Eventually.await(
          "every new delivery recorded",
          () -> count(server, "SELECT COUNT(*) FROM delivery WHERE status <> 0"),
          n -> n == 0,
          DEADLINE);
      Set<String> attempted = new HashSet<>();
      String iterator = null;
      do {
        Api.Response page =
            api.get(
                "/api/v1/app/"
                    + app
                    + "/attempt/endpoint/"
                    + endpoint
                    + "?limit=250"
                    + (iterator == null ? "" : "&iterator=" + iterator));
        page.body().path("data").forEach(a -> attempted.add(a.path("msgId").asText()));
        iterator = page.body().path("done").asBoolean() ? null : page.field("iterator");
      } while (iterator != null);
      assertThat(attempted)
          .as("messages in the endpoint's attempt log")
          .containsExactlyInAnyOrderElementsOf(newIds);
    }
  }

  @Test
  void a_message_whose_payload_expired_cannot_be_resent_before_or_after_retention_deletes_it()
      throws Exception {
    MutableClock clock = MutableClock.atSystemTime();
    try (TestServer server =
            TestServer.builder(backend)
                .clock(clock)
                .setting("HERALD_SSRF_ALLOW", "127.0.0.0/8")
                .setting("HERALD_POLL_INTERVAL", "100ms")
                .setting("HERALD_RETENTION_DAYS", "30")
                // The job is run by hand below, so the moment between expiry and deletion can be
                // tested.
                .setting("HERALD_RETENTION_INTERVAL", "1d")
                .start();
        Receiver receiver = Receiver.start()) {
      Webhooks hooks = new Webhooks(server.api());
      String app = hooks.createApp();
      String endpoint = hooks.createEndpoint(app, receiver.url());
      String shortLived =
          hooks.send(
              app,
              Map.of(
                  "eventType",
                  "retention.test",
                  "payload",
                  Map.of("n", 1),
                  "payloadRetentionPeriod",
                  1));
      String kept =
          hooks.send(app, Map.of("eventType", "retention.test", "payload", Map.of("n", 2)));
      receiver.awaitRequests(2, DEADLINE);

      clock.advance(Duration.ofDays(2));
      assertThat(
              count(
                  server, "SELECT COUNT(*) FROM message_payload WHERE message_id = ?", shortLived))
          .as("expired payload not deleted yet")
          .isEqualTo(1);
      Api.Response expired = resend(hooks.api(), app, shortLived, endpoint);
      assertThat(expired.status()).as("resend of an expired payload: %s", expired).isEqualTo(400);
      assertThat(expired.field("code")).isEqualTo("payload_expired");
      assertThat(resend(hooks.api(), app, kept, endpoint).status())
          .as("resend of a kept payload")
          .isEqualTo(202);

      server.herald().retention().runOnce();
      assertThat(
              count(
                  server, "SELECT COUNT(*) FROM message_payload WHERE message_id = ?", shortLived))
          .as("expired payload after a retention pass")
          .isZero();
      assertThat(hooks.api().get("/api/v1/app/" + app + "/msg/" + shortLived).status())
          .as("the message itself is kept for 30 days")
          .isEqualTo(200);
      Api.Response deleted = resend(hooks.api(), app, shortLived, endpoint);
      assertThat(deleted.status()).as("resend of a deleted payload: %s", deleted).isEqualTo(400);
      assertThat(deleted.field("code")).isEqualTo("payload_expired");
    }
  }

  private static Api.Response resend(Api api, String app, String msgId, String endpointId) {
    return api.post(
        "/api/v1/app/" + app + "/msg/" + msgId + "/endpoint/" + endpointId + "/resend", null);
  }

  private static long count(TestServer server, String query, Object... args) {
    return server.herald().database().read(sql -> sql.queryLong(query, args));
  }

  /** Sends {@code n} messages from a few threads; returns their ids. */
  private static List<String> sendConcurrently(Webhooks hooks, String app, int n) throws Exception {
    Map<Integer, String> ids = new ConcurrentHashMap<>();
    AtomicInteger next = new AtomicInteger();
    ExecutorService senders = Executors.newFixedThreadPool(SENDER_THREADS);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int t = 0; t < SENDER_THREADS; t++) {
        running.add(
            senders.submit(
                () -> {
                  for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                    ids.put(i, hooks.send(app, "retention.test"));
                  }
                }));
      }
      for (Future<?> f : running) {
        f.get();
      }
    } finally {
      senders.shutdownNow();
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(ids.get(i));
    }
    return out;
  }
}
