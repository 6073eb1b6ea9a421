package dev.herald.delivery;

import static dev.herald.testing.Webhooks.endpointPath;
import static dev.herald.testing.Webhooks.instant;
import static dev.herald.testing.Webhooks.millisBetween;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.testing.Api;
import dev.herald.testing.ApiContractTest;
import dev.herald.testing.Eventually;
import dev.herald.testing.MutableClock;
import dev.herald.testing.Receiver;
import dev.herald.testing.Receiver.Reply;
import dev.herald.testing.TestServer;
import dev.herald.testing.Webhooks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Deliveries end to end: a real Herald (on each backend) sends to real HTTP receivers on 127.0.0.1,
 * and every assertion is on what the receiver saw or what the API reports.
 *
 * <p>The suite's server retries after {@code 1s,1s} (so three attempts in all), times requests out
 * after 500 ms and polls for due retries every 50 ms. Tests needing other settings start their own
 * server.
 */
class DeliveryEndToEndTest extends ApiContractTest {
  static final Duration RETRY_DELAY = Duration.ofSeconds(1);

  /** The schedule's ±20 % jitter. */
  static final Duration JITTER = RETRY_DELAY.dividedBy(5);

  /**
   * Slack on top of a retry's latest due time: the claim loop polls every 50 ms, and the result of
   * the previous attempt is written and the retry claimed and sent through the database. Generous,
   * because the point is "about a second later", not a performance bound.
   */
  static final Duration RETRY_SLACK = Duration.ofMillis(700);

  static final Map<String, String> SETTINGS =
      Map.of(
          "HERALD_SSRF_ALLOW", "127.0.0.0/8",
          "HERALD_RETRY_SCHEDULE", "1s,1s",
          "HERALD_REQUEST_TIMEOUT", "500ms",
          "HERALD_POLL_INTERVAL", "50ms");

  private Webhooks hooks;

  @Override
  protected Map<String, String> settings() {
    return SETTINGS;
  }

  @BeforeEach
  void client() {
    hooks = new Webhooks(api);
  }

  private static Duration timeout() {
    return Eventually.DEFAULT_TIMEOUT;
  }

  // ---- fan-out -------------------------------------------------------------------------------

  @Test
  void a_message_reaches_exactly_the_endpoints_whose_filters_match() {
    Receiver rx = receiver();
    String app = hooks.createApp();
    String created = hooks.createEventType("user.created");
    String deleted = hooks.createEventType("user.deleted");
    String all = hooks.createEndpoint(app, rx.url("/all"));
    String onlyCreated =
        id(
            hooks.createEndpoint(
                app, rx.url("/only-created"), Map.of("eventTypes", List.of(created))));
    String channelA =
        id(hooks.createEndpoint(app, rx.url("/channel-a"), Map.of("channels", List.of("a"))));
    String channelB =
        id(hooks.createEndpoint(app, rx.url("/channel-b"), Map.of("channels", List.of("b"))));
    String deletedInAOrC =
        id(
            hooks.createEndpoint(
                app,
                rx.url("/deleted-in-a-or-c"),
                Map.of("eventTypes", List.of(deleted), "channels", List.of("a", "c"))));
    String disabled = id(hooks.createEndpoint(app, rx.url("/disabled"), Map.of("disabled", true)));
    String removed = hooks.createEndpoint(app, rx.url("/removed"));
    assertThat(api.delete(endpointPath(app, removed)).status()).isEqualTo(204);

    String createdNoChannel = hooks.send(app, created, null);
    String deletedInA = hooks.send(app, deleted, List.of("a"));

    assertThat(hooks.destinations(app, createdNoChannel))
        .containsExactlyInAnyOrder(all, onlyCreated);
    assertThat(hooks.destinations(app, deletedInA))
        .containsExactlyInAnyOrder(all, channelA, deletedInAOrC);
    List<Receiver.Request> got = rx.awaitRequests(5, timeout());
    assertThat(got)
        .extracting(r -> r.path() + " " + r.webhookId())
        .containsExactlyInAnyOrder(
            "/all " + createdNoChannel,
            "/only-created " + createdNoChannel,
            "/all " + deletedInA,
            "/channel-a " + deletedInA,
            "/deleted-in-a-or-c " + deletedInA);
    assertThat(rx.requests())
        .extracting(Receiver.Request::path)
        .doesNotContain("/channel-b", "/disabled", "/removed");
  }

  /**
   * Concurrent creates share group-commit batches, whose messages are written together (one
   * statement per table): each caller must still get its own answer, and only its own messages may
   * be delivered.
   */
  @Test
  void concurrent_creates_written_together_each_get_their_own_answer_and_deliveries()
      throws Exception {
    Receiver rx = receiver();
    String appA = hooks.createApp();
    String appB = hooks.createApp();
    hooks.createEndpoint(appA, rx.url("/a"));
    String onlyB = hooks.createEventType("batch.b-only");
    hooks.createEndpoint(appB, rx.url("/b"), Map.of("eventTypes", List.of(onlyB)));
    List<java.util.concurrent.Callable<String>> calls = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      Map<String, Object> twice =
          new LinkedHashMap<>(
              Map.of("eventType", "batch.a", "payload", Map.of("i", i), "eventId", "pair-" + i));
      calls.add(
          () ->
              "a " + twice.get("eventId") + " " + statusAndId(api.post(messagesPath(appA), twice)));
      calls.add(
          () ->
              "a " + twice.get("eventId") + " " + statusAndId(api.post(messagesPath(appA), twice)));
    }
    for (int i = 0; i < 8; i++) {
      Map<String, Object> body = Map.of("eventType", onlyB, "payload", Map.of("i", i));
      Map<String, Object> filteredOut =
          Map.of("eventType", "batch.other", "payload", Map.of("i", i));
      Map<String, Object> onTheFly =
          Map.of(
              "eventType",
              "batch.new",
              "payload",
              Map.of("i", i),
              "application",
              Map.of("name", "made on the fly"));
      String newUid = uniqueUid("fly");
      calls.add(() -> "b " + statusAndId(api.post(messagesPath(appB), body)));
      calls.add(() -> "b-filtered " + statusAndId(api.post(messagesPath(appB), filteredOut)));
      calls.add(() -> "missing " + statusAndId(api.post(messagesPath(uniqueUid("none")), body)));
      calls.add(() -> "fly " + statusAndId(api.post(messagesPath(newUid), onTheFly)));
    }
    java.util.Collections.shuffle(calls, new java.util.Random(7));

