package dev.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.testing.Api;
import dev.herald.testing.ApiContractTest;
import dev.herald.testing.Receiver;
import dev.herald.testing.Webhooks;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fields of the Svix models that Herald once accepted and dropped (hardening #9 points 7 and 13):
 * each now works or is refused with a 422 naming it.
 */
class SvixFieldsApiTest extends ApiContractTest {
  private Webhooks hooks;

  @Override
  protected Map<String, String> settings() {
    return Map.of(
        "HERALD_SSRF_ALLOW",
        "127.0.0.0/8",
        "HERALD_POLL_INTERVAL",
        "50ms",
        "HERALD_RETRY_SCHEDULE",
        "none");
  }

  @BeforeEach
  void client() {
    hooks = new Webhooks(api);
  }

  private static Map<String, Object> message(Object... fields) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("eventType", "fields.test");
    body.put("payload", Map.of("k", "v"));
    for (int i = 0; i < fields.length; i += 2) {
      body.put((String) fields[i], fields[i + 1]);
    }
    return body;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  // ---- point 7: application.uid contradicting the path ----

  @Test
  void a_message_whose_application_uid_differs_from_the_path_is_refused_and_creates_nothing() {
    String pathUid = uniqueUid("pathuid");
    String bodyUid = uniqueUid("bodyuid");
    Map<String, Object> body = message("application", Map.of("name", "A", "uid", bodyUid));

    Api.Response r = api.post("/api/v1/app/" + pathUid + "/msg", body);

    assertThat(r.status()).as("%s", r).isEqualTo(422);
    assertThat(errorLocations(r)).containsExactly("body.application.uid");
    assertThat(api.get("/api/v1/app/" + bodyUid).status()).isEqualTo(404);
    assertThat(api.get("/api/v1/app/" + pathUid).status()).isEqualTo(404);
  }

  @Test
  void a_message_whose_application_uid_matches_the_path_creates_it_and_a_retry_is_accepted() {
    String uid = uniqueUid("same");
    Map<String, Object> body = message("application", Map.of("name", "A", "uid", uid));

    assertThat(api.post("/api/v1/app/" + uid + "/msg", body).status()).isEqualTo(202);
    assertThat(api.post("/api/v1/app/" + uid + "/msg", body).status()).isEqualTo(202);
    String appId = api.get("/api/v1/app/" + uid).field("id");
    // The existing application named by its id, with its uid in the body, is the same application.
    assertThat(api.post("/api/v1/app/" + appId + "/msg", body).status()).isEqualTo(202);
  }

  @Test
  void portal_access_whose_application_uid_differs_from_the_path_is_refused_and_creates_nothing() {
    String pathUid = uniqueUid("pathuid");
    String bodyUid = uniqueUid("bodyuid");

    Api.Response r =
        api.post(
            "/api/v1/auth/app-portal-access/" + pathUid,
            Map.of("application", Map.of("name", "A", "uid", bodyUid)));

    assertThat(r.status()).as("%s", r).isEqualTo(422);
    assertThat(errorLocations(r)).containsExactly("body.application.uid");
    assertThat(api.get("/api/v1/app/" + bodyUid).status()).isEqualTo(404);
    assertThat(api.get("/api/v1/app/" + pathUid).status()).isEqualTo(404);
  }

  // ---- tags ----

  @Test
  void tags_are_stored_returned_and_filter_the_message_list() {
    String app = hooks.createApp();
    Api.Response tagged =
        api.post("/api/v1/app/" + app + "/msg", message("tags", List.of("project_1", "a/b#c\\d")));
    assertThat(tagged.status()).as("%s", tagged).isEqualTo(202);
    assertThat(texts(tagged.body().path("tags"))).containsExactly("project_1", "a/b#c\\d");
    String other = hooks.send(app, message("tags", List.of("project_2")));
    String untagged = hooks.send(app, message());

    assertThat(
            texts(api.get("/api/v1/app/" + app + "/msg/" + tagged.field("id")).body().path("tags")))
        .containsExactly("project_1", "a/b#c\\d");
    String list = "/api/v1/app/" + app + "/msg";
    assertThat(listAll(api, list, "tag=project_1", "id")).containsExactly(tagged.field("id"));
    assertThat(listAll(api, list, "tag=a%2Fb%23c%5Cd", "id")).containsExactly(tagged.field("id"));
    assertThat(listAll(api, list, "tag=project_", "id")).isEmpty();
    assertThat(listAll(api, list, "", "id")).contains(other, untagged);
  }

  @Test
  void tags_out_of_svix_bounds_are_refused() {
    String app = hooks.createApp();
    String msgs = "/api/v1/app/" + app + "/msg";
    assertThat(api.post(msgs, message("tags", List.of("a", "b", "c", "d", "e", "f"))).status())
        .isEqualTo(422);
    assertThat(api.post(msgs, message("tags", List.of("has space"))).status()).isEqualTo(422);
    assertThat(api.post(msgs, message("tags", List.of("x".repeat(129)))).status()).isEqualTo(422);
    assertThat(api.get(msgs + "?tag=has%20space").status()).isEqualTo(422);
  }

  @Test
  void the_tag_filter_applies_to_attempt_lists_and_with_msg_embeds_the_message() {
    Receiver rx = receiver();
    String app = hooks.createApp();
    String ep = hooks.createEndpoint(app, rx.url());
    String tagged = hooks.send(app, message("tags", List.of("blue")));
    String plain = hooks.send(app, message());
    rx.awaitRequests(2, Duration.ofSeconds(15));
    hooks.awaitAttempts(app, tagged, 1);
    hooks.awaitAttempts(app, plain, 1);

    List<JsonNode> byEndpoint = hooks.attemptsOfEndpoint(app, ep, "tag=blue&with_msg=true");
    assertThat(byEndpoint).extracting(a -> a.path("msgId").asText()).containsExactly(tagged);
    JsonNode msg = byEndpoint.get(0).path("msg");
    assertThat(msg.path("id").asText()).isEqualTo(tagged);
    assertThat(texts(msg.path("tags"))).containsExactly("blue");
    assertThat(msg.path("payload").isObject() && msg.path("payload").isEmpty())
        .as("%s", msg)
        .isTrue();
    assertThat(hooks.attemptsOfEndpoint(app, ep, "")).allMatch(a -> a.path("msg").isMissingNode());

    assertThat(hooks.attemptsOfMessage(app, tagged, "tag=blue")).hasSize(1);
    assertThat(hooks.attemptsOfMessage(app, plain, "tag=blue")).isEmpty();
    JsonNode page = api.get(Webhooks.endpointPath(app, ep) + "/msg?tag=blue").body();
    assertThat(page.path("data")).hasSize(1);
    assertThat(texts(page.path("data").get(0).path("tags"))).containsExactly("blue");
  }

  // ---- deliverAt ----

  @Test
  void a_scheduled_message_is_delivered_at_its_time_and_not_before() {
    Receiver rx = receiver();
    String app = hooks.createApp();
    String ep = hooks.createEndpoint(app, rx.url());
    Instant deliverAt = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.MILLIS);

    Api.Response sent =
        api.post("/api/v1/app/" + app + "/msg", message("deliverAt", deliverAt.toString()));

    assertThat(sent.status()).as("%s", sent).isEqualTo(202);
    assertThat(Instant.parse(sent.field("deliverAt"))).isEqualTo(deliverAt);
    JsonNode delivery = hooks.deliveryAt(app, ep, sent.field("id"));
    assertThat(delivery.path("status").asInt()).isEqualTo(1);
    assertThat(Instant.parse(delivery.path("nextAttempt").asText())).isEqualTo(deliverAt);
    assertThat(Instant.parse(delivery.path("deliverAt").asText())).isEqualTo(deliverAt);
    Receiver.Request got = rx.awaitRequests(1, Duration.ofSeconds(15)).get(0);
    assertThat(got.receivedAt()).as("received at").isAfterOrEqualTo(deliverAt);
  }

  @Test
  void deliver_at_in_the_past_or_beyond_the_horizon_is_refused() {
    String app = hooks.createApp();
    String msgs = "/api/v1/app/" + app + "/msg";
    Api.Response past =
        api.post(msgs, message("deliverAt", Instant.now().minusSeconds(60).toString()));
    assertThat(past.status()).as("%s", past).isEqualTo(422);
    assertThat(errorLocations(past)).containsExactly("body.deliverAt");
    Api.Response far =
        api.post(msgs, message("deliverAt", Instant.now().plus(Duration.ofHours(25)).toString()));
    assertThat(far.status()).as("%s", far).isEqualTo(422);
    assertThat(api.post(msgs, message("deliverAt", "tomorrow")).status()).isEqualTo(422);
    // A time a little behind the server's clock (client clock skew) means "now".
    assertThat(
            api.post(msgs, message("deliverAt", Instant.now().minusSeconds(2).toString())).status())
        .isEqualTo(202);
  }

  // ---- fields refused as not supported ----

  @Test
  void transformation_parameters_other_than_raw_payload_are_refused() {
    String app = hooks.createApp();
    Api.Response r =
        api.post(
            "/api/v1/app/" + app + "/msg",
            message("transformationsParams", Map.of("headers", Map.of("x", "1"))));
    assertThat(r.status()).as("%s", r).isEqualTo(422);
    assertThat(r.text()).contains("transformationsParams.headers is not supported");
  }

  @Test
  void both_retention_fields_at_once_are_refused() {
    String app = hooks.createApp();
    Api.Response r =
        api.post(
            "/api/v1/app/" + app + "/msg",
            message("payloadRetentionPeriod", 5, "payloadRetentionHours", 24));
    assertThat(r.status()).as("%s", r).isEqualTo(422);
    assertThat(errorLocations(r)).containsExactly("body.payloadRetentionHours");
  }

  // ---- application list filters ----

  @Test
  void
      the_application_list_leaves_out_apps_without_endpoints_or_with_only_disabled_or_svix_play_ones() {
    Api org = newOrg();
    Webhooks h = new Webhooks(org);
    String none = h.createApp();
    String enabled = h.createApp();
    h.createEndpoint(enabled, "https://example.com/a");
    String disabled = h.createApp();
    h.createEndpoint(disabled, "https://example.com/b", Map.of("disabled", true));
    String mixed = h.createApp();
    h.createEndpoint(mixed, "https://example.com/c", Map.of("disabled", true));
    h.createEndpoint(mixed, "https://example.com/d");
    String play = h.createApp();
    h.createEndpoint(play, "https://play.svix.com/in/e_abc/");

    assertThat(listAll(org, "/api/v1/app", "", "id"))
        .containsExactly(none, enabled, disabled, mixed, play);
    assertThat(listAll(org, "/api/v1/app", "exclude_apps_with_no_endpoints=true", "id"))
        .containsExactly(enabled, disabled, mixed, play);
    assertThat(listAll(org, "/api/v1/app", "exclude_apps_with_disabled_endpoints=true", "id"))
        .containsExactly(none, enabled, mixed, play);
    assertThat(listAll(org, "/api/v1/app", "exclude_apps_with_svix_play_endpoints=true", "id"))
        .containsExactly(none, enabled, disabled, mixed);
    assertThat(
            listAll(
                org,
                "/api/v1/app",
                "exclude_apps_with_no_endpoints=true&exclude_apps_with_disabled_endpoints=true",
                "id"))
        .containsExactly(enabled, mixed, play);
    assertThat(org.get("/api/v1/app?exclude_apps_with_no_endpoints=maybe").status()).isEqualTo(422);
  }

  // ---- rateLimit, the deprecated alias of throttleRate ----

  @Test
  void rate_limit_is_read_as_throttle_rate_and_written_beside_it() {
    Api.Response app = api.post("/api/v1/app", Map.of("name", "A", "rateLimit", 7));
    assertThat(app.status()).as("%s", app).isEqualTo(201);
    assertThat(app.body().path("throttleRate").asInt()).isEqualTo(7);
    assertThat(app.body().path("rateLimit").asInt()).isEqualTo(7);
    String appId = app.field("id");
    Api.Response patched = api.patch("/api/v1/app/" + appId, Map.of("rateLimit", 9));
    assertThat(patched.body().path("throttleRate").asInt()).isEqualTo(9);

    Api.Response ep =
        api.post(
            "/api/v1/app/" + appId + "/endpoint",
            Map.of("url", "https://example.com/x", "rateLimit", 3));
    assertThat(ep.status()).as("%s", ep).isEqualTo(201);
    assertThat(ep.body().path("throttleRate").asInt()).isEqualTo(3);
    assertThat(ep.body().path("rateLimit").asInt()).isEqualTo(3);
    Api.Response epPatched =
        api.patch("/api/v1/app/" + appId + "/endpoint/" + ep.field("id"), Map.of("rateLimit", 4));
    assertThat(epPatched.body().path("throttleRate").asInt()).isEqualTo(4);

    Api.Response both =
        api.post("/api/v1/app", Map.of("name", "A", "rateLimit", 7, "throttleRate", 8));
    assertThat(both.status()).as("%s", both).isEqualTo(422);
    assertThat(errorLocations(both)).containsExactly("body.rateLimit");
    assertThat(
            api.post("/api/v1/app", Map.of("name", "A", "rateLimit", 7, "throttleRate", 7))
                .status())
        .isEqualTo(201);
  }

  // ---- endpoint fields ----

  @Test
  void an_endpoint_patch_with_a_secret_replaces_the_secret() {
    String app = hooks.createApp();
    String ep = hooks.createEndpoint(app, "https://example.com/s");
    String secret = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[24]);

    Api.Response r = api.patch(Webhooks.endpointPath(app, ep), Map.of("secret", secret));

    assertThat(r.status()).as("%s", r).isEqualTo(200);
    assertThat(hooks.secret(app, ep)).isEqualTo(secret);
    Map<String, Object> nullSecret = new LinkedHashMap<>();
    nullSecret.put("secret", null);
    assertThat(api.patch(Webhooks.endpointPath(app, ep), nullSecret).status()).isEqualTo(422);
  }

  @Test
  void an_endpoint_put_with_headers_replaces_them_and_one_without_keeps_them() {
    String app = hooks.createApp();
    String ep =
        hooks
            .createEndpoint(app, "https://example.com/h", Map.of("headers", Map.of("X-A", "1")))
            .path("id")
            .asText();
    String path = Webhooks.endpointPath(app, ep);

    assertThat(
            api.put(path, Map.of("url", "https://example.com/h", "headers", Map.of("X-B", "2")))
                .status())
        .isEqualTo(200);
    assertThat(api.get(path + "/headers").body().path("headers").toString())
        .isEqualTo("{\"X-B\":\"2\"}");
    assertThat(api.put(path, Map.of("url", "https://example.com/h2")).status()).isEqualTo(200);
    assertThat(api.get(path + "/headers").body().path("headers").toString())
        .isEqualTo("{\"X-B\":\"2\"}");
  }

  @Test
  void an_endpoint_version_other_than_1_is_refused() {
    String app = hooks.createApp();
    String eps = "/api/v1/app/" + app + "/endpoint";
    assertThat(api.post(eps, Map.of("url", "https://example.com/v", "version", 1)).status())
        .isEqualTo(201);
    Api.Response r = api.post(eps, Map.of("url", "https://example.com/v", "version", 2));
    assertThat(r.status()).as("%s", r).isEqualTo(422);
    assertThat(errorLocations(r)).containsExactly("body.version");
  }

  @Test
  void send_example_sends_the_example_at_the_index_asked_for() {
    Receiver rx = receiver();
    String app = hooks.createApp();
    String ep = hooks.createEndpoint(app, rx.url());
    String type = "example." + uniqueUid("t");
    Map<String, Object> schema =
        Map.of("type", "object", "examples", List.of(Map.of("n", 0), Map.of("n", 1)));
    assertThat(
            api.post(
                    "/api/v1/event-type",
                    Map.of("name", type, "description", "d", "schemas", Map.of("1", schema)))
                .status())
        .isEqualTo(201);
    String path = Webhooks.endpointPath(app, ep) + "/send-example";

    Api.Response r = api.post(path, Map.of("eventType", type, "exampleIndex", 1));

    assertThat(r.status()).as("%s", r).isEqualTo(200);
    assertThat(rx.awaitRequests(1, Duration.ofSeconds(15)).get(0).bodyText())
        .isEqualTo("{\"n\":1}");
    assertThat(api.post(path, Map.of("eventType", type, "exampleIndex", 2)).status())
        .isEqualTo(422);
  }

  // ---- event type fields ----

  @Test
  void an_event_type_keeps_its_group_name_and_takes_one_feature_flag_as_a_set() {
    String name = uniqueUid("grouped");
    Api.Response created =
        api.post(
            "/api/v1/event-type",
            Map.of(
                "name",
                name,
                "description",
                "d",
                "groupName",
                "billing",
                "featureFlags",
                List.of("beta")));

    assertThat(created.status()).as("%s", created).isEqualTo(201);
    assertThat(created.field("groupName")).isEqualTo("billing");
    assertThat(created.field("featureFlag")).isEqualTo("beta");
    assertThat(texts(created.body().path("featureFlags"))).containsExactly("beta");
    Api.Response patched = api.patch("/api/v1/event-type/" + name, Map.of("groupName", "invoices"));
    assertThat(patched.field("groupName")).isEqualTo("invoices");
    assertThat(patched.field("featureFlag")).isEqualTo("beta");
    assertThat(api.delete("/api/v1/event-type/" + name).status()).isEqualTo(204);
    assertThat(api.get("/api/v1/event-type/" + name).field("groupName")).isEqualTo("invoices");

    Api.Response two =
        api.post(
            "/api/v1/event-type",
            Map.of(
                "name", uniqueUid("two"), "description", "d", "featureFlags", List.of("a", "b")));
    assertThat(two.status()).as("%s", two).isEqualTo(422);
    assertThat(errorLocations(two)).containsExactly("body.featureFlags");
    Api.Response clash =
        api.post(
            "/api/v1/event-type",
            Map.of(
                "name",
                uniqueUid("clash"),
                "description",
                "d",
                "featureFlag",
                "a",
                "featureFlags",
                List.of("b")));
    assertThat(clash.status()).as("%s", clash).isEqualTo(422);
  }
}
