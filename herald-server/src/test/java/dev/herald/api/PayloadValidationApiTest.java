package dev.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.json.Json;
import dev.herald.testing.Api;
import dev.herald.testing.ApiContractTest;
import dev.herald.testing.Receiver;
import dev.herald.testing.Webhooks;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Event-type schemas enforced (issue 13 point 4), here where an event type opts in with {@code
 * validatePayloads}; {@link ValidateAllPayloadsApiTest} runs with {@code
 * HERALD_VALIDATE_PAYLOADS=true}.
 */
class PayloadValidationApiTest extends ApiContractTest {
  static final String INVOICE_SCHEMA =
      "{\"1\":{\"type\":\"object\",\"required\":[\"amount\"],"
          + "\"properties\":{\"amount\":{\"type\":\"integer\",\"minimum\":0},"
          + "\"lines\":{\"type\":\"array\",\"items\":{\"required\":[\"sku\"]}}}}}";

  Webhooks hooks;

  /** Whether the server validates every event type with a schema, opted in or not. */
  boolean validatesAll() {
    return false;
  }

  @Override
  protected Map<String, String> settings() {
    return Map.of("HERALD_SSRF_ALLOW", "127.0.0.0/8", "HERALD_POLL_INTERVAL", "50ms");
  }

  @BeforeEach
  void client() {
    hooks = new Webhooks(api);
  }

  String eventType(boolean validate) {
    String name = "invoice.v" + UUID.randomUUID().toString().substring(0, 8);
    var r =
        api.post(
            "/api/v1/event-type",
            Map.of(
                "name",
                name,
                "description",
                "d",
                "schemas",
                Json.tree(INVOICE_SCHEMA),
                "validatePayloads",
                validate));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    assertThat(r.body().path("validatePayloads").booleanValue()).isEqualTo(validate);
    return name;
  }

  Api.Response send(String app, String type, Object payload) {
    return api.post("/api/v1/app/" + app + "/msg", Map.of("eventType", type, "payload", payload));
  }

  @Test
  void refuses_a_payload_that_breaks_the_schema_naming_path_and_rule_and_stores_nothing() {
    Receiver rx = receiver();
    String app = hooks.createApp();
    hooks.createEndpoint(app, rx.url("/x"));
    String type = eventType(true);

    var wrongType = send(app, type, Map.of("amount", "12"));
    assertThat(wrongType.status()).isEqualTo(422);
    JsonNode item = wrongType.body().path("detail").get(0);
    assertThat(item.path("loc").toString()).isEqualTo("[\"body\",\"payload\",\"amount\"]");
    assertThat(item.path("msg").asText())
        .contains("integer expected")
        .contains("rule \"type\"")
        .contains("#/properties/amount/type");
    assertThat(item.path("type").asText()).isEqualTo("value_error.schema.type");

    var nested =
        send(
            app, type, Map.of("amount", 1, "lines", List.of(Map.of("sku", "a"), Map.of("qty", 2))));
    assertThat(nested.status()).isEqualTo(422);
    assertThat(nested.body().path("detail").get(0).path("loc").toString())
        .isEqualTo("[\"body\",\"payload\",\"lines\",\"1\"]");
    assertThat(nested.body().path("detail").get(0).path("msg").asText()).contains("sku");

    var missing = send(app, type, Map.of());
    assertThat(missing.status()).isEqualTo(422);
    assertThat(missing.body().path("detail").get(0).path("type").asText())
        .isEqualTo("value_error.schema.required");

    assertThat(api.get("/api/v1/app/" + app + "/msg").body().path("data").size()).isZero();
    assertThat(send(app, type, Map.of("amount", 12, "lines", List.of(Map.of("sku", "a")))).status())
        .isEqualTo(202);
    assertThat(api.get("/api/v1/app/" + app + "/msg").body().path("data").size()).isEqualTo(1);
    rx.awaitRequests(1, dev.herald.testing.Eventually.DEFAULT_TIMEOUT);
    assertThat(rx.count()).isEqualTo(1);
  }

  @Test
  void an_event_type_that_does_not_opt_in_is_not_validated() {
    String app = hooks.createApp();
    assertThat(send(app, eventType(false), Map.of("amount", "not a number")).status())
        .isEqualTo(202);
    assertThat(send(app, "no.such.type", Map.of("amount", "x")).status()).isEqualTo(202);
  }

  @Test
  void a_changed_schema_or_flag_applies_to_the_next_message() {
    String app = hooks.createApp();
    String type = eventType(true);
    assertThat(send(app, type, Map.of("amount", -1)).status()).isEqualTo(422);
    var patch =
        api.patch(
            "/api/v1/event-type/" + type,
            Map.of(
                "schemas",
                Json.tree("{\"1\":{\"properties\":{\"amount\":{\"type\":\"integer\"}}}}")));
    assertThat(patch.status()).isEqualTo(200);
    assertThat(send(app, type, Map.of("amount", -1)).status()).isEqualTo(202);
    assertThat(send(app, type, Map.of("amount", 1.5)).status()).isEqualTo(422);
    api.patch("/api/v1/event-type/" + type, Map.of("validatePayloads", false));
    assertThat(send(app, type, Map.of("amount", 1.5)).status())
        .isEqualTo(validatesAll() ? 422 : 202);
  }

  @Test
  void an_event_type_asking_for_validation_must_have_schemas_that_compile_and_none_is_fetched() {
    Receiver rx = receiver();
    String name = "remote.ref" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, Object> body =
        new LinkedHashMap<>(
            Map.of(
                "name",
                name,
                "description",
                "d",
                "validatePayloads",
                true,
                "schemas",
                Json.tree(
                    "{\"1\":{\"properties\":{\"a\":{\"$ref\":\""
                        + rx.url("/schema.json")
                        + "\"}}}}")));
    var r = api.post("/api/v1/event-type", body);
    assertThat(r.status()).isEqualTo(422);
    assertThat(r.body().path("detail").get(0).path("loc").toString())
        .isEqualTo("[\"body\",\"schemas\",\"1\"]");
    assertThat(rx.count()).isZero();
    assertThat(api.get("/api/v1/event-type/" + name).status()).isEqualTo(404);
    // Without validation the schema is only documentation, stored as given (as Svix does).
    body.put("validatePayloads", false);
    assertThat(api.post("/api/v1/event-type", body).status()).isEqualTo(201);
  }

  @Test
  void a_message_with_an_idempotency_key_refused_by_the_schema_leaves_the_key_free() {
    String app = hooks.createApp();
    String type = eventType(true);
    Map<String, String> key = Map.of("idempotency-key", "k-" + UUID.randomUUID());
    String path = "/api/v1/app/" + app + "/msg";
    assertThat(
            api.post(path, Map.of("eventType", type, "payload", Map.of("amount", "x")), key)
                .status())
        .isEqualTo(422);
    assertThat(
            api.post(path, Map.of("eventType", type, "payload", Map.of("amount", 3)), key).status())
        .isEqualTo(202);
  }
}