    List<String> answers = new ArrayList<>();
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(calls.size())) {
      for (var f : pool.invokeAll(calls)) {
        answers.add(f.get());
      }
    }

    Map<String, List<String>> byPair = new java.util.HashMap<>();
    answers.stream()
        .filter(a -> a.startsWith("a "))
        .forEach(
            a ->
                byPair
                    .computeIfAbsent(a.split(" ")[1], k -> new ArrayList<>())
                    .add(a.split(" ")[2]));
    assertThat(byPair).hasSize(24);
    byPair
        .values()
        .forEach(statuses -> assertThat(statuses).containsExactlyInAnyOrder("202", "409"));
    assertThat(answers)
        .filteredOn(a -> a.startsWith("b "))
        .allMatch(a -> a.startsWith("b 202 msg_"))
        .hasSize(8);
    assertThat(answers)
        .filteredOn(a -> a.startsWith("b-filtered "))
        .allMatch(a -> a.contains(" 202 msg_"));
    assertThat(answers)
        .filteredOn(a -> a.startsWith("missing "))
        .allMatch(a -> a.equals("missing 404"));
    assertThat(answers)
        .filteredOn(a -> a.startsWith("fly "))
        .allMatch(a -> a.contains(" 202 msg_"))
        .hasSize(8);
    List<String> acceptedA =
        answers.stream()
            .filter(a -> a.startsWith("a ") && a.contains(" 202 "))
            .map(a -> "/a " + a.substring(a.lastIndexOf(' ') + 1))
            .toList();
    List<String> acceptedB =
        answers.stream()
            .filter(a -> a.startsWith("b 202 "))
            .map(a -> "/b " + a.substring(a.lastIndexOf(' ') + 1))
            .toList();
    List<String> expected = new ArrayList<>(acceptedA);
    expected.addAll(acceptedB);
    assertThat(rx.awaitRequests(expected.size(), timeout()))
        .extracting(r -> r.path() + " " + r.webhookId())
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(listAll(api, messagesPath(appA), "limit=250", "id")).hasSize(24);
  }

  private static String messagesPath(String app) {
    return "/api/v1/app/" + app + "/msg";
  }

  private static String statusAndId(Api.Response r) {
    return r.status() == 202 ? "202 " + r.field("id") : Integer.toString(r.status());
  }

  // ---- the request ---------------------------------------------------------------------------

  @Test
  void a_delivery_is_a_signed_post_of_the_stored_bytes_with_the_standard_headers()
      throws Exception {
    Receiver rx = receiver();
    String app = hooks.createApp();
    String ep = hooks.createEndpoint(app, rx.url());
    assertThat(
            api.put(
                    endpointPath(app, ep) + "/headers",
                    Map.of("headers", Map.of("x-tenant", "acme-42")))
                .status())
        .isEqualTo(204);
    String secret = hooks.secret(app, ep);
    // A raw payload is sent verbatim: odd spacing, key order and non-ASCII text must survive.
    String raw = "{\"z\": 1,   \"a\":\"\u00e9t\u00e9 \u2603\", \"n\" : [1,2 ,3]}";
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("eventType", "invoice.paid");
    body.put("payload", Map.of());
    body.put("transformationsParams", Map.of("rawPayload", raw));
    long before = Instant.now().getEpochSecond();
    String msg = hooks.send(app, body);

    Receiver.Request r = rx.awaitRequests(1, timeout()).get(0);
    long after = Instant.now().getEpochSecond();

    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.body()).isEqualTo(raw.getBytes(StandardCharsets.UTF_8));
    assertThat(r.header("content-type")).isEqualTo("application/json");
    assertThat(r.header("webhook-id")).isEqualTo(msg);
    assertThat(r.header("webhook-timestamp")).matches("[1-9][0-9]*");
    assertThat(Long.parseLong(r.header("webhook-timestamp"))).isBetween(before, after);
    assertThat(r.header("user-agent")).startsWith("Herald/");
    assertThat(r.header("x-tenant")).isEqualTo("acme-42");
    assertThat(r.header("webhook-signature")).matches("v1,[A-Za-z0-9+/]{43}=");
    assertThat(r.header("svix-id")).isNull();

    assertThatCode(() -> new dev.herald.verify.Webhook(secret).verify(r.body(), r.firstHeaders()))
        .doesNotThrowAnyException();
    assertThatCode(() -> new com.standardwebhooks.Webhook(secret).verify(r.bodyText(), r.headers()))
        .doesNotThrowAnyException();
    // And the signature really depends on the body.
    assertThatThrownBy(
            () -> new com.standardwebhooks.Webhook(secret).verify(r.bodyText() + " ", r.headers()))
        .isInstanceOf(com.standardwebhooks.exceptions.WebhookVerificationException.class);
  }

  @Test
  void a_rotated_secret_signs_with_the_new_and_the_old_secret_during_the_grace_period() {
    Receiver rx = receiver();
    String app = hooks.createApp();
    String ep = hooks.createEndpoint(app, rx.url());
    String oldSecret = hooks.secret(app, ep);
    assertThat(api.post(endpointPath(app, ep) + "/secret/rotate", Map.of()).status())
        .isEqualTo(204);
    String newSecret = hooks.secret(app, ep);
    assertThat(newSecret).isNotEqualTo(oldSecret);

    hooks.send(app, "invoice.paid");
    Receiver.Request r = rx.awaitRequests(1, timeout()).get(0);

    String[] entries = r.header("webhook-signature").split(" ");
    assertThat(entries).hasSize(2).allMatch(e -> e.matches("v1,[A-Za-z0-9+/]{43}="));
    assertThat(entries[0]).isNotEqualTo(entries[1]);
    for (String secret : List.of(oldSecret, newSecret)) {
      assertThatCode(() -> new dev.herald.verify.Webhook(secret).verify(r.body(), r.firstHeaders()))
          .as("herald-verify with %s", secret)
          .doesNotThrowAnyException();
      assertThatCode(
              () -> new com.standardwebhooks.Webhook(secret).verify(r.bodyText(), r.headers()))
          .as("standardwebhooks with %s", secret)
          .doesNotThrowAnyException();
      // Each secret matches exactly one of the two entries.
      long matching =
          java.util.Arrays.stream(entries)
              .filter(
                  e -> {
                    Map<String, List<String>> one = new HashMap<>(r.headers());
                    one.put("webhook-signature", List.of(e));
                    try {
                      new com.standardwebhooks.Webhook(secret).verify(r.bodyText(), one);
                      return true;
                    } catch (com.standardwebhooks.exceptions.WebhookVerificationException ex) {
                      return false;
                    }
                  })
              .count();
      assertThat(matching).as("entries signed with %s", secret).isEqualTo(1);
    }
  }

  @Test
  void svix_headers_are_sent_beside_the_standard_ones_when_configured_to_send_both()
      throws Exception {
    Map<String, String> both = new HashMap<>(SETTINGS);
    both.put("HERALD_SIGNATURE_HEADERS", "both");
    try (TestServer other = TestServer.builder(backend).settings(both).start()) {
      Webhooks h = new Webhooks(other.api());
      Receiver rx = receiver();
      String app = h.createApp();
      String ep = h.createEndpoint(app, rx.url());
      String secret = h.secret(app, ep);
      String msg = h.send(app, "invoice.paid");

      Receiver.Request r = rx.awaitRequests(1, timeout()).get(0);

      assertThat(r.header("svix-id")).isEqualTo(msg).isEqualTo(r.header("webhook-id"));
      assertThat(r.header("svix-timestamp")).isEqualTo(r.header("webhook-timestamp"));
      assertThat(r.header("svix-signature")).isEqualTo(r.header("webhook-signature"));
      Map<String, String> svixOnly = new HashMap<>();
      r.firstHeaders()
          .forEach(
              (k, v) -> {
                if (!k.startsWith("webhook-")) {
                  svixOnly.put(k, v);
                }
              });
      assertThatCode(() -> new dev.herald.verify.Webhook(secret).verify(r.body(), svixOnly))
          .doesNotThrowAnyException();
      Map<String, List<String>> svixLists = new HashMap<>();
      svixOnly.forEach((k, v) -> svixLists.put(k, List.of(v)));
      assertThatCode(() -> new com.svix.Webhook(secret).verify(r.bodyText(), svixLists))
          .doesNotThrowAnyException();
    }
  }

  // ---- retries and their timing --------------------------------------------------------------

  @Test
  void a_failed_attempt_is_retried_after_the_jittered_delay_with_the_same_webhook_id() {
    Receiver rx = receiver().replySequence(Reply.ok(), Reply.status(500));
    String app = hooks.createApp();
    String ep = hooks.createEndpoint(app, rx.url());
    String secret = hooks.secret(app, ep);
    String msg = hooks.send(app, "invoice.paid");

    List<Receiver.Request> got = rx.awaitRequests(2, timeout());
    List<JsonNode> attempts =
        Eventually.await(
            "two attempts recorded", () -> hooks.attemptsOfMessage(app, msg), l -> l.size() == 2);

    assertThat(attempts)
        .extracting(a -> a.path("responseStatusCode").asInt())
        .containsExactly(500, 200);
    assertThat(attempts).extracting(a -> a.path("status").asInt()).containsExactly(2, 0);
    assertThat(attempts).extracting(a -> a.path("triggerType").asInt()).containsExactly(0, 0);
    long gap = Duration.ofNanos(got.get(1).receivedNanos() - got.get(0).receivedNanos()).toMillis();
    assertThat(gap)
        .as("ms between the two arrivals")
        .isBetween(
            RETRY_DELAY.minus(JITTER).toMillis(),
            RETRY_DELAY.plus(JITTER).plus(RETRY_SLACK).toMillis());
    assertThat(got).extracting(Receiver.Request::webhookId).containsExactly(msg, msg);
    for (Receiver.Request r : got) {
      assertThatCode(() -> new dev.herald.verify.Webhook(secret).verify(r.body(), r.firstHeaders()))
          .doesNotThrowAnyException();
    }
    assertThat(hooks.awaitDeliveryStatus(app, ep, msg, 0).path("nextAttempt").isNull()).isTrue();
  }

  @Test
  void a_429_with_retry_after_puts_the_next_attempt_at_least_60_seconds_away() {
    Receiver rx = receiver().replyWith(Reply.status(429).withHeader("Retry-After", "1"));
    String app = hooks.createApp();
    String ep = hooks.createEndpoint(app, rx.url());
    String msg = hooks.send(app, "invoice.paid");

    JsonNode attempt = hooks.awaitAttempts(app, msg, 1).get(0);
    JsonNode delivery = hooks.awaitDeliveryStatus(app, ep, msg, 1);

    assertThat(attempt.path("responseStatusCode").asInt()).isEqualTo(429);
    Instant next = instant(delivery.path("nextAttempt"));
    assertThat(millisBetween(instant(attempt.path("timestamp")), next))
        .isGreaterThanOrEqualTo(60_000);
    assertThat(rx.count()).isEqualTo(1);
  }

  @Test
  void a_410_gets_exactly_one_attempt_and_fails_the_message() {
    Receiver rx = receiver().replyWith(Reply.status(410));
    String app = hooks.createApp();
    String ep = hooks.createEndpoint(app, rx.url());
    String msg = hooks.send(app, "invoice.paid");

    JsonNode delivery = hooks.awaitDeliveryStatus(app, ep, msg, 2);

    assertThat(delivery.path("statusText").asText()).isEqualTo("fail");
    assertThat(delivery.path("nextAttempt").isNull()).isTrue();
    assertThat(hooks.attemptsOfMessage(app, msg))
        .singleElement()
        .satisfies(a -> assertThat(a.path("responseStatusCode").asInt()).isEqualTo(410));
    assertThat(rx.count()).isEqualTo(1);
  }

  @Test
  void an_abort_message_header_stops_retries_after_one_attempt() {
    Receiver rx =
        receiver().replyWith(Reply.status(500).withHeader("webhook-delivery", "abort-message"));
    String app = hooks.createApp();
    String ep = hooks.createEndpoint(app, rx.url());
    String msg = hooks.send(app, "invoice.paid");

    JsonNode delivery = hooks.awaitDeliveryStatus(app, ep, msg, 2);

    assertThat(delivery.path("nextAttempt").isNull()).isTrue();
    assertThat(hooks.attemptsOfMessage(app, msg))
        .singleElement()
        .satisfies(a -> assertThat(a.path("responseStatusCode").asInt()).isEqualTo(500));
    assertThat(rx.count()).isEqualTo(1);
  }

  @Test
  void
      a_receiver_hanging_past_the_timeout_gets_a_timeout_attempt_and_a_retry_at_least_60_seconds_away() {
    Receiver rx = receiver().replyWith(Reply.ok().after(Duration.ofSeconds(5)));
    String app = hooks.createApp();
    String ep = hooks.createEndpoint(app, rx.url());
    String msg = hooks.send(app, "invoice.paid");

    JsonNode attempt = hooks.awaitAttempts(app, msg, 1).get(0);
    JsonNode delivery = hooks.awaitDeliveryStatus(app, ep, msg, 1);

    assertThat(attempt.path("responseStatusCode").asInt()).isZero();
    assertThat(attempt.path("status").asInt()).isEqualTo(2);
    assertThat(attempt.path("response").asText()).containsIgnoringCase("timeout");
    assertThat(
            millisBetween(
                instant(attempt.path("timestamp")), instant(delivery.path("nextAttempt"))))
        .isGreaterThanOrEqualTo(60_000);
    assertThat(rx.count()).isEqualTo(1);
  }

  @Test
  void a_refused_connection_is_recorded_and_retried_per_schedule() {
    String app = hooks.createApp();
    String ep = hooks.createEndpoint(app, "http://127.0.0.1:" + closedPort() + "/webhook");
    String msg = hooks.send(app, "invoice.paid");

    List<JsonNode> attempts = hooks.awaitAttempts(app, msg, 3);
    // The endpoint's own routes cannot read the damaged row either; ask the database.
    Eventually.await(
        "the delivery to be exhausted",
        () ->
            server
                .herald()
                .database()
                .read(
                    sql -> sql.queryLong("SELECT status FROM delivery WHERE message_id = ?", msg)),
        status -> status == 2);
    attempts = hooks.attemptsOfMessage(app, msg);

    assertThat(attempts)
        .hasSize(3)
        .allSatisfy(
            a -> {
              assertThat(a.path("responseStatusCode").asInt()).isZero();
              assertThat(a.path("status").asInt()).isEqualTo(2);
              assertThat(a.path("response").asText()).containsIgnoringCase("connection");
            });
    for (int i = 1; i < attempts.size(); i++) {
      long gap =
          millisBetween(
              instant(attempts.get(i - 1).path("timestamp")),
              instant(attempts.get(i).path("timestamp")));
      assertThat(gap)
          .as("ms between attempts %d and %d", i, i + 1)
          .isBetween(
              RETRY_DELAY.minus(JITTER).toMillis(),
              RETRY_DELAY.plus(JITTER).plus(RETRY_SLACK).toMillis());
    }
  }

  /**
   * A receiver that refuses connections fails each request at once; probed back to back, 100 such
   * endpoints drew 1,000 to 2,000 failed attempts a second. Its deliveries are tried a probe
   * interval apart (a second here: the first retry delay is longer), whatever is due.
   */
  @Test
  void an_endpoint_refusing_connections_is_probed_a_second_apart() {
    Map<String, String> settings = new HashMap<>(SETTINGS);
    settings.put("HERALD_RETRY_SCHEDULE", "1h");
    try (TestServer node = TestServer.builder(backend).settings(settings).start()) {
      Webhooks h = new Webhooks(node.api());
      String app = h.createApp();
      h.createEndpoint(app, "http://127.0.0.1:" + closedPort() + "/webhook");
      List<String> messages = List.of(h.send(app, "a.b"), h.send(app, "a.b"), h.send(app, "a.b"));

      List<Instant> tried =
          messages.stream()
              .map(msg -> instant(h.awaitAttempts(app, msg, 1).get(0).path("timestamp")))
              .sorted()
              .toList();

      for (int i = 1; i < tried.size(); i++) {
        assertThat(millisBetween(tried.get(i - 1), tried.get(i)))
            .as("ms between probes %d and %d", i, i + 1)
            .isGreaterThanOrEqualTo(950);
      }
    }
  }

  @Test
  void a_redirect_is_a_failure_and_its_location_receives_nothing() {
    Receiver target = receiver();
    Receiver rx = receiver().replyWith(Reply.redirectTo(target.url()));
    String app = hooks.createApp();
    hooks.createEndpoint(app, rx.url());
    String msg = hooks.send(app, "invoice.paid");

    JsonNode attempt = hooks.awaitAttempts(app, msg, 1).get(0);

    assertThat(attempt.path("responseStatusCode").asInt()).isEqualTo(302);
    assertThat(attempt.path("status").asInt()).isEqualTo(2);
    assertThat(rx.count()).isGreaterThanOrEqualTo(1);
    assertThat(target.count()).isZero();
  }

  @Test
  void an_oversized_response_is_a_success_and_at_most_20_kb_of_it_is_kept() {
    Receiver rx = receiver().replyWith(Reply.ok().withBodySize(5 * 1024 * 1024));
    String app = hooks.createApp();
    String ep = hooks.createEndpoint(app, rx.url());
    String msg = hooks.send(app, "invoice.paid");

    hooks.awaitDeliveryStatus(app, ep, msg, 0);
    JsonNode attempt = hooks.attemptsOfMessage(app, msg).get(0);
    JsonNode one =
        api.get("/api/v1/app/" + app + "/msg/" + msg + "/attempt/" + attempt.path("id").asText())
            .body();

    assertThat(one.path("status").asInt()).isZero();
    assertThat(one.path("responseStatusCode").asInt()).isEqualTo(200);
    assertThat(one.path("response").asText()).isNotEmpty().startsWith("0123456789abcdef");
    assertThat(one.path("response").asText().getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(20 * 1024);
    assertThat(hooks.attemptsOfMessage(app, msg)).hasSize(1);
  }

  /**
   * One HTTP client sends every tenant's deliveries: a cookie one receiver set must not ride along
   * to the next delivery, which may be another customer's endpoint on the same host.
   */
  @Test
  void a_cookie_a_receiver_sets_is_never_sent_with_later_deliveries() {
    Receiver rx =
        receiver().replyWith(Reply.ok().withHeader("Set-Cookie", "session=s3cret; Path=/"));
    String app = hooks.createApp();
    hooks.createEndpoint(app, rx.url());
    String first = hooks.send(app, "invoice.paid");
    rx.awaitRequestsFor(first, 1, Duration.ofSeconds(10));
    String second = hooks.send(app, "invoice.paid");

    Receiver.Request later = rx.awaitRequestsFor(second, 1, Duration.ofSeconds(10)).get(0);

    assertThat(later.header("Cookie")).isNull();
  }

  // ---- the attempt log -----------------------------------------------------------------------

  @Test
  void the_attempt_log_lists_filters_shows_and_expunges_attempts_and_counts_deliveries() {
    Receiver okRx = receiver().replyWith(Reply.ok().withBody("thanks"));
    Receiver goneRx = receiver().replyWith(Reply.status(410).withBody("go away"));
    String app = hooks.createApp();
    String ok = hooks.createEndpoint(app, okRx.url());
    String gone = hooks.createEndpoint(app, goneRx.url());
    String m1 = hooks.send(app, "invoice.paid");
    String m2 = hooks.send(app, "invoice.paid");
    for (String m : List.of(m1, m2)) {
      hooks.awaitDeliveryStatus(app, ok, m, 0);
      hooks.awaitDeliveryStatus(app, gone, m, 2);
    }

    // By endpoint, with the status and status-code-class filters.
    assertThat(hooks.attemptsOfEndpoint(app, ok, ""))
        .hasSize(2)
        .allSatisfy(a -> assertThat(a.path("responseStatusCode").asInt()).isEqualTo(200))
        .extracting(a -> a.path("msgId").asText())
        .containsExactlyInAnyOrder(m1, m2);
    assertThat(hooks.attemptsOfEndpoint(app, ok, "status=0")).hasSize(2);
    assertThat(hooks.attemptsOfEndpoint(app, ok, "status=2")).isEmpty();
    assertThat(hooks.attemptsOfEndpoint(app, gone, "status=2")).hasSize(2);
    assertThat(hooks.attemptsOfEndpoint(app, gone, "status_code_class=400")).hasSize(2);
    assertThat(hooks.attemptsOfEndpoint(app, gone, "status_code_class=200")).isEmpty();
    assertThat(hooks.attemptsOfEndpoint(app, ok, "status_code_class=200")).hasSize(2);

    // By message.
    assertThat(hooks.attemptsOfMessage(app, m1))
        .extracting(a -> a.path("endpointId").asText())
        .containsExactlyInAnyOrder(ok, gone);
    assertThat(hooks.attemptsOfMessage(app, m1, "status=0"))
        .extracting(a -> a.path("endpointId").asText())
        .containsExactly(ok);
    assertThat(hooks.attemptsOfMessage(app, m1, "status_code_class=400"))
        .extracting(a -> a.path("endpointId").asText())
        .containsExactly(gone);
    assertThat(hooks.attemptsOfMessage(app, m1, "endpoint_id=" + gone)).hasSize(1);

    // One attempt, then its response expunged.
    JsonNode listed = hooks.attemptsOfMessage(app, m1, "status=0").get(0);
    String attemptPath =
        "/api/v1/app/" + app + "/msg/" + m1 + "/attempt/" + listed.path("id").asText();
    Api.Response one = api.get(attemptPath);
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.field("id")).isEqualTo(listed.path("id").asText());
    assertThat(one.field("msgId")).isEqualTo(m1);
    assertThat(one.field("endpointId")).isEqualTo(ok);
    assertThat(one.field("url")).isEqualTo(okRx.url());
    assertThat(one.field("response")).isEqualTo("thanks");
    assertThat(one.body().path("responseStatusCode").asInt()).isEqualTo(200);
    assertThat(one.body().path("status").asInt()).isZero();
    assertThat(one.body().path("triggerType").asInt()).isZero();
    assertThat(api.delete(attemptPath + "/content").status()).isEqualTo(204);
    assertThat(api.get(attemptPath).field("response")).isEmpty();
    assertThat(api.get(attemptPath).body().path("responseStatusCode").asInt()).isEqualTo(200);

    // Delivery state from both sides.
    assertThat(hooks.deliveryAt(app, ok, m2).path("status").asInt()).isZero();
    assertThat(hooks.deliveryAt(app, gone, m2).path("status").asInt()).isEqualTo(2);
    JsonNode destinations = api.get("/api/v1/app/" + app + "/msg/" + m1 + "/endpoint").body();
    Map<String, Integer> statusByEndpoint = new HashMap<>();
    destinations
        .path("data")
        .forEach(d -> statusByEndpoint.put(d.path("id").asText(), d.path("status").asInt()));
    assertThat(statusByEndpoint).containsExactlyInAnyOrderEntriesOf(Map.of(ok, 0, gone, 2));

    // Stats.
    JsonNode okStats = api.get(endpointPath(app, ok) + "/stats").body();
    JsonNode goneStats = api.get(endpointPath(app, gone) + "/stats").body();
    assertThat(
            List.of(
                okStats.path("success").asInt(),
                okStats.path("pending").asInt(),
                okStats.path("sending").asInt(),
                okStats.path("fail").asInt()))
        .containsExactly(2, 0, 0, 0);
    assertThat(
            List.of(
                goneStats.path("success").asInt(),
                goneStats.path("pending").asInt(),
                goneStats.path("sending").asInt(),
                goneStats.path("fail").asInt()))
        .containsExactly(0, 0, 0, 2);
  }

  // ---- resend and recover --------------------------------------------------------------------

  @Test
  void
      a_resend_delivers_to_one_endpoint_whatever_its_filter_as_a_manual_attempt_that_is_never_retried()
          throws InterruptedException {
    Receiver rx = receiver();
    Receiver failing = receiver().replyWith(Reply.status(500));
    String app = hooks.createApp();
    String paid = hooks.createEventType("invoice.paid");
    String voided = hooks.createEventType("invoice.voided");
    String subscribed =
        id(hooks.createEndpoint(app, rx.url("/subscribed"), Map.of("eventTypes", List.of(paid))));
    String other =
        id(hooks.createEndpoint(app, rx.url("/other"), Map.of("eventTypes", List.of(voided))));
    String broken =
        id(hooks.createEndpoint(app, failing.url(), Map.of("eventTypes", List.of(voided))));
    String msg = hooks.send(app, paid, null);
    rx.awaitRequests(1, timeout());

    String resend = "/api/v1/app/" + app + "/msg/" + msg + "/endpoint/";
    assertThat(api.post(resend + other + "/resend", null).status()).isEqualTo(202);
    assertThat(api.post(resend + broken + "/resend", null).status()).isEqualTo(202);

    List<Receiver.Request> got = rx.awaitRequests(2, timeout());
    assertThat(got)
        .extracting(r -> r.path() + " " + r.webhookId())
        .containsExactly("/subscribed " + msg, "/other " + msg);
    JsonNode manual =
        Eventually.await(
                "the manual attempt at " + other,
                () -> hooks.attemptsOfMessage(app, msg, "endpoint_id=" + other),
                l -> !l.isEmpty())
            .get(0);
    assertThat(manual.path("triggerType").asInt()).isEqualTo(1);
    assertThat(manual.path("status").asInt()).isZero();
    assertThat(hooks.attemptsOfMessage(app, msg, "endpoint_id=" + subscribed))
        .singleElement()
        .satisfies(a -> assertThat(a.path("triggerType").asInt()).isZero());

    JsonNode failed =
        Eventually.await(
                "the manual attempt at " + broken,
                () -> hooks.attemptsOfMessage(app, msg, "endpoint_id=" + broken),
                l -> !l.isEmpty())
            .get(0);
    assertThat(failed.path("triggerType").asInt()).isEqualTo(1);
    assertThat(failed.path("status").asInt()).isEqualTo(2);
    // A scheduled delivery would be retried within 1.2 s (+ slack); a manual one never is.
    Thread.sleep(RETRY_DELAY.plus(JITTER).plus(RETRY_SLACK).toMillis());
    assertThat(failing.count()).isEqualTo(1);
    assertThat(hooks.attemptsOfMessage(app, msg, "endpoint_id=" + broken)).hasSize(1);
  }

  @Test
  void recover_redelivers_the_failed_messages_of_an_endpoint_in_a_background_task() {
    Receiver rx = receiver().replyWith(Reply.status(410));
    String app = hooks.createApp();
    String ep = hooks.createEndpoint(app, rx.url());
    Instant since = Instant.now().minusSeconds(60);
    List<String> msgs =
        List.of(hooks.send(app, "a.b"), hooks.send(app, "a.b"), hooks.send(app, "a.b"));
    msgs.forEach(m -> hooks.awaitDeliveryStatus(app, ep, m, 2));
    rx.replyWith(Reply.ok());

    Api.Response started =
        api.post(endpointPath(app, ep) + "/recover", Map.of("since", since.toString()));

    assertThat(started.status()).as("%s", started).isEqualTo(202);
    assertThat(started.field("id")).startsWith("qtask_");
    assertThat(started.field("status")).isEqualTo("running");
    assertThat(started.field("task")).isEqualTo("endpoint.recover");
    msgs.forEach(m -> rx.awaitRequestsFor(m, 2, timeout()));
    msgs.forEach(m -> hooks.awaitDeliveryStatus(app, ep, m, 0));
    awaitTaskFinished(api, started.field("id"));
  }

  @Test
  void a_recover_task_interrupted_by_a_restart_completes_after_it() {
    try (TestServer node = TestServer.builder(backend).settings(SETTINGS).start()) {
      Webhooks h = new Webhooks(node.api());
      Receiver rx = receiver().replyWith(Reply.status(410));
      String app = h.createApp();
      String ep = h.createEndpoint(app, rx.url());
      Instant since = Instant.now().minusSeconds(60);
      List<String> msgs = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        msgs.add(h.send(app, "a.b"));
      }
      msgs.forEach(m -> h.awaitDeliveryStatus(app, ep, m, 2));
      rx.replyWith(Reply.ok());

      Api.Response started =
          node.api().post(endpointPath(app, ep) + "/recover", Map.of("since", since.toString()));
      assertThat(started.status()).as("%s", started).isEqualTo(202);
      node.restart();

      Webhooks after = new Webhooks(node.api());
      msgs.forEach(m -> rx.awaitRequestsFor(m, 2, timeout()));
      msgs.forEach(m -> after.awaitDeliveryStatus(app, ep, m, 0));
      awaitTaskFinished(node.api(), started.field("id"));
    }
  }

  private static void awaitTaskFinished(Api client, String taskId) {
    Eventually.await(
        "task " + taskId + " to finish",
        () -> client.get("/api/v1/background-task/" + taskId),
        r -> r.status() == 200 && "finished".equals(r.field("status")));
  }

  // ---- throttling ----------------------------------------------------------------------------

  @Test
  void a_throttled_endpoint_gets_at_most_its_rate_per_second_while_another_gets_the_burst_at_once()
      throws Exception {
    int rate = 5;
    int burst = 20;
    Receiver slow = receiver();
    Receiver fast = receiver();
    String app = hooks.createApp();
    hooks.createEndpoint(app, slow.url(), Map.of("throttleRate", rate));
    hooks.createEndpoint(app, fast.url());

    ExecutorService senders = Executors.newFixedThreadPool(4);
    try {
      List<Future<String>> sent = new ArrayList<>();
      for (int i = 0; i < burst; i++) {
        sent.add(senders.submit(() -> hooks.send(app, "burst.event")));
      }
      for (Future<String> f : sent) {
        f.get();
      }
    } finally {
      senders.shutdown();
    }

    List<Receiver.Request> fastGot = fast.awaitRequests(burst, timeout());
    int slowWhenFastDone = slow.count();
    List<Receiver.Request> slowGot = slow.awaitRequests(burst, timeout());

    // At 5/s the throttled endpoint needs about 4 s for 20; the other is done long before.
    assertThat(slowWhenFastDone)
        .as("throttled deliveries done when the unthrottled burst was complete")
        .isLessThan(burst / 2);
    assertThat(fastGot).hasSize(burst);
    // The throttle spaces request starts at least 1/rate apart, so a one-second window holds at
    // most
    // `rate` of them. Arrival times at the receiver carry scheduling and network jitter, and with
    // starts exactly 200 ms apart a window that opens on one arrival closes exactly on the sixth,
    // so
    // we allow rate + 1 in any window measured at the receiver.
    long window = Duration.ofSeconds(1).toNanos();
    for (int i = 0; i < slowGot.size(); i++) {
      long start = slowGot.get(i).receivedNanos();
      long inWindow =
          slowGot.stream()
              .filter(r -> r.receivedNanos() >= start && r.receivedNanos() < start + window)
              .count();
      assertThat(inWindow)
          .as("requests in the second after arrival %d", i)
          .isLessThanOrEqualTo(rate + 1);
    }
  }

  @Test
  void a_retry_that_fell_due_is_sent_when_a_test_steps_the_claim_job() {
    MutableClock clock = MutableClock.atSystemTime();
    Map<String, String> settings = new HashMap<>(SETTINGS);
    // The claim job runs at start, then not for a minute: only the step below can claim the retry.
    settings.put("HERALD_POLL_INTERVAL", "1m");
    settings.put("HERALD_RETRY_SCHEDULE", "1h");
    try (TestServer node = TestServer.builder(backend).settings(settings).clock(clock).start()) {
      Webhooks h = new Webhooks(node.api());
      Receiver rx = receiver().replySequence(Reply.ok(), Reply.status(500));
      String app = h.createApp();
      String ep = h.createEndpoint(app, rx.url());
      String msg = h.send(app, "a.b");
      h.awaitAttempts(app, msg, 1);
      assertThat(h.deliveryAt(app, ep, msg).path("nextAttempt").isNull())
          .as("a retry is scheduled")
          .isFalse();

      clock.advance(Duration.ofHours(2));
      node.herald().dispatcher().stepClaim();

      h.awaitDeliveryStatus(app, ep, msg, 0);
      assertThat(rx.requestsFor(msg)).hasSize(2);
    }
  }

  /**
   * The oldest due work is often the backlog of endpoints that hang. A claim that took all of it
   * filled the node's in-flight budget with work queued behind those endpoints' one probing request
   * each, and a healthy endpoint's work, due just after, stayed in the database until the hanging
   * requests timed out (bench {@code isolation}: half the healthy rate, p99 of tens of seconds).
   * The claim takes no more of an endpoint's work than its lane holds.
   */
  @Test
  void a_healthy_endpoints_due_work_is_claimed_while_hanging_endpoints_backlog_is_older() {
    MutableClock clock = MutableClock.atSystemTime();
    Map<String, String> settings = new HashMap<>(SETTINGS);
    settings.put("HERALD_MAX_IN_FLIGHT", "20");
    settings.put("HERALD_REQUEST_TIMEOUT", "60s");
    Receiver hanging = receiver().replyWith(Reply.ok().after(Duration.ofSeconds(60)));
    Receiver healthy = receiver();
    try (TestServer node = TestServer.builder(backend).settings(settings).clock(clock).start()) {
      Webhooks h = new Webhooks(node.api());
      String slowApp = h.createApp();
      int hangingEndpoints = 5;
      for (int i = 0; i < hangingEndpoints; i++) {
        h.createEndpoint(slowApp, hanging.url("/hang-" + i));
      }
      String fastApp = h.createApp();
      h.createEndpoint(fastApp, healthy.url("/ok"));
      // Scheduled, so all of it is written to the database and found by the claim loop: 200
      // deliveries to the hanging endpoints due first, then 10 to the healthy one.
      Instant due = clock.instant().plus(Duration.ofMinutes(10));
      for (int i = 0; i < 40; i++) {
        sendAt(node, slowApp, due);
      }
      List<String> healthyMessages = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        healthyMessages.add(sendAt(node, fastApp, due.plusSeconds(1)));
      }

      try {
        clock.advance(Duration.ofMinutes(20));

        assertThat(healthy.awaitRequests(10, timeout()))
            .extracting(Receiver.Request::webhookId)
            .containsExactlyInAnyOrderElementsOf(healthyMessages);
        // Their requests may still be on the way when the healthy ones arrived: one each, no more.
        Eventually.await(
            "each hanging endpoint probed", hanging::count, n -> n >= hangingEndpoints);
        assertThat(hanging.count())
            .as("each hanging endpoint is probed by one request at a time, still hanging")
            .isEqualTo(hangingEndpoints);
        // The healthy deliveries' results are recorded just after the receiver saw them.
        Eventually.await(
            "held: one in flight and one queued per hanging endpoint",
            () -> node.herald().dispatcher().held(),
            held -> held == 2 * hangingEndpoints);
      } finally {
        // The hung requests end with the receiver, so the node stops without waiting for them.
        hanging.close();
      }
    }
  }

  /**
   * Endpoints that answer, however slowly, are never probed: each earned its full concurrency and
   * lane capacity, and a few of them held the node's whole budget, so a healthy endpoint's delivery
   * waited in the database until a slow request ended (bench {@code slow-endpoints}: p99 of
   * seconds). Busy lanes now share the budget: here 12 among three slow lanes and one free share, 3
   * each, and the healthy endpoint gets its delivery while all of theirs are still unanswered.
   */
  @Test
  void slow_endpoints_that_answer_hold_only_their_share_of_the_budget() throws Exception {
    Map<String, String> settings = new HashMap<>(SETTINGS);
    settings.put("HERALD_MAX_IN_FLIGHT", "12");
    settings.put("HERALD_REQUEST_TIMEOUT", "60s");
    CountDownLatch answerSlowOnes = new CountDownLatch(1);
    AtomicBoolean holding = new AtomicBoolean();
    Receiver slow = receiver().holdWhile(holding, answerSlowOnes);
    Receiver healthy = receiver();
    try (TestServer node = TestServer.builder(backend).settings(settings).start()) {
      Webhooks h = new Webhooks(node.api());
      String slowApp = h.createApp();
      int slowEndpoints = 3;
      for (int i = 0; i < slowEndpoints; i++) {
        h.createEndpoint(slowApp, slow.url("/slow-" + i));
      }
      String fastApp = h.createApp();
      h.createEndpoint(fastApp, healthy.url("/ok"));
      // Each slow endpoint answers once at once: its lane opens to its full concurrency.
      h.send(slowApp, "slow.first");
      slow.awaitRequests(slowEndpoints, timeout());
      Eventually.await(
          "first answers recorded", () -> node.herald().dispatcher().held(), held -> held == 0);

      try {
        holding.set(true);
        for (int i = 0; i < 30; i++) {
          h.send(slowApp, "slow.held");
        }
        Eventually.await(
            "the slow lanes full", () -> slow.count(), n -> n >= slowEndpoints + 3 * slowEndpoints);
        String healthyMessage = h.send(fastApp, "healthy");

        assertThat(healthy.awaitRequests(1, timeout()))
            .extracting(Receiver.Request::webhookId)
            .containsExactly(healthyMessage);
        assertThat(slow.count() - slowEndpoints)
            .as("requests the slow endpoints hold: their share of the budget, 3 each")
            .isEqualTo(3 * slowEndpoints);
      } finally {
        answerSlowOnes.countDown();
      }
      // Nothing is lost to the share: the rest waited in the database and is delivered now.
      slow.awaitRequests(slowEndpoints + 30 * slowEndpoints, timeout());
      Eventually.await(
          "every lane idle again",
          () -> node.herald().dispatcher().busyLanes(),
          busy -> busy == 0 && node.herald().dispatcher().held() == 0);
    }
  }

  /**
   * Room a lane gets back without a delivery ending, here an accepting transaction's reservation
   * rolled back, wakes the claim for the work the lane left in the database. The claim of all due
   * work leaves out a lane that left work behind while a delivery of it is in flight (that
   * delivery's end wakes the claim for it), so without this the work would wait for the hanging
   * request to end.
   */
  @Test
  void work_a_full_lane_left_behind_is_claimed_when_a_rolled_back_reservation_frees_room()
      throws Exception {
    Map<String, String> settings = new HashMap<>(SETTINGS);
    // One busy lane's share of 4 is 4 / (1 + 1) = 2: a hanging request and two reservations leave
    // accepting transactions no room (reservations count against each other, not the request).
    settings.put("HERALD_MAX_IN_FLIGHT", "4");
    settings.put("HERALD_REQUEST_TIMEOUT", "60s");
    CountDownLatch answer = new CountDownLatch(1);
    AtomicBoolean holding = new AtomicBoolean();
    Receiver rx = receiver().holdWhile(holding, answer);
    try (TestServer node = TestServer.builder(backend).settings(settings).start()) {
      Webhooks h = new Webhooks(node.api());
      Dispatcher dispatcher = node.herald().dispatcher();
      String app = h.createApp();
      String ep = h.createEndpoint(app, rx.url("/held"));
      // The first answer opens the lane to its full concurrency (2, its share).
      h.send(app, "opens.the.lane");
      rx.awaitRequests(1, timeout());
      Eventually.await("first answer recorded", dispatcher::held, held -> held == 0);
      try {
        holding.set(true);
        h.send(app, "hangs");
        rx.awaitRequests(2, timeout());
        Dispatcher.Reservation first = dispatcher.reserve(ep).orElseThrow();
        Dispatcher.Reservation second = dispatcher.reserve(ep).orElseThrow();
        String leftBehind = h.send(app, "left.behind");

        first.rollback();
        second.rollback();

        assertThat(rx.awaitRequestsFor(leftBehind, 1, timeout()))
            .as("sent beside the hanging request")
            .hasSize(1);
      } finally {
        answer.countDown();
      }
    }
  }

  private static String sendAt(TestServer node, String app, Instant deliverAt) {
    Api.Response sent =
        node.api()
            .post(
                "/api/v1/app/" + app + "/msg",
                Map.of(
                    "eventType", "fair.claim",
                    "payload", Map.of("k", "v"),
                    "deliverAt", deliverAt.toString()));
    assertThat(sent.status()).as("%s", sent).isEqualTo(202);
    return sent.field("id");
  }

  // ---- endpoint health -----------------------------------------------------------------------

  private TestServer clockedServer(MutableClock clock) {
    Map<String, String> settings = new HashMap<>(SETTINGS);
    settings.put("HERALD_RETRY_SCHEDULE", "none");
    settings.put("HERALD_ENDPOINT_DISABLE_AFTER", "1m");
    return TestServer.builder(backend).settings(settings).clock(clock).start();
  }

  private static final Duration PAST_THE_WINDOW = Duration.ofSeconds(61);

  @Test
  void an_endpoint_with_nothing_but_failures_for_the_window_is_disabled_until_re_enabled() {
    MutableClock clock = MutableClock.atSystemTime();
    try (TestServer node = clockedServer(clock)) {
      Webhooks h = new Webhooks(node.api());
      Receiver rx = receiver().replyWith(Reply.status(500));
      String app = h.createApp();
      String ep = h.createEndpoint(app, rx.url());

      h.awaitDeliveryStatus(app, ep, h.send(app, "a.b"), 2);
      assertThat(h.endpoint(app, ep).path("disabled").asBoolean())
          .as("one exhausted delivery starts the clock")
          .isFalse();
      clock.advance(PAST_THE_WINDOW);
      h.awaitDeliveryStatus(app, ep, h.send(app, "a.b"), 2);

      assertThat(h.endpoint(app, ep).path("disabled").asBoolean()).isTrue();
      String whileDisabled = h.send(app, "a.b");
      assertThat(h.destinations(app, whileDisabled)).isEmpty();

      Api.Response enabled = node.api().patch(endpointPath(app, ep), Map.of("disabled", false));
      assertThat(enabled.status()).as("%s", enabled).isEqualTo(200);
      assertThat(enabled.body().path("disabled").asBoolean()).isFalse();
      rx.replyWith(Reply.ok());
      String afterReEnabling = h.send(app, "a.b");
      h.awaitDeliveryStatus(app, ep, afterReEnabling, 0);
      assertThat(rx.requestsFor(afterReEnabling)).hasSize(1);
      assertThat(rx.requestsFor(whileDisabled)).isEmpty();

      // Re-enabling started a fresh clock: failing again does not disable at once.
      rx.replyWith(Reply.status(500));
      h.awaitDeliveryStatus(app, ep, h.send(app, "a.b"), 2);
      assertThat(h.endpoint(app, ep).path("disabled").asBoolean()).isFalse();
    }
  }

  @Test
  void a_success_stops_the_failure_clock() {
    MutableClock clock = MutableClock.atSystemTime();
    try (TestServer node = clockedServer(clock)) {
      Webhooks h = new Webhooks(node.api());
      Receiver rx = receiver().replyWith(Reply.status(500));
      String app = h.createApp();
      String ep = h.createEndpoint(app, rx.url());

      h.awaitDeliveryStatus(app, ep, h.send(app, "a.b"), 2);
      rx.replyWith(Reply.ok());
      h.awaitDeliveryStatus(app, ep, h.send(app, "a.b"), 0);
      clock.advance(PAST_THE_WINDOW);
      rx.replyWith(Reply.status(500));
      h.awaitDeliveryStatus(app, ep, h.send(app, "a.b"), 2);

      assertThat(h.endpoint(app, ep).path("disabled").asBoolean())
          .as("the success reset the clock, so this failure starts a new one")
          .isFalse();

      clock.advance(PAST_THE_WINDOW);
      h.awaitDeliveryStatus(app, ep, h.send(app, "a.b"), 2);
      assertThat(h.endpoint(app, ep).path("disabled").asBoolean()).isTrue();
    }
  }

  @Test
  void a_message_sent_right_after_re_enabling_an_endpoint_is_delivered() {
    Receiver rx = receiver().replyWith(Reply.status(500));
    String app = hooks.createApp();
    String ep = hooks.createEndpoint(app, rx.url());
    String before = hooks.send(app, "a.b");
    hooks.awaitAttempts(app, before, 1);
    // Disabled while a retry is due: the retry finds the endpoint disabled and gives up.
    assertThat(api.patch(endpointPath(app, ep), Map.of("disabled", true)).status()).isEqualTo(200);
    hooks.awaitDeliveryStatus(app, ep, before, 2);

    assertThat(api.patch(endpointPath(app, ep), Map.of("disabled", false)).status()).isEqualTo(200);
    rx.replyWith(Reply.ok());
    String after = hooks.send(app, "a.b");

    hooks.awaitDeliveryStatus(app, ep, after, 0);
    assertThat(rx.requestsFor(after)).hasSize(1);
  }

  // ---- failures inside Herald ----------------------------------------------------------------

  /**
   * Hardening issue 9, point 3: a failure between claim and send (here an endpoint secret that
   * cannot be decrypted, as a node with another main key or a damaged row would meet) used to leave
   * the delivery looping on lease expiry with no attempt on record. It is a failed attempt with its
   * reason, retried on the schedule and exhausted like any other failure.
   */
  @Test
  void a_failure_before_sending_is_a_recorded_attempt_that_is_retried_and_exhausted() {
    Receiver rx = receiver();
    String app = hooks.createApp();
    String ep = hooks.createEndpoint(app, rx.url());
    server
        .herald()
        .database()
        .writeVoid(
            sql ->
                sql.update(
                    "UPDATE endpoint SET secret_enc = 'v1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' WHERE id = ?",
                    ep));

    String msg = hooks.send(app, "a.b");

    List<JsonNode> attempts = hooks.awaitAttempts(app, msg, 3);
    // The endpoint's own routes cannot read the damaged row either; ask the database.
    Eventually.await(
        "the delivery to be exhausted",
        () ->
            server
                .herald()
                .database()
                .read(
                    sql -> sql.queryLong("SELECT status FROM delivery WHERE message_id = ?", msg)),
        status -> status == 2);
    attempts = hooks.attemptsOfMessage(app, msg);
    assertThat(attempts).as("one attempt per try of the schedule (1s,1s)").hasSize(3);
    assertThat(attempts)
        .allSatisfy(
            a -> {
              assertThat(a.path("status").asInt()).isEqualTo(2);
              assertThat(a.path("response").asText())
                  .startsWith("not sent: ")
                  .contains("cannot decrypt");
              assertThat(a.path("url").asText()).isEqualTo(rx.url());
            });
    assertThat(rx.requests()).as("nothing was sent unsigned").isEmpty();
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static String id(JsonNode endpoint) {
    return endpoint.path("id").asText();
  }

  /** A port nothing listens on: bound once to get a free number, then closed. */
  static int closedPort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
