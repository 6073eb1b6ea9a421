package dev.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.json.Json;
import dev.herald.testing.Api;
import dev.herald.testing.ApiContractTest;
import dev.herald.testing.Eventually;
import dev.herald.testing.Receiver;
import dev.herald.testing.Webhooks;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Content filters on endpoints (issue 13 point 2): saved, shown and refused through the endpoint
 * API, tried through {@code POST /api/v1/filter/test}, and applied at fan-out with real receivers.
 */
class ContentFilterApiTest extends ApiContractTest {
  private static final String BIG_PAID =
      "{\"eventType\":\"invoice.paid\",\"payload\":{\"amount\":{\"$gte\":100}}}";

  private Webhooks hooks;

  @Override
  protected Map<String, String> settings() {
    return Map.of("HERALD_SSRF_ALLOW", "127.0.0.0/8", "HERALD_POLL_INTERVAL", "50ms");
  }

  @BeforeEach
  void client() {
    hooks = new Webhooks(api);
  }

  @Test
  void an_endpoint_keeps_its_filter_through_create_get_update_and_patch() {
    String app = hooks.createApp();
    JsonNode created =
        hooks.createEndpoint(app, "https://example.com/f", Map.of("filter", Json.tree(BIG_PAID)));
    String id = created.path("id").asText();
    assertThat(created.path("filter")).isEqualTo(Json.tree(BIG_PAID));
    assertThat(hooks.endpoint(app, id).path("filter")).isEqualTo(Json.tree(BIG_PAID));

    var patched = api.patch(Webhooks.endpointPath(app, id), Map.of("description", "kept"));
    assertThat(patched.body().path("filter")).isEqualTo(Json.tree(BIG_PAID));
    var replaced =
        api.patch(Webhooks.endpointPath(app, id), Map.of("filter", Map.of("eventType", "x")));
    assertThat(replaced.body().path("filter")).isEqualTo(Json.tree("{\"eventType\":\"x\"}"));
    Map<String, Object> clear = new LinkedHashMap<>();
    clear.put("filter", null);
    assertThat(api.patch(Webhooks.endpointPath(app, id), clear).body().path("filter").isNull())
        .isTrue();

    var put =
        api.put(
            Webhooks.endpointPath(app, id),
            Map.of("url", "https://example.com/f", "filter", Json.tree(BIG_PAID)));
    assertThat(put.status()).isEqualTo(200);
    assertThat(hooks.endpoint(app, id).path("filter")).isEqualTo(Json.tree(BIG_PAID));
    // PUT replaces the whole endpoint: a filter left out is removed.
    api.put(Webhooks.endpointPath(app, id), Map.of("url", "https://example.com/f"));
    assertThat(hooks.endpoint(app, id).path("filter").isNull()).isTrue();
  }

  @Test
  void refuses_an_unknown_operator_when_saving_with_the_operator_located() {
    String app = hooks.createApp();
    var r =
        api.post(
            "/api/v1/app/" + app + "/endpoint",
            Map.of(
                "url",
                "https://example.com/f",
                "filter",
                Json.tree("{\"payload\":{\"items\":[{\"sku\":{\"$regex\":\"^A\"}}]}}")));
    assertThat(r.status()).isEqualTo(422);
    JsonNode item = r.body().path("detail").get(0);
    assertThat(Json.MAPPER.convertValue(item.path("loc"), List.class))
        .isEqualTo(List.of("body", "filter", "payload", "items", "0", "sku", "$regex"));
    assertThat(item.path("msg").asText()).contains("unknown operator $regex");
    assertThat(item.path("type").asText()).isEqualTo("value_error.filter");
    assertThat(api.get("/api/v1/app/" + app + "/endpoint").body().path("data").size()).isZero();

    String id = hooks.createEndpoint(app, "https://example.com/g");
    var patch =
        api.patch(
            Webhooks.endpointPath(app, id), Map.of("filter", Json.tree("{\"$or\":{\"a\":1}}")));
    assertThat(patch.status()).isEqualTo(422);
    assertThat(patch.body().path("detail").get(0).path("loc").toString())
        .isEqualTo("[\"body\",\"filter\",\"$or\"]");
    assertThat(
            api.post(
                    "/api/v1/app/" + app + "/endpoint",
                    Map.of("url", "https://example.com/f", "filter", List.of(1)))
                .status())
        .isEqualTo(422);
  }

