package dev.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.testing.Backend;
import dev.herald.testing.Eventually;
import dev.herald.testing.Receiver;
import dev.herald.testing.Receiver.Reply;
import dev.herald.testing.SocketReceiver;
import dev.herald.testing.SocketReceiver.Behaviour;
import dev.herald.testing.TestServer;
import dev.herald.testing.Webhooks;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Receivers that break the rules in every way a socket allows, next to a healthy one in the same
 * application: each broken attempt is recorded as what it was and retried when the schedule says,
 * and the healthy endpoint keeps getting its messages meanwhile.
 */
class ReceiverChaosTest {
  /**
   * An endpoint that times out is probed one request at a time, so a silent receiver takes this
   * many request timeouts to see every message once.
   */
  static final int MESSAGES = 10;

  static final Duration TIMEOUT = Duration.ofSeconds(1);

  /**
   * First retry after 30 s (±20 %): later than the test lasts, so each delivery shows one attempt.
   */
  static final Duration FIRST_RETRY = Duration.ofSeconds(30);

  static final Duration OVERLOAD_MIN_DELAY = Duration.ofSeconds(60);
  static final Duration HEALTHY_DEADLINE = Duration.ofSeconds(10);
  static final Duration ALL_ATTEMPTED_DEADLINE = TIMEOUT.multipliedBy(MESSAGES).plusSeconds(20);
  static final int FIFTY_MB = 50 * 1024 * 1024;

  /** Time between an attempt's start and the retry decision: the attempt itself, then recording. */
  static final Duration DECISION_SLACK = TIMEOUT.plusSeconds(2);

  @Test
  void
      broken_receivers_get_a_recorded_attempt_and_a_scheduled_retry_while_a_healthy_one_keeps_receiving()
          throws Exception {
    try (TestServer server =
            TestServer.builder(Backend.SQLITE)
                .setting("HERALD_SSRF_ALLOW", "127.0.0.0/8")
                .setting("HERALD_REQUEST_TIMEOUT", "1s")
                .setting("HERALD_RETRY_SCHEDULE", "30s,1h")
                .setting("HERALD_POLL_INTERVAL", "100ms")
                .start();
        Receiver healthy = Receiver.start();
        Receiver huge = Receiver.start().replyWith(Reply.ok().withBodySize(FIFTY_MB));
        Receiver loop = Receiver.start();
        SocketReceiver reset = SocketReceiver.start(Behaviour.RESET);
        SocketReceiver trickle = SocketReceiver.start(Behaviour.TRICKLE);
        SocketReceiver silent = SocketReceiver.start(Behaviour.NEVER_ANSWER)) {
      loop.replyWith(Reply.redirectTo(loop.url()));
      Webhooks hooks = new Webhooks(server.api());
      String app = hooks.createApp();
      String healthyEp = hooks.createEndpoint(app, healthy.url());
      String resetEp = hooks.createEndpoint(app, reset.url());
      String trickleEp = hooks.createEndpoint(app, trickle.url());
      String silentEp = hooks.createEndpoint(app, silent.url());
      String hugeEp = hooks.createEndpoint(app, huge.url());
      String loopEp = hooks.createEndpoint(app, loop.url());

      long started = System.nanoTime();
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < MESSAGES; i++) {
        ids.add(hooks.send(app, "chaos.test"));
      }
      Set<String> received = new HashSet<>();
      healthy.awaitRequests(MESSAGES, HEALTHY_DEADLINE).forEach(r -> received.add(r.webhookId()));
      System.out.printf(
          "receiver chaos: the healthy endpoint had all %d messages %d ms after the first was sent%n",
          MESSAGES, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
      assertThat(received).containsExactlyInAnyOrderElementsOf(ids);

      String first = ids.get(0);
      JsonNode resetAttempt = failedAttempt(hooks, app, resetEp, first);
      assertThat(resetAttempt.path("responseStatusCode").asInt()).isZero();
      assertThat(resetAttempt.path("response").asText())
          .isEqualTo("connection failed: the receiver closed the connection without answering");
      assertRetry(hooks, app, resetEp, first, resetAttempt, jittered(FIRST_RETRY));

      JsonNode trickleAttempt = failedAttempt(hooks, app, trickleEp, first);
      assertThat(trickleAttempt.path("responseStatusCode").asInt()).isZero();
      assertThat(trickleAttempt.path("response").asText())
          .isEqualTo("timeout: no complete response within 1000 ms");
      assertRetry(hooks, app, trickleEp, first, trickleAttempt, atLeast(OVERLOAD_MIN_DELAY));

      JsonNode silentAttempt = failedAttempt(hooks, app, silentEp, first);
      assertThat(silentAttempt.path("responseStatusCode").asInt()).isZero();
      assertThat(silentAttempt.path("response").asText())
          .isEqualTo("timeout: no complete response within 1000 ms");
      assertRetry(hooks, app, silentEp, first, silentAttempt, atLeast(OVERLOAD_MIN_DELAY));

      JsonNode loopAttempt = failedAttempt(hooks, app, loopEp, first);
      assertThat(loopAttempt.path("responseStatusCode").asInt()).isEqualTo(302);
      assertRetry(hooks, app, loopEp, first, loopAttempt, jittered(FIRST_RETRY));
      // Redirects are not followed: one request per attempt, never a loop.
      Eventually.await(
          "an attempt of every message at the redirecting endpoint",
          () -> hooks.attemptsOfEndpoint(app, loopEp, "").size(),
          n -> n == MESSAGES,
          ALL_ATTEMPTED_DEADLINE);
      assertThat(loop.count()).as("requests the redirecting receiver got").isEqualTo(MESSAGES);

      // A 200 with a 50 MB body is a success; only the first 20 KB are read and kept.
      JsonNode hugeAttempt = attempt(hooks, app, hugeEp, first);
      assertThat(hugeAttempt.path("responseStatusCode").asInt()).isEqualTo(200);
      assertThat(hugeAttempt.path("status").asInt()).isEqualTo(DeliveryStatus.SUCCESS.code());
      assertThat(hugeAttempt.path("response").asText()).hasSize(DeliveryConfig.RESPONSE_BODY_LIMIT);
      System.out.printf(
          "receiver chaos: reset -> %s; trickle -> %s; silent -> %s; redirect loop -> %d; 50 MB -> %d"
              + " with %d characters kept%n",
          resetAttempt.path("response").asText(),
          trickleAttempt.path("response").asText(),
          silentAttempt.path("response").asText(),
          loopAttempt.path("responseStatusCode").asInt(),
          hugeAttempt.path("responseStatusCode").asInt(),
          hugeAttempt.path("response").asText().length());
      JsonNode hugeDelivery = hooks.deliveryAt(app, hugeEp, first);
      assertThat(hugeDelivery.path("status").asInt()).isEqualTo(DeliveryStatus.SUCCESS.code());
      assertThat(hugeDelivery.path("nextAttempt").isNull()).isTrue();

      for (String ep : List.of(resetEp, trickleEp, silentEp, hugeEp, loopEp)) {
        Eventually.await(
            "an attempt of every message at " + ep,
            () -> hooks.attemptsOfEndpoint(app, ep, "").size(),
            n -> n == MESSAGES,
            ALL_ATTEMPTED_DEADLINE);
      }
      assertThat(reset.requests()).isEqualTo(MESSAGES);
      assertThat(trickle.requests()).isEqualTo(MESSAGES);
      assertThat(silent.requests()).isEqualTo(MESSAGES);
      assertThat(healthy.count())
          .as("the healthy endpoint got each message once")
          .isEqualTo(MESSAGES);
      assertThat(hooks.attemptsOfEndpoint(app, healthyEp, ""))
          .hasSize(MESSAGES)
          .allSatisfy(
              a -> assertThat(a.path("status").asInt()).isEqualTo(DeliveryStatus.SUCCESS.code()));
    }
  }

