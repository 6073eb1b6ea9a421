package dev.herald.operational;

import static dev.herald.testing.Webhooks.endpointPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.application.ApplicationService;
import dev.herald.json.Json;
import dev.herald.testing.Api;
import dev.herald.testing.ApiContractTest;
import dev.herald.testing.Eventually;
import dev.herald.testing.MutableClock;
import dev.herald.testing.Receiver;
import dev.herald.testing.Receiver.Reply;
import dev.herald.testing.TestServer;
import dev.herald.testing.Webhooks;
import dev.herald.verify.Webhook;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Operational webhooks (Svix's name for Herald's own events about delivery problems), end to end:
 * the operator registers endpoints under {@code /api/v1/operational-webhook/endpoint}, and every
 * assertion is on what a real receiver got there, signed with that endpoint's secret.
 *
 * <p>Each test works in a new org, whose operational endpoints hear only that org's events. The
 * suite's server retries four times after 100 ms, so a failing delivery has five attempts: it is
 * reported failing after the fourth and exhausted after the fifth.
 */
class OperationalWebhookTest extends ApiContractTest {
  static final String OPS = "/api/v1/operational-webhook/endpoint";

  static final Map<String, String> SETTINGS =
      Map.of(
          "HERALD_SSRF_ALLOW", "127.0.0.0/8",
          "HERALD_RETRY_SCHEDULE", "100ms,100ms,100ms,100ms",
          "HERALD_REQUEST_TIMEOUT", "2s",
          "HERALD_POLL_INTERVAL", "50ms");

  @Override
  protected Map<String, String> settings() {
    return SETTINGS;
  }

  // ---- the operational endpoint API ----------------------------------------------------------