  @Test
  void the_filter_test_route_answers_whether_a_filter_matches() {
    assertThat(
            test(
                Map.of(
                    "filter",
                    Json.tree("{\"payload\":{\"amount\":{\"$gte\":100}}}"),
                    "payload",
                    Map.of("amount", 150))))
        .isTrue();
    assertThat(
            test(
                Map.of(
                    "filter",
                    Json.tree("{\"payload\":{\"amount\":{\"$gte\":100}}}"),
                    "payload",
                    Map.of("amount", 50))))
        .isFalse();
    assertThat(test(Map.of("filter", Json.tree(BIG_PAID), "payload", Map.of("amount", 150))))
        .isFalse();
    assertThat(
            test(
                Map.of(
                    "filter",
                    Json.tree(BIG_PAID),
                    "payload",
                    Map.of("amount", 150),
                    "eventType",
                    "invoice.paid")))
        .isTrue();
    assertThat(
            test(
                Map.of(
                    "filter",
                    Json.tree(
                        "{\"headers\":{\"x-tenant\":\"a\"},\"metadata\":{\"tier\":\"gold\"}}"),
                    "payload",
                    Map.of(),
                    "headers",
                    Map.of("x-tenant", "a"),
                    "metadata",
                    Map.of("tier", "gold"))))
        .isTrue();
    assertThat(
            test(
                Map.of(
                    "filter",
                    Json.tree("{\"headers\":{\"x-tenant\":\"a\"}}"),
                    "payload",
                    Map.of())))
        .isFalse();

    var bad =
        api.post(
            "/api/v1/filter/test",
            Map.of("filter", Json.tree("{\"a\":{\"$like\":1}}"), "payload", Map.of()));
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.body().path("detail").get(0).path("loc").toString())
        .isEqualTo("[\"body\",\"filter\",\"a\",\"$like\"]");
    var missing = api.post("/api/v1/filter/test", Map.of("payload", Map.of()));
    assertThat(missing.status()).isEqualTo(422);
    assertThat(missing.body().path("detail").get(0).path("loc").toString())
        .isEqualTo("[\"body\",\"filter\"]");
    assertThat(
            new Api(server.baseUrl(), "not-a-key")
                .post("/api/v1/filter/test", Map.of("filter", Map.of(), "payload", Map.of()))
                .status())
        .isEqualTo(401);
  }

  @Test
  void a_message_reaches_only_the_endpoints_whose_content_filters_match() {
    Receiver rx = receiver();
    String app = hooks.createApp();
    String type = hooks.createEventType("invoice.paid");
    String all = hooks.createEndpoint(app, rx.url("/all"));
    String big =
        id(
            hooks.createEndpoint(
                app,
                rx.url("/big"),
                Map.of("filter", Json.tree("{\"payload\":{\"amount\":{\"$gte\":100}}}"))));
    String gold =
        id(
            hooks.createEndpoint(
                app,
                rx.url("/gold"),
                Map.of(
                    "metadata",
                    Map.of("tier", "gold"),
                    "filter",
                    Json.tree(
                        "{\"metadata\":{\"tier\":\"gold\"},\"payload\":{\"tags\":\"vip\"}}"))));
    String eu =
        id(
            hooks.createEndpoint(
                app,
                rx.url("/eu"),
                Map.of(
                    "filter", Json.tree("{\"payload\":{\"country\":{\"$in\":[\"FR\",\"DE\"]}}}"))));
    String noCurrency =
        id(
            hooks.createEndpoint(
                app,
                rx.url("/no-currency"),
                Map.of("filter", Json.tree("{\"payload\":{\"currency\":{\"$exist\":false}}}"))));

    String small = send(app, type, Map.of("amount", 5, "country", "FR", "tags", List.of("vip")));
    String large = send(app, type, Map.of("amount", 500, "country", "US", "currency", "usd"));

    assertThat(hooks.destinations(app, small)).containsExactlyInAnyOrder(all, gold, eu, noCurrency);
    assertThat(hooks.destinations(app, large)).containsExactlyInAnyOrder(all, big);
    List<Receiver.Request> got = rx.awaitRequests(6, Eventually.DEFAULT_TIMEOUT);
    assertThat(got)
        .extracting(r -> r.path() + " " + r.webhookId())
        .containsExactlyInAnyOrder(
            "/all " + small,
            "/gold " + small,
            "/eu " + small,
            "/no-currency " + small,
            "/all " + large,
            "/big " + large);
  }

  @Test
  void a_changed_filter_applies_to_the_next_message() {
    String app = hooks.createApp();
    String type = hooks.createEventType("order.created");
    String id =
        id(
            hooks.createEndpoint(
                app,
                "https://example.com/o",
                Map.of("filter", Json.tree("{\"payload\":{\"total\":{\"$gt\":10}}}"))));
    assertThat(hooks.destinations(app, send(app, type, Map.of("total", 5)))).isEmpty();
    api.patch(
        Webhooks.endpointPath(app, id),
        Map.of("filter", Json.tree("{\"payload\":{\"total\":{\"$lt\":10}}}")));
    assertThat(hooks.destinations(app, send(app, type, Map.of("total", 5)))).containsExactly(id);
  }

  @Test
  void operational_endpoints_apply_their_content_filter_too() {
    Api org = newOrg();
    Receiver rx = receiver();
    var ops =
        org.post(
            "/api/v1/operational-webhook/endpoint",
            Map.of(
                "url",
                rx.url("/ops"),
                "filter",
                Json.tree("{\"payload\":{\"data\":{\"appUid\":\"shop-b\"}}}")));
    assertThat(ops.status()).as(ops.toString()).isEqualTo(201);
    Webhooks orgHooks = new Webhooks(org);
    String a = org.post("/api/v1/app", Map.of("name", "A", "uid", "shop-a")).field("id");
    String b = org.post("/api/v1/app", Map.of("name", "B", "uid", "shop-b")).field("id");
    orgHooks.createEndpoint(a, "https://example.com/a");
    String wanted = orgHooks.createEndpoint(b, "https://example.com/b");

    // The operational events are written with the endpoint changes: one delivery, for shop-b's.
    long rows =
        server
            .herald()
            .database()
            .read(
                sql ->
                    sql.queryLong(
                        "SELECT COUNT(*) FROM delivery WHERE endpoint_id = ?", ops.field("id")));
    assertThat(rows).isEqualTo(1);
    Receiver.Request got = rx.awaitRequests(1, Eventually.DEFAULT_TIMEOUT).get(0);
    assertThat(Json.tree(got.bodyText()).path("data").path("endpointId").asText())
        .isEqualTo(wanted);
  }

  private boolean test(Map<String, Object> body) {
    var r = api.post("/api/v1/filter/test", body);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.body().path("matched").booleanValue();
  }

  private String send(String app, String type, Map<String, Object> payload) {
    return hooks.send(app, Map.of("eventType", type, "payload", payload));
  }

  private static String id(JsonNode endpoint) {
    return endpoint.path("id").asText();
  }
}