  /** Bounds, in milliseconds, of the delay a retry may be scheduled with. */
  private record Delay(long minMillis, long maxMillis) {}

  private static Delay jittered(Duration scheduled) {
    return new Delay(
        Math.round(scheduled.toMillis() * 0.8), Math.round(scheduled.toMillis() * 1.2));
  }

  private static Delay atLeast(Duration min) {
    return new Delay(min.toMillis(), min.toMillis());
  }

  private static JsonNode attempt(Webhooks hooks, String app, String endpointId, String msgId) {
    return Eventually.await(
            "an attempt of " + msgId + " at " + endpointId,
            () ->
                hooks.attemptsOfMessage(app, msgId).stream()
                    .filter(a -> endpointId.equals(a.path("endpointId").asText()))
                    .toList(),
            list -> !list.isEmpty())
        .get(0);
  }

  private static JsonNode failedAttempt(
      Webhooks hooks, String app, String endpointId, String msgId) {
    JsonNode a = attempt(hooks, app, endpointId, msgId);
    assertThat(a.path("status").asInt()).as("attempt %s", a).isEqualTo(DeliveryStatus.FAIL.code());
    return a;
  }

  /**
   * The delivery is pending again, due when the schedule says (counted from the attempt's start).
   */
  private static void assertRetry(
      Webhooks hooks,
      String app,
      String endpointId,
      String msgId,
      JsonNode attempt,
      Delay expected) {
    JsonNode delivery = hooks.deliveryAt(app, endpointId, msgId);
    assertThat(delivery.path("status").asInt())
        .as("delivery %s", delivery)
        .isEqualTo(DeliveryStatus.PENDING.code());
    Instant tried = Webhooks.instant(attempt.path("timestamp"));
    Instant next = Webhooks.instant(delivery.path("nextAttempt"));
    assertThat(Webhooks.millisBetween(tried, next))
        .as("next attempt after the first (ms): %s", delivery)
        .isBetween(expected.minMillis(), expected.maxMillis() + DECISION_SLACK.toMillis());
  }
}
