package dev.herald.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Herald;
import dev.herald.id.IdPrefix;
import dev.herald.testing.Api;
import dev.herald.testing.ApiContractTest;
import dev.herald.testing.Backend;
import dev.herald.testing.Eventually;
import dev.herald.testing.MutableClock;
import dev.herald.testing.Receiver;
import dev.herald.testing.Receiver.Reply;
import dev.herald.testing.TestServer;
import dev.herald.testing.Webhooks;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics}: who may scrape it, and whether the numbers add up. The suite's server serves
 * metrics behind {@code HERALD_METRICS_TOKEN}; tests that count start their own server, so no other
 * test's traffic is in their numbers.
 */
class MetricsTest extends ApiContractTest {
  static final String TOKEN = "metrics-token-0123456789";

  static final Map<String, String> SETTINGS =
      Map.of(
          "HERALD_SSRF_ALLOW", "127.0.0.0/8",
          "HERALD_METRICS_TOKEN", TOKEN,
          // A failing delivery is tried twice, then waits an hour: it stays pending for the count.
          "HERALD_RETRY_SCHEDULE", "100ms,1h",
          "HERALD_REQUEST_TIMEOUT", "2s",
          "HERALD_POLL_INTERVAL", "50ms");

  @Override
  protected Map<String, String> settings() {
    return SETTINGS;
  }

  // ---- access --------------------------------------------------------------------------------

