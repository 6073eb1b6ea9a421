package dev.herald.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.json.Json;
import dev.herald.testing.Api;
import dev.herald.testing.ApiContractTest;
import dev.herald.testing.Receiver;
import dev.herald.testing.Webhooks;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Endpoint transformations (issue 13 point 1): Svix's routes, Svix's documented examples run
 * unchanged through {@code simulate} and through real deliveries, and hostile scripts stopped
 * within their budget while other endpoints keep delivering.
 *
 * <p>{@link #SVIX_CUSTOM_URL} is the example of Svix's transformation guide,
 * https://docs.svix.com/transformations ("An example Transformation": send to a URL carried in the
 * payload), preceded by a JSDoc comment on the webhook's fields; {@link #SVIX_CANCEL} uses the
 * {@code cancel} property that page documents ("whether or not to cancel the dispatch of a
 * webhook").
 */
class TransformationApiTest extends ApiContractTest {

  /** Svix's documented example, verbatim: send to a custom URL when the payload carries one. */
  static final String SVIX_CUSTOM_URL =
      """
      /**
       * @param webhook the webhook object
       * @param webhook.method destination method. Allowed values: "POST", "PUT"
       * @param webhook.url current destination address
       * @param webhook.eventType current webhook Event Type
       * @param webhook.payload JSON payload
       * @param webhook.cancel whether to cancel dispatch of the given webhook
       */
      function handler(webhook) {
        if (webhook.payload.customUrl) {
          webhook.url = webhook.payload.customUrl;
        }
        return webhook;
      }
      """;

  /** Svix's documented {@code cancel} property: do not send webhooks of one event type. */
  static final String SVIX_CANCEL =
      """
      function handler(webhook) {
        if (webhook.eventType === "invoice.draft") {
          webhook.cancel = true;
        }
        return webhook;
      }
      """;

  /** Reshapes the payload for a chat receiver, chooses the method and adds a header. */
  static final String RESHAPE =
      """
      function handler(webhook) {
        console.log("reshaping", webhook.eventType);
        webhook.method = "PUT";
        webhook.payload = {text: webhook.eventType + ": " + webhook.payload.amount};
        webhook.headers = {"x-chat": "yes", "webhook-signature": "forged", "Host": "evil"};
        return webhook;
      }
      """;

  private Webhooks hooks;

  @Override
  protected Map<String, String> settings() {
    // Retries soon, then gives up: a failed script is retried like any failure.
    return Map.of(
        "HERALD_SSRF_ALLOW", "127.0.0.0/8",
        "HERALD_POLL_INTERVAL", "50ms",
        "HERALD_RETRY_SCHEDULE", "1s,2s,2s");
  }

  @BeforeEach
  void client() {
    hooks = new Webhooks(api);
  }

  private static String path(String app, String endpoint) {
    return Webhooks.endpointPath(app, endpoint) + "/transformation";
  }

  private Api.Response simulate(String app, String endpoint, String code, Object payload) {
    return api.post(
        path(app, endpoint) + "/simulate",
        Map.of("code", code, "eventType", "invoice.paid", "payload", payload));
  }

  private void enable(String app, String endpoint, String code) {
    var r = api.patch(path(app, endpoint), Map.of("code", code, "enabled", true));
    assertThat(r.status()).as("%s", r).isEqualTo(204);
  }

  @Test
  void an_endpoint_has_no_transformation_until_one_is_patched_and_keeps_what_was_patched() {
    String app = hooks.createApp();
    String ep = hooks.createEndpoint(app, "https://example.com/t");
    JsonNode none = api.get(path(app, ep)).body();
    assertThat(none.path("code").isNull()).isTrue();
    assertThat(none.path("enabled").asBoolean()).isFalse();
    assertThat(none.has("updatedAt")).isTrue();

    enable(app, ep, SVIX_CUSTOM_URL);
    JsonNode saved = api.get(path(app, ep)).body();
    assertThat(saved.path("code").asText()).isEqualTo(SVIX_CUSTOM_URL);
    assertThat(saved.path("enabled").asBoolean()).isTrue();

    assertThat(api.patch(path(app, ep), Map.of("enabled", false)).status()).isEqualTo(204);
    JsonNode disabled = api.get(path(app, ep)).body();
    assertThat(disabled.path("code").asText()).isEqualTo(SVIX_CUSTOM_URL);
    assertThat(disabled.path("enabled").asBoolean()).isFalse();

    Map<String, Object> remove = new LinkedHashMap<>();
    remove.put("code", null);
    assertThat(api.patch(path(app, ep), remove).status()).isEqualTo(204);
    assertThat(api.get(path(app, ep)).body().path("code").isNull()).isTrue();
    assertThat(api.get(path(app, "ep_missing")).status()).isEqualTo(404);
  }

  @Test
  void the_svix_sdk_reads_and_patches_a_transformation() throws Exception {
    String app = hooks.createApp();
    String ep = hooks.createEndpoint(app, "https://example.com/sdk");
    com.svix.SvixOptions options = new com.svix.SvixOptions();
    options.setServerUrl(server.baseUrl());
    var endpoints = new com.svix.Svix(server.adminKey(), options).getEndpoint();
    endpoints.patchTransformation(
        app,
        ep,
        new com.svix.models.EndpointTransformationPatch().code(SVIX_CUSTOM_URL).enabled(true));
    var out = endpoints.transformationGet(app, ep);
    assertThat(out.getCode()).isEqualTo(SVIX_CUSTOM_URL);
    assertThat(out.getEnabled()).isTrue();
    assertThat(out.getUpdatedAt()).isNotNull();
    endpoints.transformationPartialUpdate(
        app, ep, new com.svix.models.EndpointTransformationIn().code(SVIX_CANCEL).enabled(false));
    var updated = endpoints.transformationGet(app, ep);
    assertThat(updated.getCode()).isEqualTo(SVIX_CANCEL);
    assertThat(updated.getEnabled()).isFalse();
  }

  @Test
  void portal_tokens_need_manage_transformations_even_to_read_the_code() {
    String app = hooks.createApp();
    String ep = hooks.createEndpoint(app, "https://example.com/portal");
    enable(app, ep, SVIX_CUSTOM_URL);
    Api viewer = portal(app, "ViewBase", "ManageEndpoint");
    assertThat(viewer.get(path(app, ep)).status()).isEqualTo(403);
    assertThat(viewer.patch(path(app, ep), Map.of("enabled", false)).status()).isEqualTo(403);
    Api manager = portal(app, "ViewBase", "ManageTransformations");
    assertThat(manager.get(path(app, ep)).body().path("code").asText()).isEqualTo(SVIX_CUSTOM_URL);
    assertThat(manager.patch(path(app, ep), Map.of("enabled", false)).status()).isEqualTo(204);
  }

  private Api portal(String app, String... capabilities) {
    var r =
        api.post(
            "/api/v1/auth/app-portal-access/" + app, Map.of("capabilities", List.of(capabilities)));
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return server.api(r.field("token"));
  }

  @Test
  void refuses_code_outside_svix_bounds_and_a_non_boolean_enabled() {
    String app = hooks.createApp();
    String ep = hooks.createEndpoint(app, "https://example.com/t");
    var tooShort = api.patch(path(app, ep), Map.of("code", "f()"));
    assertThat(tooShort.status()).isEqualTo(422);
    assertThat(tooShort.body().path("detail").get(0).path("loc").toString())
        .isEqualTo("[\"body\",\"code\"]");
    var tooLong = api.patch(path(app, ep), Map.of("code", "x".repeat(51_201)));
    assertThat(tooLong.status()).isEqualTo(422);
    assertThat(api.patch(path(app, ep), Map.of("enabled", "yes")).status()).isEqualTo(422);
    var noPayload =
        api.post(path(app, ep) + "/simulate", Map.of("code", SVIX_CANCEL, "eventType", "a"));
    assertThat(noPayload.status()).isEqualTo(422);
  }

  @Test
  void svix_documented_examples_run_unchanged_through_simulate() {
    String app = hooks.createApp();
    String ep = hooks.createEndpoint(app, "https://example.com/hooks");

    JsonNode kept = simulate(app, ep, SVIX_CUSTOM_URL, Map.of("amount", 5)).body();
    assertThat(kept.path("url").asText()).isEqualTo("https://example.com/hooks");
    assertThat(kept.path("method").asText()).isEqualTo("POST");
    assertThat(Json.tree(kept.path("payload").asText())).isEqualTo(Json.tree("{\"amount\":5}"));
    assertThat(kept.path("cancel").asBoolean()).isFalse();

    var redirected =
        simulate(app, ep, SVIX_CUSTOM_URL, Map.of("customUrl", "https://other.example/x"));
    assertThat(redirected.status()).as("%s", redirected).isEqualTo(200);
    assertThat(redirected.body().path("url").asText()).isEqualTo("https://other.example/x");

    var cancelled =
        api.post(
            path(app, ep) + "/simulate",
            Map.of("code", SVIX_CANCEL, "eventType", "invoice.draft", "payload", Map.of()));
    assertThat(cancelled.body().path("cancel").asBoolean()).isTrue();

    JsonNode reshaped = simulate(app, ep, RESHAPE, Map.of("amount", 7)).body();
    assertThat(reshaped.path("method").asText()).isEqualTo("PUT");
    assertThat(reshaped.path("payload").asText()).isEqualTo("{\"text\":\"invoice.paid: 7\"}");
    assertThat(reshaped.path("headers").toString()).isEqualTo("{\"x-chat\":\"yes\"}");
    assertThat(reshaped.path("logs").asText())
        .startsWith("reshaping invoice.paid\n")
        .contains("header webhook-signature ignored", "header Host ignored");
  }

  @Test
  void simulate_reports_a_script_error_with_its_reason_and_line() {
    String app = hooks.createApp();
    String ep = hooks.createEndpoint(app, "https://example.com/t");
    var thrown =
        simulate(app, ep, "function handler(w) {\n  return w.payload.missing.deeper;\n}", Map.of());
    assertThat(thrown.status()).isEqualTo(422);
    assertThat(thrown.body().path("detail").get(0).path("msg").asText())
        .contains("TypeError", "(line 2)");
    var noHandler = simulate(app, ep, "const x = 1; // nothing", Map.of());
    assertThat(noHandler.body().path("detail").get(0).path("msg").asText())
        .contains("function named handler");
    var badMethod =
        simulate(app, ep, "function handler(w) { w.method = 'DELETE'; return w }", Map.of());
    assertThat(badMethod.body().path("detail").get(0).path("msg").asText())
        .contains("webhook.method must be");
  }

  @Test
  void hostile_scripts_are_stopped_within_their_budget_and_reported() {
    String app = hooks.createApp();
    String ep = hooks.createEndpoint(app, "https://example.com/t");
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("function handler(w) { for (;;) {} }", "stopped:");
    expected.put("function handler(w) { while (true) { w.n = (w.n || 0) + 1 } }", "stopped:");
    expected.put(
        "function handler(w) { function f(n) { return f(n + 1) + 1 } return f(0) }",
        "RangeError: Maximum call stack size exceeded");
    // Doubling a string ends at GraalJS's string length limit (RangeError) or at the watchdog's
    // time or allocation budget, whichever comes first on the machine: any of them is a stop.
    expected.put(
        "function handler(w) { let s = 'x'; for (;;) { s = s + s; s.charCodeAt(3) } }", "");
    expected.put(
        "function handler(w) { const a = []; for (;;) a.push(new Array(100000).fill(1)) }",
        "stopped:");
    expected.put(
        "function handler(w) { return Java.type('java.lang.System').exit(1) }",
        "ReferenceError: Java is not defined");
    expected.put(
        "function handler(w) { return Polyglot.eval('js', '1') }",
        "ReferenceError: Polyglot is not defined");
    expected.put("function handler(w) { return eval('w') }", "EvalError");
    expected.put("function handler(w) { return new Function('return this')() }", "EvalError");
    expected.put(
        "function handler(w) { return [].constructor.constructor('return 1')() }", "EvalError");
    expected.put("function handler(w) { load('/etc/passwd'); return w }", "ReferenceError");
    expected.put("function handler(w) { return Graal.versionJS }", "ReferenceError");
    expected.put(
        "function handler(w) { return require('fs').readFileSync('/etc/passwd') }",
        "ReferenceError");
    for (var e : expected.entrySet()) {
      long started = System.nanoTime();
      var r = simulate(app, ep, e.getKey(), Map.of("a", 1));
      long millis = (System.nanoTime() - started) / 1_000_000;
      assertThat(r.status()).as("%s -> %s", e.getKey(), r).isEqualTo(422);
      String msg = r.body().path("detail").get(0).path("msg").asText();
      assertThat(msg).as(e.getKey()).startsWith("the transformation failed: ");
      // The error names the refusal; on a stalled machine a cold path may reach the time budget
      // first, which is still a refusal (had host access or eval worked, the call would have
      // succeeded or returned something else).
      if (!msg.contains("stopped: ran past its time budget")) {
        assertThat(msg).as(e.getKey()).contains(e.getValue());
      }
      // A call is answered within its budget (250 ms) plus the grace after which a script that
      // ignores cancellation is written off (2 s); the rest is one HTTP call and a fresh context
      // on a busy two-core machine.
      assertThat(millis).as("%s took %d ms", e.getKey(), millis).isLessThan(4_000);
    }
    // The node still runs scripts after all that.
    assertThat(simulate(app, ep, SVIX_CUSTOM_URL, Map.of()).status()).isEqualTo(200);
  }

  /**
   * One built-in call making a huge value at once is refused before it runs: the watchdog cannot
   * stop a native call midway, and these ran until the JVM ran out of memory (or for seconds,
   * writing off their thread).
   */
  @Test
  void single_calls_that_would_make_a_huge_value_are_refused_before_they_allocate() {
    String app = hooks.createApp();
    String ep = hooks.createEndpoint(app, "https://example.com/t");
    List<String> scripts =
        List.of(
            "function handler(w) { w.payload = 'y'.repeat(1e9); return w }",
            "function handler(w) { w.n = new Uint8Array(2e9); return w }",
            "function handler(w) { w.n = new ArrayBuffer(4e9); return w }",
            "function handler(w) { w.n = new Array(1e9).fill(0); return w }",
            "function handler(w) { w.s = new Array(1e9).join('ab'); return w }",
            "function handler(w) { w.s = ''.padEnd(1e9, 'x'); return w }",
            // The checks cannot be taken off: neither writable nor configurable.
            "function handler(w) { delete String.prototype.repeat; String.prototype.repeat = null;"
                + " w.payload = 'y'.repeat(1e9); return w }");
    for (String script : scripts) {
      var r = simulate(app, ep, script, Map.of("a", 1));
      assertThat(r.status()).as("%s -> %s", script, r).isEqualTo(422);
      assertThat(r.body().path("detail").get(0).path("msg").asText())
          .as(script)
          .contains("RangeError", "over the transformation limit");
    }
    // Ordinary uses of the same built-ins still work.
    var fine =
        simulate(
            app,
            ep,
            "function handler(w) { w.payload = {s: 'ab'.repeat(3), b: new Uint8Array(4).length,"
                + " j: [1, 2].join('-'), p: '7'.padStart(3, '0'), f: new Array(2).fill(1),"
                + " a: Array.from('xy')}; return w }",
            Map.of());
    assertThat(fine.status()).as("%s", fine).isEqualTo(200);
    assertThat(fine.body().path("payload").asText())
        .isEqualTo(
            "{\"s\":\"ababab\",\"b\":4,\"j\":\"1-2\",\"p\":\"007\",\"f\":[1,1],\"a\":[\"x\",\"y\"]}");
  }

  @Test
  void svix_examples_deliver_through_a_real_receiver_signed_over_the_transformed_payload() {
    Receiver endpointReceiver = receiver();
    Receiver custom = receiver();
    String app = hooks.createApp();
    String redirect = hooks.createEndpoint(app, endpointReceiver.url("/endpoint"));
    enable(app, redirect, SVIX_CUSTOM_URL);
    String msg =
        hooks.send(
            app,
            Map.of(
                "eventType",
                "invoice.paid",
                "payload",
                Map.of("customUrl", custom.url("/custom"), "amount", 3)));
    Receiver.Request r = custom.awaitRequests(1, Duration.ofSeconds(20)).get(0);
    assertThat(r.path()).isEqualTo("/custom");
    assertThat(endpointReceiver.count()).isZero();
    String secret = hooks.secret(app, redirect);
    assertThatCode(() -> new com.standardwebhooks.Webhook(secret).verify(r.bodyText(), r.headers()))
        .doesNotThrowAnyException();
    hooks.awaitDeliveryStatus(app, redirect, msg, 0);
    assertThat(hooks.attemptsOfMessage(app, msg).get(0).path("url").asText())
        .isEqualTo(custom.url("/custom"));

    Receiver chat = receiver();
    String reshaped = hooks.createEndpoint(app, chat.url("/chat"));
    enable(app, reshaped, RESHAPE);
    hooks.send(app, Map.of("eventType", "invoice.paid", "payload", Map.of("amount", 9)));
    Receiver.Request c = chat.awaitRequests(1, Duration.ofSeconds(20)).get(0);
    assertThat(c.method()).isEqualTo("PUT");
    assertThat(c.bodyText()).isEqualTo("{\"text\":\"invoice.paid: 9\"}");
    assertThat(c.header("x-chat")).isEqualTo("yes");
    assertThat(c.header("host")).startsWith("127.0.0.1");
    String chatSecret = hooks.secret(app, reshaped);
    assertThatCode(
            () -> new com.standardwebhooks.Webhook(chatSecret).verify(c.bodyText(), c.headers()))
        .doesNotThrowAnyException();
  }

  @Test
  void the_script_does_not_see_the_endpoint_headers_but_its_own_are_sent_on_top_of_them() {
    Receiver receiver = receiver();
    String app = hooks.createApp();
    String ep =
        hooks
            .createEndpoint(
                app,
                receiver.url(),
                Map.of("headers", Map.of("Authorization", "Bearer s3cr3t", "X-Tenant", "acme")))
            .path("id")
            .asText();
    String code =
        "function handler(w) { w.payload = {seen: w.headers}; w.headers = {'X-Tenant': 'beta'};"
            + " return w }";
    JsonNode simulated = simulate(app, ep, code, Map.of()).body();
    assertThat(simulated.path("payload").asText()).isEqualTo("{\"seen\":{}}");
    enable(app, ep, code);
    String msg = hooks.send(app, "a.b");
    Receiver.Request r = receiver.awaitRequestsFor(msg, 1, Duration.ofSeconds(20)).get(0);
    assertThat(r.bodyText()).isEqualTo("{\"seen\":{}}");
    assertThat(r.header("authorization")).isEqualTo("Bearer s3cr3t");
    assertThat(r.headers().get("x-tenant")).containsExactly("beta");
  }

  @Test
  void a_cancelled_webhook_is_a_successful_delivery_that_sends_nothing() {
    Receiver receiver = receiver();
    String app = hooks.createApp();
    String ep = hooks.createEndpoint(app, receiver.url());
    enable(app, ep, SVIX_CANCEL);
    String draft = hooks.send(app, "invoice.draft");
    String paid = hooks.send(app, "invoice.paid");
    receiver.awaitRequestsFor(paid, 1, Duration.ofSeconds(20));
    hooks.awaitDeliveryStatus(app, ep, draft, 0);
    assertThat(receiver.requestsFor(draft)).isEmpty();
    JsonNode attempt = hooks.attemptsOfMessage(app, draft).get(0);
    assertThat(attempt.path("responseStatusCode").asInt()).isZero();
    assertThat(attempt.path("response").asText()).contains("cancelled");
  }

  @Test
  void
      a_stopped_script_fails_its_attempt_with_the_reason_while_another_endpoint_keeps_delivering() {
    Receiver healthy = receiver();
    Receiver victim = receiver();
    String app = hooks.createApp();
    String good = hooks.createEndpoint(app, healthy.url());
    String bad = hooks.createEndpoint(app, victim.url());
    enable(app, bad, "function handler(w) { for (;;) {} }");
    List<String> sent = List.of(hooks.send(app, "a.b"), hooks.send(app, "a.b"));
    healthy.awaitRequests(2, Duration.ofSeconds(20));
    JsonNode attempt =
        hooks.awaitAttempts(app, sent.get(0), 2).stream()
            .filter(a -> a.path("endpointId").asText().equals(bad))
            .findFirst()
            .orElseThrow();
    assertThat(attempt.path("status").asInt()).isEqualTo(2);
    assertThat(attempt.path("response").asText()).contains("transformation failed: stopped: ");
    assertThat(victim.count()).isZero();
    assertThat(hooks.deliveryAt(app, good, sent.get(1)).path("status").asInt()).isZero();
  }

  @Test
  void a_failed_script_is_retried_and_delivers_once_the_code_is_fixed() {
    Receiver receiver = receiver();
    String app = hooks.createApp();
    String ep = hooks.createEndpoint(app, receiver.url());
    enable(app, ep, "function handler(w) { throw new Error('not ready: ' + w.eventType) }");
    String msg = hooks.send(app, "a.b");
    JsonNode first = hooks.awaitAttempts(app, msg, 1).get(0);
    assertThat(first.path("response").asText())
        .startsWith("not sent: transformation failed: Error: not ready: a.b");
    enable(app, ep, "function handler(w) { w.payload = {fixed: true}; return w }");
    Receiver.Request r = receiver.awaitRequestsFor(msg, 1, Duration.ofSeconds(20)).get(0);
    assertThat(r.bodyText()).isEqualTo("{\"fixed\":true}");
    hooks.awaitDeliveryStatus(app, ep, msg, 0);
  }

  @Test
  void a_url_rewritten_to_an_internal_address_is_refused_by_the_ssrf_guard() {
    String app = hooks.createApp();
    String ep = hooks.createEndpoint(app, "http://127.0.0.1:9/never");
    enable(
        app,
        ep,
        "function handler(w) { w.url = 'http://169.254.169.254/latest/meta-data'; return w }");
    String msg = hooks.send(app, "a.b");
    JsonNode attempt = hooks.awaitAttempts(app, msg, 1).get(0);
    assertThat(attempt.path("url").asText()).isEqualTo("http://169.254.169.254/latest/meta-data");
    assertThat(attempt.path("response").asText()).contains("blocked by the SSRF guard");
  }
}