  @Test
  void operational_endpoints_have_the_same_api_and_shapes_as_ordinary_endpoints() {
    Api org = newOrg();
    Webhooks hooks = new Webhooks(org);
    String app = hooks.createApp();
    JsonNode ordinary = hooks.createEndpoint(app, "https://example.com/ordinary", Map.of());

    Api.Response created =
        org.post(OPS, Map.of("url", "https://example.com/ops", "description", "pager"));
    assertThat(created.status()).as("%s", created).isEqualTo(201);
    String id = created.field("id");
    assertThat(id).startsWith("ep_");
    assertThat(fieldNames(created.body())).isEqualTo(fieldNames(ordinary));
    assertThat(created.field("url")).isEqualTo("https://example.com/ops");
    assertThat(created.field("description")).isEqualTo("pager");

    Api.Response list = org.get(OPS);
    assertThat(list.status()).isEqualTo(200);
    assertThat(fieldNames(list.body()))
        .isEqualTo(fieldNames(org.get("/api/v1/app/" + app + "/endpoint").body()));
    assertThat(list.body().path("data")).extracting(e -> e.path("id").asText()).containsExactly(id);
    assertThat(list.body().path("done").asBoolean()).isTrue();

    Api.Response got = org.get(OPS + "/" + id);
    assertThat(got.status()).isEqualTo(200);
    assertThat(got.body()).isEqualTo(created.body());

    Api.Response patched =
        org.patch(OPS + "/" + id, Map.of("description", "on-call", "disabled", true));
    assertThat(patched.status()).as("%s", patched).isEqualTo(200);
    assertThat(patched.field("description")).isEqualTo("on-call");
    assertThat(patched.body().path("disabled").asBoolean()).isTrue();
    assertThat(patched.field("url")).isEqualTo("https://example.com/ops");

    Api.Response put = org.put(OPS + "/" + id, Map.of("url", "https://example.com/ops2"));
    assertThat(put.status()).as("%s", put).isEqualTo(200);
    assertThat(put.field("url")).isEqualTo("https://example.com/ops2");

    Api.Response secret = org.get(OPS + "/" + id + "/secret");
    assertThat(secret.status()).isEqualTo(200);
    assertThat(secret.field("key")).startsWith("whsec_");
    assertThat(org.post(OPS + "/" + id + "/secret/rotate", Map.of()).status()).isEqualTo(204);
    assertThat(org.get(OPS + "/" + id + "/secret").field("key"))
        .startsWith("whsec_")
        .isNotEqualTo(secret.field("key"));

    assertThat(
            org.put(OPS + "/" + id + "/headers", Map.of("headers", Map.of("x-team", "sre")))
                .status())
        .isEqualTo(204);
    Map<String, Object> patch = new HashMap<>();
    patch.put("x-team", null);
    patch.put("x-env", "prod");
    assertThat(org.patch(OPS + "/" + id + "/headers", Map.of("headers", patch)).status())
        .isEqualTo(204);
    Api.Response headers = org.get(OPS + "/" + id + "/headers");
    assertThat(headers.status()).isEqualTo(200);
    assertThat(fieldNames(headers.body()))
        .isEqualTo(
            fieldNames(
                org.get(endpointPath(app, ordinary.path("id").asText()) + "/headers").body()));
    assertThat(headers.body().path("headers"))
        .isEqualTo(Json.MAPPER.valueToTree(Map.of("x-env", "prod")));

    Api.Response deleted = org.delete(OPS + "/" + id);
    assertThat(deleted.status()).isEqualTo(204);
    assertThat(deleted.text()).isEmpty();
    Api.Response gone = org.get(OPS + "/" + id);
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.field("code")).isEqualTo("not_found");
    assertThat(org.get(OPS).body().path("data")).isEmpty();
  }

  @Test
  void operational_endpoints_are_for_org_keys_only() {
    Api org = newOrg();
    Webhooks hooks = new Webhooks(org);
    String app = hooks.createApp();
    String id = org.post(OPS, Map.of("url", "https://example.com/ops")).field("id");
    Api.Response access = org.post("/api/v1/auth/app-portal-access/" + app, Map.of());
    assertThat(access.status()).as("%s", access).isEqualTo(200);
    Api portal = server.api(access.field("token"));

    List<Api.Response> answers =
        List.of(
            portal.get(OPS),
            portal.post(OPS, Map.of("url", "https://example.com/portal")),
            portal.get(OPS + "/" + id),
            portal.patch(OPS + "/" + id, Map.of("description", "mine now")),
            portal.get(OPS + "/" + id + "/secret"),
            portal.get(OPS + "/" + id + "/headers"),
            portal.delete(OPS + "/" + id));
    assertThat(answers)
        .allSatisfy(
            r -> {
              assertThat(r.status()).as("%s", r).isEqualTo(403);
              assertThat(r.field("code")).isNotEmpty();
              assertThat(r.field("detail")).isNotEmpty();
            });
    assertThat(server.anonymous().get(OPS).status()).isEqualTo(401);
    assertThat(org.get(OPS + "/" + id).field("description")).isEmpty();
  }

  @Test
  void every_operational_endpoint_read_answers_on_a_fresh_org_while_the_writer_is_busy() {
    // A fresh org's first read once created its internal application inside the read, which on
    // SQLite answered 500 (SQLITE_BUSY) whenever the writer was busy (hardening #9 point 9).
    // Holding the writer open here makes any write hidden in a read fail or wait.
    Api org = newOrg();
    List<Api.Response> answers =
        server
            .herald()
            .database()
            .write(
                sql -> {
                  sql.update("UPDATE org SET name = name WHERE id = ?", "org_none");
                  return List.of(
                      org.get(OPS),
                      org.get(OPS + "/ep_missing"),
                      org.get(OPS + "/ep_missing/secret"),
                      org.get(OPS + "/ep_missing/headers"));
                });

    assertThat(answers.get(0).status()).as("%s", answers.get(0)).isEqualTo(200);
    assertThat(answers.get(0).body().path("data")).isEmpty();
    assertThat(answers.get(0).body().path("done").asBoolean()).isTrue();
    assertThat(answers.subList(1, answers.size()))
        .allSatisfy(
            r -> {
              assertThat(r.status()).as("%s", r).isEqualTo(404);
              assertThat(r.field("code")).isEqualTo("not_found");
            });
  }

  @Test
  void operational_endpoints_are_not_reachable_through_the_application_api() {
    Org o = org();
    Api org = o.api();
    String id = org.post(OPS, Map.of("url", "https://example.com/ops")).field("id");
    String internalApp = ApplicationService.internalAppId(o.id());

    assertThat(org.get("/api/v1/app/" + internalApp + "/endpoint").status()).isEqualTo(404);
    assertThat(org.get(endpointPath(internalApp, id) + "/secret").status()).isEqualTo(404);
    assertThat(org.post("/api/v1/auth/app-portal-access/" + internalApp, Map.of()).status())
        .isEqualTo(404);
    assertThat(org.get("/api/v1/app").body().path("data")).isEmpty();
  }

  @Test
  void the_event_type_filter_takes_only_operational_event_types() {
    Api org = newOrg();
    new Webhooks(org).createEventType("invoice");
    Api.Response customerType =
        org.post(
            OPS,
            Map.of(
                "url",
                "https://example.com/ops",
                "eventTypes",
                List.of("endpoint.created", "invoice.paid")));
    assertThat(customerType.status()).as("%s", customerType).isEqualTo(422);
    assertThat(errorLocations(customerType)).containsExactly("body.eventTypes");
    assertThat(customerType.body().path("detail").get(0).path("msg").asText())
        .contains("invoice.paid");
    assertThat(org.get(OPS).body().path("data")).isEmpty();

    Api.Response all =
        org.post(
            OPS, Map.of("url", "https://example.com/ops", "eventTypes", OperationalEvents.TYPES));
    assertThat(all.status()).as("%s", all).isEqualTo(201);
    assertThat(all.body().path("filterTypes")).hasSize(OperationalEvents.TYPES.size());

    Api.Response badPatch =
        org.patch(OPS + "/" + all.field("id"), Map.of("filterTypes", List.of("nope")));
    assertThat(badPatch.status()).as("%s", badPatch).isEqualTo(422);
    assertThat(org.get(OPS + "/" + all.field("id")).body().path("eventTypes"))
        .hasSize(OperationalEvents.TYPES.size());
  }

  // ---- endpoint changes ----------------------------------------------------------------------

  @Test
  void
      creating_updating_and_deleting_a_customer_endpoint_reports_each_change_to_the_endpoints_that_want_it() {
    Api org = newOrg();
    Webhooks hooks = new Webhooks(org);
    Receiver rx = receiver();
    Inbox all = Inbox.register(org, rx, "/all", null);
    Inbox deletesOnly = Inbox.register(org, rx, "/deletes", List.of("endpoint.deleted"));
    String app = org.post("/api/v1/app", Map.of("name", "Shop", "uid", "shop")).field("id");

    String ep =
        hooks
            .createEndpoint(app, "https://example.com/customer", Map.of("uid", "main"))
            .path("id")
            .asText();
    assertThat(org.patch(endpointPath(app, ep), Map.of("description", "changed")).status())
        .isEqualTo(200);
    assertThat(org.delete(endpointPath(app, ep)).status()).isEqualTo(204);

    List<JsonNode> events = all.await(3);
    assertThat(events)
        .extracting(e -> e.path("type").asText())
        .containsExactlyInAnyOrder("endpoint.created", "endpoint.updated", "endpoint.deleted");
    for (JsonNode e : events) {
      JsonNode data = e.path("data");
      assertThat(data.path("appId").asText()).isEqualTo(app);
      assertThat(data.path("appUid").asText()).isEqualTo("shop");
      assertThat(data.path("endpointId").asText()).isEqualTo(ep);
      assertThat(data.path("endpointUid").asText()).isEqualTo("main");
    }
    all.assertAllSigned();

    JsonNode deleted = deletesOnly.await(1).get(0);
    assertThat(deleted.path("type").asText()).isEqualTo("endpoint.deleted");
    assertThat(deleted.path("data").path("endpointId").asText()).isEqualTo(ep);
    deletesOnly.assertAllSigned();
    // The deletion went to both endpoints, and the earlier events to "all" only.
    Eventually.await(
        "the deletion at the unfiltered endpoint",
        all::events,
        list -> list.stream().anyMatch(e -> e.path("type").asText().equals("endpoint.deleted")));
    assertThat(deletesOnly.events()).hasSize(1);
  }

  @Test
  void changes_to_operational_endpoints_are_not_reported() {
    Org o = org();
    Api org = o.api();
    Receiver rx = receiver();
    Inbox inbox = Inbox.register(org, rx, "/ops", null);
    String other = org.post(OPS, Map.of("url", "https://example.com/other")).field("id");
    assertThat(org.patch(OPS + "/" + other, Map.of("description", "x")).status()).isEqualTo(200);
    assertThat(org.delete(OPS + "/" + other).status()).isEqualTo(204);
    // A customer change afterwards is a marker: once it arrives, nothing else is in the queue.
    Webhooks hooks = new Webhooks(org);
    String app = hooks.createApp();
    String ep = hooks.createEndpoint(app, "https://example.com/customer");

    Eventually.await("the marker event", inbox::events, list -> !list.isEmpty());
    assertThat(internalMessageTypes(server, o)).containsExactly("endpoint.created");
    assertThat(inbox.events())
        .singleElement()
        .satisfies(e -> assertThat(e.path("data").path("endpointId").asText()).isEqualTo(ep));
  }

  // ---- delivery problems ---------------------------------------------------------------------

  @Test
  void
      a_failing_delivery_is_reported_failing_after_the_fourth_attempt_then_exhausted_then_recovered() {
    Api org = newOrg();
    Webhooks hooks = new Webhooks(org);
    Receiver ops = receiver();
    Inbox inbox =
        Inbox.register(
            org,
            ops,
            "/ops",
            List.of(
                "message.attempt.failing",
                "message.attempt.exhausted",
                "message.attempt.recovered"));
    Receiver customer = receiver().replyWith(Reply.status(500));
    String app = hooks.createApp();
    String ep = hooks.createEndpoint(app, customer.url());

    String msg =
        hooks.send(
            app,
            Map.of("eventType", "invoice.paid", "eventId", "evt-1", "payload", Map.of("n", 1)));
    hooks.awaitDeliveryStatus(app, ep, msg, 2);
    List<JsonNode> attempts = hooks.attemptsOfMessage(app, msg);
    assertThat(attempts).hasSize(5);

    List<JsonNode> events = inbox.await(2);
    assertThat(events)
        .extracting(e -> e.path("type").asText())
        .containsExactly("message.attempt.failing", "message.attempt.exhausted");
    assertAttemptEvent(events.get(0), app, ep, msg, attempts.get(3));
    assertAttemptEvent(events.get(1), app, ep, msg, attempts.get(4));
    assertThat(events.get(0).path("data").path("msgEventId").asText()).isEqualTo("evt-1");
    inbox.assertAllSigned();

    // Fixed and recovered: the redelivery's success is reported.
    customer.replyWith(Reply.ok());
    Api.Response recover =
        org.post(
            endpointPath(app, ep) + "/recover",
            Map.of("since", Instant.now().minus(Duration.ofHours(1)).toString()));
    assertThat(recover.status()).as("%s", recover).isEqualTo(202);
    hooks.awaitDeliveryStatus(app, ep, msg, 0);
    JsonNode recovered = inbox.await(3).get(2);
    assertThat(recovered.path("type").asText()).isEqualTo("message.attempt.recovered");
    List<JsonNode> after = hooks.attemptsOfMessage(app, msg);
    assertAttemptEvent(recovered, app, ep, msg, after.get(after.size() - 1));
    assertThat(recovered.path("data").path("lastAttempt").path("responseStatusCode").asInt())
        .isEqualTo(200);
    inbox.assertAllSigned();
  }

  @Test
  void a_retry_that_succeeds_after_the_failing_report_is_reported_recovered() {
    Api org = newOrg();
    Webhooks hooks = new Webhooks(org);
    Receiver ops = receiver();
    Inbox inbox = Inbox.register(org, ops, "/ops", null);
    Receiver customer =
        receiver()
            .replySequence(
                Reply.ok(),
                Reply.status(500),
                Reply.status(503),
                Reply.status(500),
                Reply.status(502));
    String app = hooks.createApp();
    String ep = hooks.createEndpoint(app, customer.url());
    String msg = hooks.send(app, "invoice.paid");

    hooks.awaitDeliveryStatus(app, ep, msg, 0);
    List<JsonNode> attempts = hooks.attemptsOfMessage(app, msg);
    assertThat(attempts).hasSize(5);
    List<JsonNode> events =
        Eventually.await(
            "failing and recovered",
            inbox::events,
            list ->
                list.stream()
                    .anyMatch(e -> e.path("type").asText().equals("message.attempt.recovered")));
    List<JsonNode> attemptEvents =
        events.stream().filter(e -> e.path("type").asText().startsWith("message.")).toList();
    assertThat(attemptEvents)
        .extracting(e -> e.path("type").asText())
        .containsExactly("message.attempt.failing", "message.attempt.recovered");
    assertAttemptEvent(attemptEvents.get(0), app, ep, msg, attempts.get(3));
    assertThat(
            attemptEvents
                .get(0)
                .path("data")
                .path("lastAttempt")
                .path("responseStatusCode")
                .asInt())
        .isEqualTo(502);
    assertAttemptEvent(attemptEvents.get(1), app, ep, msg, attempts.get(4));
    inbox.assertAllSigned();
  }

  @Test
  void a_successful_resend_of_an_exhausted_message_is_reported_recovered_once() {
    Org o = org();
    Api org = o.api();
    Webhooks hooks = new Webhooks(org);
    Inbox inbox =
        Inbox.register(
            org,
            receiver(),
            "/ops",
            List.of(
                "message.attempt.failing",
                "message.attempt.exhausted",
                "message.attempt.recovered"));
    Receiver customer = receiver().replyWith(Reply.status(500));
    String app = hooks.createApp();
    String ep = hooks.createEndpoint(app, customer.url());
    String msg = hooks.send(app, "invoice.paid");
    hooks.awaitDeliveryStatus(app, ep, msg, 2);
    inbox.await(2);

    // A resend that fails again is not news: nothing is reported.
    String resend = "/api/v1/app/" + app + "/msg/" + msg + "/endpoint/" + ep + "/resend";
    assertThat(org.post(resend, Map.of()).status()).isEqualTo(202);
    hooks.awaitAttempts(app, msg, 6);
    customer.replyWith(Reply.ok());
    assertThat(org.post(resend, Map.of()).status()).isEqualTo(202);
    hooks.awaitAttempts(app, msg, 7);
    // Once recovered, a further successful resend is not reported again.
    assertThat(org.post(resend, Map.of()).status()).isEqualTo(202);
    List<JsonNode> attempts = hooks.awaitAttempts(app, msg, 8);

    Eventually.await(
        "every delivery of the message settled",
        () ->
            server
                .herald()
                .database()
                .read(
                    sql ->
                        sql.queryLong(
                            "SELECT COUNT(*) FROM delivery WHERE message_id = ? AND status = 1",
                            msg)),
        n -> n == 0);
    assertThat(internalMessageTypes(server, o))
        .containsExactly(
            "message.attempt.failing", "message.attempt.exhausted", "message.attempt.recovered");
    JsonNode recovered = inbox.await(3).get(2);
    assertThat(recovered.path("type").asText()).isEqualTo("message.attempt.recovered");
    assertAttemptEvent(recovered, app, ep, msg, attempts.get(6));
    inbox.assertAllSigned();
  }

  @Test
  void a_message_that_fails_fewer_than_four_times_is_not_reported() {
    Org o = org();
    Api org = o.api();
    Webhooks hooks = new Webhooks(org);
    Inbox inbox = Inbox.register(org, receiver(), "/ops", null);
    Receiver customer =
        receiver()
            .replySequence(Reply.ok(), Reply.status(500), Reply.status(500), Reply.status(500));
    String app = hooks.createApp();
    String ep = hooks.createEndpoint(app, customer.url());
    String msg = hooks.send(app, "invoice.paid");

    hooks.awaitDeliveryStatus(app, ep, msg, 0);

    assertThat(hooks.attemptsOfMessage(app, msg)).hasSize(4);
    assertThat(internalMessageTypes(server, o)).containsExactly("endpoint.created");
    Eventually.await("the endpoint.created event", inbox::events, list -> list.size() == 1);
  }

  @Test
  void an_endpoint_disabled_by_the_failure_tracker_is_reported_with_the_time_it_started_failing() {
    MutableClock clock = MutableClock.atSystemTime();
    Map<String, String> settings = new HashMap<>(SETTINGS);
    settings.put("HERALD_RETRY_SCHEDULE", "none");
    settings.put("HERALD_ENDPOINT_DISABLE_AFTER", "1m");
    try (TestServer node = TestServer.builder(backend).settings(settings).clock(clock).start()) {
      Api org = node.api();
      Webhooks hooks = new Webhooks(org);
      Inbox inbox =
          Inbox.register(
              org, receiver(), "/ops", List.of("endpoint.disabled", "message.attempt.exhausted"));
      inbox.verifyAt(clock);
      Receiver customer = receiver().replyWith(Reply.status(500));
      String app = hooks.createApp();
      String ep = hooks.createEndpoint(app, customer.url());

      Instant failingSince = clock.instant();
      hooks.awaitDeliveryStatus(app, ep, hooks.send(app, "a.b"), 2);
      clock.advance(Duration.ofSeconds(61));
      hooks.awaitDeliveryStatus(app, ep, hooks.send(app, "a.b"), 2);
      assertThat(hooks.endpoint(app, ep).path("disabled").asBoolean()).isTrue();

      List<JsonNode> events =
          Eventually.await(
              "endpoint.disabled",
              inbox::events,
              list ->
                  list.stream().anyMatch(e -> e.path("type").asText().equals("endpoint.disabled")));
      JsonNode disabled =
          events.stream()
              .filter(e -> e.path("type").asText().equals("endpoint.disabled"))
              .findFirst()
              .orElseThrow();
      assertThat(disabled.path("data").path("appId").asText()).isEqualTo(app);
      assertThat(disabled.path("data").path("endpointId").asText()).isEqualTo(ep);
      assertThat(Instant.parse(disabled.path("data").path("failSince").asText()))
          .isEqualTo(failingSince);
      assertThat(events.stream().filter(e -> e.path("type").asText().equals("endpoint.disabled")))
          .hasSize(1);
      Eventually.await(
          "both exhausted deliveries reported",
          inbox::events,
          list ->
              list.stream()
                      .filter(e -> e.path("type").asText().equals("message.attempt.exhausted"))
                      .count()
                  == 2);
      inbox.assertAllSigned();
    }
  }

  @Test
  void an_operational_endpoint_that_fails_is_not_reported_about_itself() {
    Org o = org();
    Api org = o.api();
    Inbox healthy = Inbox.register(org, receiver(), "/ops", null);
    Receiver broken = receiver().replyWith(Reply.status(500));
    String brokenId =
        Inbox.register(org, broken, "/broken", List.of("endpoint.created")).endpointId;
    Webhooks hooks = new Webhooks(org);
    String app = hooks.createApp();
    hooks.createEndpoint(app, "https://example.com/customer");

    broken.awaitRequests(5, Eventually.DEFAULT_TIMEOUT);
    Eventually.await(
        "the broken endpoint's delivery to fail for good",
        () ->
            server
                .herald()
                .database()
                .read(
                    sql ->
                        sql.queryLong(
                            "SELECT COUNT(*) FROM delivery WHERE endpoint_id = ? AND status = 2",
                            brokenId)),
        n -> n == 1);

    assertThat(internalMessageTypes(server, o)).containsExactly("endpoint.created");
    Eventually.await(
        "endpoint.created at the healthy endpoint", healthy::events, list -> list.size() == 1);
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static void assertAttemptEvent(
      JsonNode event, String app, String ep, String msg, JsonNode attempt) {
    JsonNode data = event.path("data");
    assertThat(data.path("appId").asText()).isEqualTo(app);
    assertThat(data.path("endpointId").asText()).isEqualTo(ep);
    assertThat(data.path("msgId").asText()).isEqualTo(msg);
    JsonNode last = data.path("lastAttempt");
    assertThat(last.path("id").asText()).isEqualTo(attempt.path("id").asText());
    assertThat(last.path("responseStatusCode").asInt())
        .isEqualTo(attempt.path("responseStatusCode").asInt());
    assertThat(Instant.parse(last.path("timestamp").asText()))
        .isEqualTo(Instant.parse(attempt.path("timestamp").asText()));
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new TreeSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** A brand-new org: its id, and a client calling with its key. */
  private record Org(String id, Api api) {}

  private Org org() {
    var created = server.herald().auth().createOrg("ops-test");
    return new Org(created.orgId(), server.api(created.key()));
  }

  /** Event types of every message in the org's internal application, oldest first. */
  private static List<String> internalMessageTypes(TestServer node, Org org) {
    String internal = ApplicationService.internalAppId(org.id());
    return node.herald()
        .database()
        .read(
            sql ->
                sql.query(
                    "SELECT event_type FROM message WHERE app_id = ? ORDER BY id",
                    rs -> rs.getString(1),
                    internal));
  }

  /** An operational endpoint at a receiver path, and the events it received, parsed. */
  private static final class Inbox {
    final Receiver receiver;
    final String path;
    final String endpointId;
    final String secret;
    private Webhook verifier;

    private Inbox(Receiver receiver, String path, String endpointId, String secret) {
      this.receiver = receiver;
      this.path = path;
      this.endpointId = endpointId;
      this.secret = secret;
      this.verifier = new Webhook(secret);
    }

    static Inbox register(Api org, Receiver receiver, String path, List<String> eventTypes) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("url", receiver.url(path));
      if (eventTypes != null) {
        body.put("eventTypes", eventTypes);
      }
      Api.Response created = org.post(OPS, body);
      assertThat(created.status()).as("%s", created).isEqualTo(201);
      String id = created.field("id");
      Api.Response secret = org.get(OPS + "/" + id + "/secret");
      assertThat(secret.status()).as("%s", secret).isEqualTo(200);
      return new Inbox(receiver, path, id, secret.field("key"));
    }

    void verifyAt(java.time.InstantSource clock) {
      verifier = verifier.withClock(clock.withZone(java.time.ZoneOffset.UTC));
    }

    List<Receiver.Request> requests() {
      return receiver.requests().stream().filter(r -> r.path().equals(path)).toList();
    }

    /** Distinct events received (a retried event counts once), in order of first arrival. */
    List<JsonNode> events() {
      Map<String, JsonNode> byId = new LinkedHashMap<>();
      for (Receiver.Request r : requests()) {
        byId.putIfAbsent(r.webhookId(), parse(r.body()));
      }
      return List.copyOf(byId.values());
    }

    List<JsonNode> await(int n) {
      return Eventually.await(
          n + " operational event(s) at " + path, this::events, list -> list.size() >= n);
    }

    void assertAllSigned() {
      assertThat(requests())
          .isNotEmpty()
          .allSatisfy(
              r -> {
                assertThat(r.method()).isEqualTo("POST");
                assertThat(r.header("content-type")).isEqualTo("application/json");
                assertThat(r.webhookId()).startsWith("msg_");
                assertThatCode(() -> verifier.verify(r.body(), r.firstHeaders()))
                    .as("signature of %s", r.bodyText())
                    .doesNotThrowAnyException();
              });
    }

    private static JsonNode parse(byte[] body) {
      try {
        return Json.MAPPER.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