  @Test
  void metrics_on_the_api_port_answer_only_the_metrics_token() {
    Api.Response none = server.anonymous().get("/metrics");
    Api.Response wrong = server.api("metrics-token-0123456788").get("/metrics");
    Api.Response adminKey = server.api(TestServer.ADMIN_KEY).get("/metrics");
    Api.Response basic =
        server.anonymous().get("/metrics", Map.of("authorization", "Basic " + TOKEN));

    assertThat(List.of(none, wrong, adminKey, basic))
        .allSatisfy(
            r -> {
              assertThat(r.status()).as("%s", r).isEqualTo(401);
              assertThat(r.field("code")).isEqualTo("authentication_failed");
              assertThat(r.field("detail")).contains("HERALD_METRICS_TOKEN");
              assertThat(r.text()).doesNotContain("herald_");
            });

    Api.Response ok = server.api(TOKEN).get("/metrics");
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.header("content-type")).startsWith("text/plain");
    assertThat(ok.text())
        .contains("# TYPE herald_messages_accepted_total counter")
        .contains("# TYPE herald_attempt_duration_seconds histogram")
        .contains("herald_deliveries_enqueued_total ")
        .contains("herald_deliveries_total{outcome=\"success\"}")
        .contains("herald_deliveries_total{outcome=\"retry\"}")
        .contains("herald_deliveries_total{outcome=\"failed\"}")
        .contains("herald_deliveries_total{outcome=\"blocked\"}")
        .contains("# TYPE herald_delivery_latency_seconds histogram")
        .contains("herald_queue_pending ")
        .contains("herald_endpoints_failing ")
        .contains("hikaricp_connections_active{")
        .as("the JVM's meters, bound once the node listens")
        .contains("jvm_memory_used_bytes{")
        .contains("jvm_gc_")
        .contains("process_uptime_seconds ");
  }

  @Test
  void a_metrics_port_serves_metrics_without_a_token_and_the_api_port_then_has_none() {
    Map<String, String> settings = new HashMap<>(SETTINGS);
    settings.remove("HERALD_METRICS_TOKEN");
    settings.put("HERALD_METRICS_PORT", "0");
    try (TestServer node = TestServer.builder(backend).settings(settings).start()) {
      int port = node.herald().metricsPort().orElseThrow();
      assertThat(port).isPositive().isNotEqualTo(node.herald().port());

      Api.Response scrape = new Api("http://127.0.0.1:" + port, null).get("/metrics");
      assertThat(scrape.status()).isEqualTo(200);
      assertThat(scrape.header("content-type")).startsWith("text/plain");
      assertThat(scrape.text()).contains("# TYPE herald_messages_accepted_total counter");

      Api.Response onApiPort = node.anonymous().get("/metrics");
      assertThat(onApiPort.status()).isEqualTo(404);
      assertThat(onApiPort.field("code")).isEqualTo("metrics_disabled");
    }
    assertThat(server.herald().metricsPort()).as("no HERALD_METRICS_PORT, no listener").isEmpty();
  }

  @Test
  void every_background_job_shows_its_error_count_from_the_start() {
    String scrape = server.api(TOKEN).get("/metrics").text();

    assertThat(scrape).contains("# TYPE herald_background_errors_total counter");
    for (String job :
        List.of(
            "claim",
            "lease",
            "attempt-writer",
            "group-commit",
            "tasks",
            "retention",
            "queue-monitor")) {
      assertThat(scrape).contains("herald_background_errors_total{job=\"" + job + "\"} ");
    }
    if (backend == Backend.POSTGRES) {
      assertThat(scrape).contains("herald_background_errors_total{job=\"listen\"} ");
    }
  }

  // ---- counting ------------------------------------------------------------------------------

  @Test
  void under_load_every_counter_moves_by_exactly_what_happened() throws Exception {
    try (TestServer node = TestServer.builder(backend).settings(SETTINGS).start()) {
      Api client = node.api();
      Webhooks hooks = new Webhooks(client);
      Receiver rx = receiver();
      rx.replyWith(
          r ->
              switch (r.path()) {
                case "/gone" -> Reply.status(410);
                case "/failing" -> Reply.status(500);
                default -> Reply.ok();
              });
      String app = hooks.createApp();
      String created = hooks.createEventType("order.created");
      String updated = hooks.createEventType("order.updated");
      String all = hooks.createEndpoint(app, rx.url("/all"));
      hooks.createEndpoint(app, rx.url("/created-only"), Map.of("eventTypes", List.of(created)));
      hooks.createEndpoint(app, rx.url("/gone"));
      hooks.createEndpoint(app, rx.url("/failing"));
      Scrape before = scrape(node);
      assertThat(before.value("herald_messages_accepted_total")).isZero();

      int messages = 200;
      List<String> ids = sendConcurrently(client, app, messages, created, updated);
      // Neither a replay of an idempotent request nor a rejected message is accepted again.
      Map<String, Object> first = messageBody(created, 0);
      Api.Response replay =
          client.post("/api/v1/app/" + app + "/msg", first, Map.of("idempotency-key", "load-0"));
      assertThat(replay.status()).isEqualTo(202);
      assertThat(replay.field("id")).isEqualTo(ids.get(0));
      assertThat(
              client
                  .post("/api/v1/app/" + app + "/msg", Map.of("eventType", "order.created"))
                  .status())
          .isEqualTo(422);
      assertThat(client.post("/api/v1/app/no-such-app/msg", first).status()).isEqualTo(404);
      // One resend and one example: deliveries that no message create made.
      assertThat(
              client
                  .post(
                      "/api/v1/app/" + app + "/msg/" + ids.get(1) + "/endpoint/" + all + "/resend",
                      Map.of())
                  .status())
          .isEqualTo(202);
      assertThat(
              client
                  .post(
                      "/api/v1/app/" + app + "/endpoint/" + all + "/send-example",
                      Map.of("eventType", created))
                  .status())
          .isEqualTo(200);

      int toAll = messages + 2;
      int toCreatedOnly = messages / 2;
      int succeeded = toAll + toCreatedOnly;
      int gone = messages;
      int pending = messages;
      int deliveries = succeeded + gone + pending;
      int attempts = succeeded + gone + 2 * pending;
      // Settled: every attempt written (results are recorded after they are counted) and nothing
      // held.
      Eventually.await("every attempt to be recorded", () -> attemptRows(node), n -> n >= attempts);
      Eventually.await(
          "the dispatcher to hold nothing",
          () -> scrape(node),
          s ->
              s.value("herald_dispatcher_held") == 0
                  && s.value("herald_dispatcher_in_flight") == 0
                  && s.value("herald_dispatcher_awaiting_write") == 0
                  // Every lane that held work counted itself idle again, so shares are whole.
                  && s.value("herald_dispatcher_busy_lanes") == 0);
      node.herald().queueMonitor().refresh();
      Scrape after = scrape(node);

      assertThat(after.value("herald_messages_accepted_total")).isEqualTo(messages);
      assertThat(after.value("herald_deliveries_enqueued_total")).isEqualTo(deliveries);
      assertThat(after.value("herald_deliveries_total{outcome=\"success\"}")).isEqualTo(succeeded);
      assertThat(after.value("herald_deliveries_total{outcome=\"failed\"}")).isEqualTo(gone);
      assertThat(after.value("herald_deliveries_total{outcome=\"retry\"}")).isEqualTo(2 * pending);
      assertThat(after.value("herald_deliveries_total{outcome=\"blocked\"}")).isZero();
      assertThat(after.value("herald_queue_pending")).isEqualTo(pending);
      assertThat(after.value("herald_queue_due")).isZero();
      assertThat(after.value("herald_queue_in_flight")).isZero();
      assertThat(after.value("herald_deliveries_enqueued_total"))
          .as("created = succeeded + failed + pending")
          .isEqualTo(
              after.value("herald_deliveries_total{outcome=\"success\"}")
                  + after.value("herald_deliveries_total{outcome=\"failed\"}")
                  + after.value("herald_queue_pending"));
      assertThat(attemptRows(node)).isEqualTo(attempts);
      assertThat(after.value("herald_attempt_duration_seconds_count")).isEqualTo(attempts);
      assertThat(after.value("herald_delivery_latency_seconds_count")).isEqualTo(succeeded);
      assertThat(after.value("herald_endpoints_failing"))
          .as("the 410 endpoint exhausted deliveries")
          .isEqualTo(1);
      assertThat(after.series("herald_endpoint_failing_age_seconds")).hasSize(1);
    }
  }

  /**
   * A delivery an accepting request cannot hand to its lane waits in the database for a claim,
   * later than one sent at once: the count, by reason, says a node is short of lane room or budget.
   */
  @Test
  void deliveries_left_in_the_database_at_accept_are_counted_by_reason() {
    Map<String, String> settings = new HashMap<>(SETTINGS);
    // A budget of one: the first delivery, held by its receiver, takes it and fills its lane.
    settings.put("HERALD_MAX_IN_FLIGHT", "1");
    settings.put("HERALD_REQUEST_TIMEOUT", "60s");
    CountDownLatch answer = new CountDownLatch(1);
    Receiver rx = receiver().holdWhile(new AtomicBoolean(true), answer);
    try (TestServer node = TestServer.builder(backend).settings(settings).start()) {
      Webhooks h = new Webhooks(node.api());
      String busy = h.createApp();
      h.createEndpoint(busy, rx.url("/busy"));
      String other = h.createApp();
      h.createEndpoint(other, rx.url("/other"));
      Scrape before = scrape(node);
      try {
        h.send(busy, "held.by.the.receiver");
        rx.awaitRequests(1, Eventually.DEFAULT_TIMEOUT);
        h.send(busy, "its.lane.is.full");
        h.send(other, "the.budget.is.full");

        Scrape after = scrape(node);
        assertThat(before.value("herald_deliveries_deferred_total{reason=\"lane_full\"}")).isZero();
        assertThat(before.value("herald_deliveries_deferred_total{reason=\"budget_full\"}"))
            .isZero();
        assertThat(after.value("herald_deliveries_deferred_total{reason=\"lane_full\"}"))
            .isEqualTo(1);
        assertThat(after.value("herald_deliveries_deferred_total{reason=\"budget_full\"}"))
            .isEqualTo(1);
      } finally {
        answer.countDown();
      }
      // Deferred, not lost: the claim loop sends both once the budget is free.
      rx.awaitRequests(3, Eventually.DEFAULT_TIMEOUT);
    }
  }

  @Test
  void ten_thousand_failing_endpoints_are_one_count_and_at_most_ten_series() {
    MutableClock clock = MutableClock.atSystemTime();
    try (TestServer node = TestServer.builder(backend).settings(SETTINGS).clock(clock).start()) {
      Webhooks hooks = new Webhooks(node.api());
      String app = hooks.createApp();
      String template = hooks.createEndpoint(app, "https://example.com/failing");
      Herald herald = node.herald();
      int failing = 10_000;
      List<String> ids = new ArrayList<>();
      List<Object[]> rows = new ArrayList<>();
      Instant now = clock.instant();
      for (int i = 0; i < failing; i++) {
        String id = herald.ids().next(IdPrefix.ENDPOINT);
        ids.add(id);
        // The i-th endpoint has been failing for i + 1 seconds.
        rows.add(new Object[] {id, now.minusSeconds(i + 1).toEpochMilli(), template});
      }
      herald
          .database()
          .writeVoid(
              sql ->
                  sql.batch(
                      "INSERT INTO endpoint (id, org_id, app_id, uid, url, description, disabled, event_types, channels,"
                          + " throttle_rate, metadata, secret_enc, old_secrets_enc, headers_enc, failing_since, created_at,"
                          + " updated_at) SELECT ?, org_id, app_id, NULL, url, description, disabled, event_types, channels,"
                          + " throttle_rate, metadata, secret_enc, old_secrets_enc, headers_enc, ?, created_at, updated_at"
                          + " FROM endpoint WHERE id = ?",
                      rows));

      herald.queueMonitor().refresh();
      Scrape scrape = scrape(node);

      assertThat(scrape.value("herald_endpoints_failing")).isEqualTo(failing);
      Map<String, Double> top = scrape.series("herald_endpoint_failing_age_seconds");
      assertThat(top).hasSize(Metrics.TOP_FAILING);
      for (int i = failing - Metrics.TOP_FAILING; i < failing; i++) {
        String series =
            "herald_endpoint_failing_age_seconds{app_id=\""
                + app
                + "\",endpoint_id=\""
                + ids.get(i)
                + "\"}";
        assertThat(top).containsEntry(series, (double) (i + 1));
      }

      // The longest-failing endpoints recover: their series go, the next ten take their place.
      List<Object[]> recovered =
          ids.subList(failing - Metrics.TOP_FAILING, failing).stream()
              .map(id -> new Object[] {id})
              .toList();
      herald
          .database()
          .writeVoid(
              sql -> sql.batch("UPDATE endpoint SET failing_since = NULL WHERE id = ?", recovered));
      herald.queueMonitor().refresh();
      Scrape later = scrape(node);
      assertThat(later.value("herald_endpoints_failing")).isEqualTo(failing - Metrics.TOP_FAILING);
      Map<String, Double> nextTop = later.series("herald_endpoint_failing_age_seconds");
      assertThat(nextTop).hasSize(Metrics.TOP_FAILING);
      assertThat(nextTop.keySet())
          .noneMatch(
              s ->
                  ids.subList(failing - Metrics.TOP_FAILING, failing).stream()
                      .anyMatch(s::contains));
      assertThat(nextTop.keySet())
          .allMatch(
              s ->
                  ids
                      .subList(failing - 2 * Metrics.TOP_FAILING, failing - Metrics.TOP_FAILING)
                      .stream()
                      .anyMatch(s::contains));
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static Map<String, Object> messageBody(String eventType, int n) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("eventType", eventType);
    body.put("payload", Map.of("n", n));
    return body;
  }

  /**
   * Sends {@code n} messages from a few threads, alternating two event types; returns their ids in
   * order.
   */
  private static List<String> sendConcurrently(
      Api client, String app, int n, String even, String odd) throws Exception {
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      List<Future<String>> sent = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        sent.add(
            pool.submit(
                () -> {
                  Api.Response r =
                      client.post(
                          "/api/v1/app/" + app + "/msg",
                          messageBody(index % 2 == 0 ? even : odd, index),
                          Map.of("idempotency-key", "load-" + index));
                  assertThat(r.status()).as("%s", r).isEqualTo(202);
                  return r.field("id");
                }));
      }
      List<String> ids = new ArrayList<>();
      for (Future<String> f : sent) {
        ids.add(f.get());
      }
      return ids;
    }
  }

  private static long attemptRows(TestServer node) {
    return node.herald().database().read(sql -> sql.queryLong("SELECT COUNT(*) FROM attempt"));
  }

  private static Scrape scrape(TestServer node) {
    Api.Response r = node.api(TOKEN).get("/metrics");
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return Scrape.parse(r.text());
  }

  /**
   * One scrape in the Prometheus text format: each series (name and labels as printed) and its
   * value.
   */
  record Scrape(String text, Map<String, Double> samples) {
    private static final Pattern SAMPLE =
        Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{.*})?) (\\S+)(?: \\d+)?$");

    static Scrape parse(String text) {
      Map<String, Double> samples = new LinkedHashMap<>();
      for (String line : text.split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        Matcher m = SAMPLE.matcher(line);
        if (!m.matches()) {
          throw new AssertionError("not a sample line: " + line);
        }
        samples.put(m.group(1), Double.parseDouble(m.group(2)));
      }
      return new Scrape(text, samples);
    }

    double value(String series) {
      Double v = samples.get(series);
      if (v == null) {
        throw new AssertionError("no series " + series + " in the scrape:\n" + text);
      }
      return v;
    }

    /** Every series of a metric, with labels. */
    Map<String, Double> series(String name) {
      Map<String, Double> out = new LinkedHashMap<>();
      samples.forEach(
          (k, v) -> {
            if (k.startsWith(name + "{")) {
              out.put(k, v);
            }
          });
      return out;
    }
  }
}
