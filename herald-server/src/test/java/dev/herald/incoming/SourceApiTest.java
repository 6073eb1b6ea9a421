package dev.herald.incoming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.testing.Api;
import dev.herald.testing.ApiContractTest;
import dev.herald.testing.Receiver;
import dev.herald.testing.Webhooks;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Sources of incoming webhooks through the API and their ingest URLs (issue #12), end to end: a
 * provider's signed request reaches the endpoint subscribed to its event type as a signed Herald
 * delivery, through real HTTP on both sides; the same request twice is delivered once; a forgery is
 * delivered nowhere.
 */
class SourceApiTest extends ApiContractTest {
  static final String STRIPE_SECRET = "whsec_test_5PRJ9z0kq3Cq8h1G";
  static final String GITHUB_SECRET = "It's a Secret to Everybody";

  @Override
  protected Map<String, String> settings() {
    return Map.of(
        "HERALD_MAX_PAYLOAD_SIZE", "65536",
        "HERALD_SSRF_ALLOW", "127.0.0.0/8",
        "HERALD_RETRY_SCHEDULE", "1s,1s",
        "HERALD_REQUEST_TIMEOUT", "2s",
        "HERALD_POLL_INTERVAL", "50ms");
  }

  String app() {
    return new Webhooks(api).createApp();
  }

  static Map<String, Object> stripeSource() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", "Stripe production");
    body.put("verifier", Map.of("type", "stripe", "secrets", List.of(STRIPE_SECRET)));
    return body;
  }

  JsonNode create(String app, Map<String, Object> body) {
    Api.Response r = api.post("/api/v1/app/" + app + "/source", body);
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return r.body();
  }

  static String body(String id, String type) {
    return "{\"id\":\""
        + id
        + "\",\"object\":\"event\",\"type\":\""
        + type
        + "\","
        + "\"data\":{\"object\":{\"amount\":12345678901234567.89}}}";
  }

  static long now() {
    return Instant.now().getEpochSecond();
  }

  /** The messages of the application tagged with the source. */
  List<JsonNode> messagesOf(String app, String sourceId) {
    Api.Response r = api.get("/api/v1/app/" + app + "/msg?tag=source/" + sourceId);
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    List<JsonNode> out = new java.util.ArrayList<>();
    r.body().path("data").forEach(out::add);
    return out;
  }

  @Test
  void a_new_source_has_an_unguessable_ingest_url_and_shows_its_secrets_only_masked() {
    String app = app();
    Map<String, Object> body = stripeSource();
    body.put("uid", "stripe-prod");
    JsonNode s = create(app, body);

    String id = s.path("id").asText();
    assertThat(id).matches("src_[0-9A-Za-z]{30}");
    assertThat(s.path("ingestUrl").asText()).isEqualTo(server.herald().publicUrl() + "/in/" + id);
    assertThat(s.path("uid").asText()).isEqualTo("stripe-prod");
    assertThat(s.path("unverified").asBoolean()).isFalse();
    assertThat(s.path("failureStatus").asInt()).isEqualTo(401);
    assertThat(s.toString()).doesNotContain(STRIPE_SECRET).doesNotContain("5PRJ9z0kq3Cq8h1G");
    assertThat(s.at("/verifier/secrets/0").asText()).startsWith("whsec_****");
    JsonNode read = api.get("/api/v1/app/" + app + "/source/stripe-prod").body();
    assertThat(read.path("id").asText()).isEqualTo(id);
    assertThat(read.toString()).doesNotContain("5PRJ9z0kq3Cq8h1G");
  }

  @Test
  void the_secrets_are_stored_encrypted_and_only_the_hash_of_a_dedupe_key() {
    String app = app();
    JsonNode s = create(app, stripeSource());
    String id = s.path("id").asText();
    String body = body("evt_at_rest_" + UUID.randomUUID().toString().substring(0, 6), "a.b");
    Provider.post(s.path("ingestUrl").asText(), Provider.stripe(STRIPE_SECRET, body, now()), body);

    List<String> stored =
        server
            .herald()
            .database()
            .read(
                sql ->
                    sql.query(
                        "SELECT settings || ' ' || secrets_enc FROM inbound_source WHERE id = ?",
                        rs -> rs.getString(1),
                        id));
    assertThat(stored).hasSize(1);
    assertThat(stored.get(0)).contains("v1:").doesNotContain("5PRJ9z0kq3Cq8h1G");
    List<String> keys =
        server
            .herald()
            .database()
            .read(
                sql ->
                    sql.query(
                        "SELECT key_hash FROM inbound_dedupe WHERE source_id = ?",
                        rs -> rs.getString(1),
                        id));
    assertThat(keys).hasSize(1);
    assertThat(keys.get(0)).matches("[0-9a-f]{64}").doesNotContain("evt_");
  }

  @Test
  void a_source_without_verification_must_be_asked_for_and_is_flagged() {
    String app = app();
    Map<String, Object> missing = new HashMap<>(Map.of("name", "open"));
    Api.Response r = api.post("/api/v1/app/" + app + "/source", missing);
    assertThat(r.status()).isEqualTo(422);
    assertThat(errorLocations(r)).contains("body.verifier");

    JsonNode s = create(app, Map.of("name", "open", "verifier", Map.of("type", "none")));
    assertThat(s.path("unverified").asBoolean()).isTrue();
  }

  @Test
  void a_verifier_that_could_never_verify_is_refused_with_the_fields_named() {
    String app = app();
    Api.Response r =
        api.post(
            "/api/v1/app/" + app + "/source",
            Map.of(
                "name",
                "bad",
                "verifier",
                Map.of("type", "hmac", "secrets", List.of(), "algorithm", "md5")));
    assertThat(r.status()).isEqualTo(422);
    assertThat(errorLocations(r))
        .contains("body.verifier.secrets", "body.verifier.header", "body.verifier.algorithm");

    Api.Response unknown =
        api.post(
            "/api/v1/app/" + app + "/source",
            Map.of("name", "bad", "verifier", Map.of("type", "carrier-pigeon")));
    assertThat(errorLocations(unknown)).containsExactly("body.verifier.type");

    Api.Response sendgrid =
        api.post(
            "/api/v1/app/" + app + "/source",
            Map.of(
                "name",
                "bad",
                "verifier",
                Map.of("type", "sendgrid", "secrets", List.of("not-a-key")),
                "eventType",
                Map.of("template", "{json:action}")));
    assertThat(sendgrid.status()).isEqualTo(422);
    assertThat(errorLocations(sendgrid))
        .containsExactlyInAnyOrder("body.verifier.secrets.0", "body.eventType.template");

    Api.Response twilio =
        api.post(
            "/api/v1/app/" + app + "/source",
            Map.of("name", "bad", "verifier", Map.of("type", "twilio", "secrets", List.of("t"))));
    assertThat(errorLocations(twilio)).containsExactly("body.verifier.publicUrl");
  }

  @Test
  void sources_list_in_pages_and_a_patch_changes_only_what_it_names() {
    Api org = newOrg();
    String app = new Webhooks(org).createApp();
    for (int i = 0; i < 3; i++) {
      assertThat(org.post("/api/v1/app/" + app + "/source", stripeSource()).status())
          .isEqualTo(201);
    }
    List<String> all = listAll(org, "/api/v1/app/" + app + "/source", "limit=2", "id");
    assertThat(all).hasSize(3).doesNotHaveDuplicates();

    String id = all.get(0);
    Api.Response patched =
        org.patch(
            "/api/v1/app/" + app + "/source/" + id,
            Map.of("name", "renamed", "failureStatus", 400));
    assertThat(patched.status()).as("%s", patched).isEqualTo(200);
    assertThat(patched.field("name")).isEqualTo("renamed");
    assertThat(patched.body().at("/verifier/type").asText()).isEqualTo("stripe");
    assertThat(patched.body().at("/verifier/secrets").size()).isEqualTo(1);

    assertThat(org.delete("/api/v1/app/" + app + "/source/" + id).status()).isEqualTo(204);
    assertThat(org.get("/api/v1/app/" + app + "/source/" + id).status()).isEqualTo(404);
  }

  @Test
  void a_patched_verifier_keeps_its_secrets_unless_its_type_changes() {
    String app = app();
    JsonNode s = create(app, stripeSource());
    String path = "/api/v1/app/" + app + "/source/" + s.path("id").asText();

    Api.Response sameType =
        api.patch(path, Map.of("verifier", Map.of("type", "stripe", "toleranceSeconds", 600)));
    assertThat(sameType.status()).as("%s", sameType).isEqualTo(200);
    assertThat(sameType.body().at("/verifier/toleranceSeconds").asInt()).isEqualTo(600);
    String body = body("evt_patched_" + UUID.randomUUID().toString().substring(0, 6), "a.b");
    assertThat(
            Provider.post(
                    s.path("ingestUrl").asText(), Provider.stripe(STRIPE_SECRET, body, now()), body)
                .status())
        .isEqualTo(200);

    Api.Response otherType = api.patch(path, Map.of("verifier", Map.of("type", "github")));
    assertThat(otherType.status()).isEqualTo(422);
    assertThat(errorLocations(otherType)).containsExactly("body.verifier.secrets");
    assertThat(api.get(path).body().at("/verifier/type").asText()).isEqualTo("stripe");
  }

  @Test
  void a_nul_character_in_a_value_the_log_keeps_is_accepted_on_both_databases() {
    String app = app();
    JsonNode s =
        create(
            app,
            Map.of(
                "name",
                "open",
                "verifier",
                Map.of("type", "none"),
                "dedupe",
                Map.of("key", List.of("json:/id"))));
    String body = "{\"id\":\"a\\u0000b\",\"type\":\"x\\u0000y\"}";
    Provider.Answer a =
        Provider.post(
            s.path("ingestUrl").asText(), Map.of("Content-Type", "application/json"), body);
    assertThat(a.status()).as("%s", a).isEqualTo(200);
    JsonNode entry =
        api.get("/api/v1/app/" + app + "/source/" + s.path("id").asText() + "/request")
            .body()
            .at("/data/0");
    assertThat(entry.path("dedupeKey").asText()).isEqualTo("a\uFFFDb");
    assertThat(entry.path("eventType").asText()).isEqualTo("x.y");
  }

  @Test
  void another_org_cannot_see_a_source_and_a_portal_token_cannot_reach_sources() {
    String app = app();
    JsonNode s = create(app, stripeSource());
    String path = "/api/v1/app/" + app + "/source/" + s.path("id").asText();

    assertThat(newOrg().get(path).status()).isEqualTo(404);
    String token = api.post("/api/v1/auth/app-portal-access/" + app, Map.of()).field("token");
    Api portal = server.api(token);
    assertThat(portal.get(path).status()).isEqualTo(403);
    assertThat(portal.get("/api/v1/app/" + app + "/source").status()).isEqualTo(403);
    assertThat(portal.post(path + "/token/rotate", null).status()).isEqualTo(403);
  }

  @Test
  void the_request_log_refuses_an_unknown_status_filter() {
    String app = app();
    JsonNode s = create(app, stripeSource());
    Api.Response r =
        api.get("/api/v1/app/" + app + "/source/" + s.path("id").asText() + "/request?status=odd");
    assertThat(r.status()).isEqualTo(422);
    assertThat(errorLocations(r)).containsExactly("query.status");
  }

  @Test
  void a_signed_stripe_request_becomes_a_message_byte_for_byte_with_its_metadata() {
    String app = app();
    JsonNode s = create(app, stripeSource());
    String sourceId = s.path("id").asText();
    String body = body("evt_" + UUID.randomUUID().toString().replace("-", ""), "charge.succeeded");

    Provider.Answer a =
        Provider.post(
            s.path("ingestUrl").asText(), Provider.stripe(STRIPE_SECRET, body, now()), body);

    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body()).isEqualTo("{\"received\":true}");
    List<JsonNode> messages = messagesOf(app, sourceId);
    assertThat(messages).hasSize(1);
    JsonNode m = messages.get(0);
    assertThat(m.path("eventType").asText()).isEqualTo("charge.succeeded");
    assertThat(m.path("tags").toString()).contains("provider/stripe").contains("delivery/evt_");
    Api.Response one = api.get("/api/v1/app/" + app + "/msg/" + m.path("id").asText());
    assertThat(one.text()).contains(body);
  }

  @Test
  void the_same_request_twice_is_answered_alike_and_becomes_one_message() {
    String app = app();
    JsonNode s = create(app, stripeSource());
    String body = body("evt_dup_" + UUID.randomUUID().toString().substring(0, 8), "invoice.paid");
    Map<String, String> headers = Provider.stripe(STRIPE_SECRET, body, now());

    Provider.Answer first = Provider.post(s.path("ingestUrl").asText(), headers, body);
    Provider.Answer second = Provider.post(s.path("ingestUrl").asText(), headers, body);

    assertThat(first.status()).isEqualTo(200);
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.body()).isEqualTo(first.body());
    assertThat(messagesOf(app, s.path("id").asText())).hasSize(1);
    JsonNode log =
        api.get("/api/v1/app/" + app + "/source/" + s.path("id").asText() + "/request").body();
    assertThat(
            keys(
                api.get("/api/v1/app/" + app + "/source/" + s.path("id").asText() + "/request"),
                "status"))
        .containsExactly("duplicate", "accepted");
    assertThat(log.at("/data/1/messageId").asText()).startsWith("msg_");
  }

  @Test
  void a_forgery_is_refused_with_the_failure_status_logged_with_its_reason_and_creates_nothing() {
    String app = app();
    Map<String, Object> source = stripeSource();
    source.put("failureStatus", 400);
    JsonNode s = create(app, source);
    String sourceId = s.path("id").asText();
    String body = body("evt_forged", "charge.succeeded");
    Map<String, String> forged = Provider.stripe("whsec_wrong", body, now());

    Provider.Answer a = Provider.post(s.path("ingestUrl").asText(), forged, body);

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.body()).doesNotContain("signature").contains("verification_failed");
    assertThat(messagesOf(app, sourceId)).isEmpty();
    Api.Response log =
        api.get("/api/v1/app/" + app + "/source/" + sourceId + "/request?status=rejected");
    assertThat(log.status()).isEqualTo(200);
    JsonNode entry = log.body().at("/data/0");
    assertThat(entry.path("reason").asText()).isEqualTo("signature_mismatch");
    assertThat(entry.path("status").asText()).isEqualTo("rejected");
    assertThat(entry.at("/headers/stripe-signature").asText()).isEqualTo("[redacted]");
    assertThat(log.text()).doesNotContain(forged.get("Stripe-Signature").substring(20));
  }

  @Test
  void a_stale_stripe_request_is_refused_for_its_timestamp() {
    String app = app();
    JsonNode s = create(app, stripeSource());
    String body = body("evt_stale", "charge.succeeded");
    Provider.post(
        s.path("ingestUrl").asText(), Provider.stripe(STRIPE_SECRET, body, now() - 3600), body);
    JsonNode entry =
        api.get("/api/v1/app/" + app + "/source/" + s.path("id").asText() + "/request")
            .body()
            .at("/data/0");
    assertThat(entry.path("reason").asText()).isEqualTo("timestamp_outside_tolerance");
  }

  @Test
  void an_unknown_deleted_or_disabled_source_is_not_found() {
    String app = app();
    JsonNode s = create(app, stripeSource());
    String body = body("evt_x", "charge.succeeded");
    Map<String, String> h = Provider.stripe(STRIPE_SECRET, body, now());
    String base = server.herald().publicUrl() + "/in/";

    assertThat(Provider.post(base + "src_doesnotexist", h, body).status()).isEqualTo(404);
    api.patch("/api/v1/app/" + app + "/source/" + s.path("id").asText(), Map.of("disabled", true));
    assertThat(Provider.post(s.path("ingestUrl").asText(), h, body).status()).isEqualTo(404);
  }

  @Test
  void a_body_over_the_limit_is_refused_with_413_and_creates_nothing() {
    String app = app();
    JsonNode s = create(app, Map.of("name", "open", "verifier", Map.of("type", "none")));
    byte[] big = new byte[65537];
    java.util.Arrays.fill(big, (byte) 'a');
    Provider.Answer a =
        Provider.post(s.path("ingestUrl").asText(), Map.of("Content-Type", "text/plain"), big);
    assertThat(a.status()).isEqualTo(413);
    assertThat(messagesOf(app, s.path("id").asText())).isEmpty();
  }

  @Test
  void a_body_far_over_the_limit_is_read_to_its_end_so_the_sender_gets_the_413() throws Exception {
    String app = app();
    JsonNode s = create(app, Map.of("name", "open", "verifier", Map.of("type", "none")));
    byte[] big = new byte[600_000];
    java.util.Arrays.fill(big, (byte) 'a');

    String status =
        dev.herald.testing.SlowUpload.post(
            s.path("ingestUrl").asText(), Map.of("Content-Type", "text/plain"), big);

    assertThat(status).startsWith("HTTP/1.1 413");
    assertThat(messagesOf(app, s.path("id").asText())).isEmpty();
  }

  @Test
  void a_github_request_gets_its_event_type_from_the_template_and_its_key_from_the_delivery() {
    String app = app();
    JsonNode s =
        create(
            app,
            Map.of(
                "name",
                "GitHub",
                "verifier",
                Map.of("type", "github", "secrets", List.of(GITHUB_SECRET)),
                "eventType",
                Map.of(
                    "template",
                    "{header:X-GitHub-Event}.{json:/action}",
                    "prefix",
                    "github.",
                    "fallback",
                    "github.unknown")));
    String issue = "{\"action\":\"opened\",\"issue\":{\"number\":1}}";
    String push = "{\"ref\":\"refs/heads/main\"}";
    String url = s.path("ingestUrl").asText();
    Provider.post(
        url, Provider.github(GITHUB_SECRET, issue, "issues", UUID.randomUUID() + ""), issue);
    Provider.post(url, Provider.github(GITHUB_SECRET, push, "push", UUID.randomUUID() + ""), push);

    List<String> types =
        messagesOf(app, s.path("id").asText()).stream()
            .map(m -> m.path("eventType").asText())
            .toList();
    assertThat(types).containsExactlyInAnyOrder("github.issues.opened", "github.push");
  }

  @Test
  void a_form_body_becomes_a_json_object_with_repeated_fields_as_arrays() {
    String app = app();
    JsonNode s =
        create(
            app,
            Map.of(
                "name",
                "form",
                "verifier",
                Map.of("type", "api_key", "secrets", List.of("k-123"), "header", "X-Api-Key"),
                "eventType",
                Map.of("template", "form.{form:kind}")));
    Provider.Answer a =
        Provider.post(
            s.path("ingestUrl").asText(),
            Map.of("Content-Type", "application/x-www-form-urlencoded", "X-Api-Key", "k-123"),
            "kind=order&tag=a&tag=b&note=caf%C3%A9+au+lait");
    assertThat(a.status()).isEqualTo(200);
    JsonNode m = messagesOf(app, s.path("id").asText()).get(0);
    assertThat(m.path("eventType").asText()).isEqualTo("form.order");
    assertThat(m.path("payload").toString())
        .isEqualTo("{\"kind\":\"order\",\"tag\":[\"a\",\"b\"],\"note\":\"café au lait\"}");
  }

  @Test
  void a_body_neither_json_nor_form_arrives_in_an_envelope_with_the_signature_headers() {
    String app = app();
    JsonNode s =
        create(
            app,
            Map.of("name", "gh", "verifier", Map.of("type", "github", "secrets", List.of("x"))));
    String xml = "<event>ping</event>";
    Map<String, String> h = new LinkedHashMap<>(Provider.github("x", xml, "ping", "d-1"));
    h.put("Content-Type", "application/xml");
    h.put("Cookie", "session=private");
    assertThat(Provider.post(s.path("ingestUrl").asText(), h, xml).status()).isEqualTo(200);

    JsonNode payload = messagesOf(app, s.path("id").asText()).get(0).path("payload");
    assertThat(payload.path("contentType").asText()).isEqualTo("application/xml");
    assertThat(
            new String(java.util.Base64.getDecoder().decode(payload.path("bodyBase64").asText())))
        .isEqualTo(xml);
    assertThat(payload.at("/headers/x-hub-signature-256").asText()).startsWith("sha256=");
    assertThat(payload.path("headers").has("cookie")).isFalse();
  }

  @Test
  void slack_url_verification_is_answered_with_the_challenge_and_creates_no_message() {
    String app = app();
    JsonNode s =
        create(
            app,
            Map.of(
                "name",
                "slack",
                "verifier",
                Map.of("type", "slack", "secrets", List.of("8f742231b10e8888abcd99yyyzzz85a5"))));
    String body =
        "{\"token\":\"x\",\"challenge\":\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\",\"type\":\"url_verification\"}";
    long t = now();
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", "application/json");
    h.put("X-Slack-Request-Timestamp", String.valueOf(t));
    h.put(
        "X-Slack-Signature",
        "v0=" + Provider.hmacHex("8f742231b10e8888abcd99yyyzzz85a5", "v0:" + t + ":" + body));

    Provider.Answer a = Provider.post(s.path("ingestUrl").asText(), h, body);

    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body())
        .isEqualTo("{\"challenge\":\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\"}");
    assertThat(messagesOf(app, s.path("id").asText())).isEmpty();
  }

  @Test
  void inbound_requests_are_counted_by_source_and_result() {
    String app = app();
    JsonNode s = create(app, stripeSource());
    String id = s.path("id").asText();
    String body = body("evt_metric_" + UUID.randomUUID().toString().substring(0, 6), "a.b");
    Provider.post(s.path("ingestUrl").asText(), Provider.stripe(STRIPE_SECRET, body, now()), body);
    Provider.post(s.path("ingestUrl").asText(), Provider.stripe("whsec_no", body, now()), body);

    String metrics = server.herald().metrics().scrape();
    assertThat(metrics)
        .contains("herald_inbound_requests_total{result=\"accepted\",source=\"" + id + "\"} 1.0")
        .contains("herald_inbound_requests_total{result=\"rejected\",source=\"" + id + "\"} 1.0");
  }

  // End to end: real HTTP on both sides, deliveries signed by Herald.

  static final Duration WAIT = Duration.ofSeconds(10);

  record Setup(String app, Receiver subscribed, Receiver other, String secret, String ingestUrl) {}

  Setup setup(Map<String, Object> verifier, String eventType) {
    Webhooks w = new Webhooks(api);
    String app = w.createApp();
    for (String type : List.of(eventType, "something.else")) {
      api.post("/api/v1/event-type", Map.of("name", type, "description", "incoming"));
    }
    Receiver subscribed = receiver();
    Receiver other = receiver();
    JsonNode ep =
        w.createEndpoint(app, subscribed.url(), Map.of("filterTypes", List.of(eventType)));
    w.createEndpoint(app, other.url(), Map.of("filterTypes", List.of("something.else")));
    String secret = w.secret(app, ep.path("id").asText());
    Api.Response s =
        api.post(
            "/api/v1/app/" + app + "/source", Map.of("name", "provider", "verifier", verifier));
    assertThat(s.status()).as("%s", s).isEqualTo(201);
    return new Setup(app, subscribed, other, secret, s.field("ingestUrl"));
  }

  static void assertSignedByHerald(Receiver.Request r, String secret, String body) {
    assertThat(r.bodyText()).isEqualTo(body);
    assertThatCode(() -> new dev.herald.verify.Webhook(secret).verify(r.body(), r.firstHeaders()))
        .doesNotThrowAnyException();
  }

  /** Waits a little past the first delivery, so a second one would have arrived too. */
  static void settle() throws InterruptedException {
    Thread.sleep(700);
  }

  @Test
  void a_signed_stripe_request_sent_twice_reaches_the_subscribed_endpoint_once_signed_by_herald()
      throws InterruptedException {
    String whsec = "whsec_e2e_" + UUID.randomUUID();
    Setup s =
        setup(Map.of("type", "stripe", "secrets", List.of(whsec)), "payment_intent.succeeded");
    String body =
        "{\"id\":\"evt_"
            + UUID.randomUUID().toString().replace("-", "")
            + "\",\"type\":\"payment_intent.succeeded\",\"data\":{\"amount\":1.10}}";
    Map<String, String> headers = Provider.stripe(whsec, body, Instant.now().getEpochSecond());

    assertThat(Provider.post(s.ingestUrl(), headers, body).status()).isEqualTo(200);
    assertThat(Provider.post(s.ingestUrl(), headers, body).status()).isEqualTo(200);

    List<Receiver.Request> got = s.subscribed().awaitRequests(1, WAIT);
    settle();
    assertThat(s.subscribed().requests()).hasSize(1);
    assertSignedByHerald(got.get(0), s.secret(), body);
    assertThat(s.other().requests()).isEmpty();
  }

  @Test
  void a_signed_github_request_reaches_the_endpoint_subscribed_to_its_event_and_action()
      throws InterruptedException {
    String secret = "gh-" + UUID.randomUUID();
    Setup s = setup(Map.of("type", "github", "secrets", List.of(secret)), "issues.opened");
    String body = "{\"action\":\"opened\",\"issue\":{\"number\":7,\"title\":\"h\\u00e9llo\"}}";
    Map<String, String> headers =
        Provider.github(secret, body, "issues", UUID.randomUUID().toString());

    assertThat(Provider.post(s.ingestUrl(), headers, body).status()).isEqualTo(200);
    assertThat(Provider.post(s.ingestUrl(), headers, body).status()).isEqualTo(200);

    List<Receiver.Request> got = s.subscribed().awaitRequests(1, WAIT);
    settle();
    assertThat(s.subscribed().requests()).hasSize(1);
    assertSignedByHerald(got.get(0), s.secret(), body);
  }

  @Test
  void a_forgery_is_refused_and_delivered_nowhere() throws InterruptedException {
    Setup s =
        setup(Map.of("type", "github", "secrets", List.of("the-real-secret")), "issues.opened");
    String body = "{\"action\":\"opened\"}";
    Map<String, String> forged = Provider.github("a-guess", body, "issues", "d-forged");

    assertThat(Provider.post(s.ingestUrl(), forged, body).status()).isEqualTo(401);

    settle();
    assertThat(s.subscribed().requests()).isEmpty();
    assertThat(s.other().requests()).isEmpty();
  }
}
