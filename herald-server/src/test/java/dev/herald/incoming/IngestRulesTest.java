package dev.herald.incoming;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.incoming.verify.Challenge;
import dev.herald.incoming.verify.InboundRequest;
import dev.herald.incoming.verify.Preset;
import dev.herald.incoming.verify.Verdict;
import dev.herald.incoming.verify.VerifierConfig;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * What a verified request yields, as pure functions: event types from templates, de-duplication
 * keys, payload mapping, redaction, challenges, and the per-source rate limit (readings passed in,
 * nothing waits).
 */
class IngestRulesTest {

  static InboundRequest request(Map<String, String> headers, String body, String query) {
    Map<String, List<String>> multi = new LinkedHashMap<>();
    headers.forEach((k, v) -> multi.put(k, List.of(v)));
    return new InboundRequest(
        "POST", query, multi, body.getBytes(StandardCharsets.UTF_8), Instant.EPOCH);
  }

  static VerifierConfig none() {
    return new VerifierConfig(Preset.NONE, List.of(), null, null, null, null, null, null);
  }

  static Source source(VerifierConfig v, EventTypeRule type, DedupeRule dedupe) {
    Instant t = Instant.EPOCH;
    return new Source(
        "src_x",
        "org",
        "app",
        null,
        "n",
        false,
        v,
        type,
        dedupe,
        SuccessResponse.DEFAULT,
        401,
        null,
        "src_x",
        null,
        null,
        t,
        t);
  }

  @Test
  void a_template_reads_headers_json_pointers_forms_and_queries_and_leaves_missing_parts_out() {
    InboundRequest r =
        request(
            Map.of("X-Event", "issues", "Content-Type", "application/json"),
            "{\"action\":\"opened\",\"a/b\":{\"m~n\":\"deep\"}}",
            "kind=q");
    assertThat(
            new EventTypeRule("{header:x-event}.{json:/action}", null, null)
                .eventTypeOf(r, Preset.NONE))
        .isEqualTo("issues.opened");
    assertThat(new EventTypeRule("{json:/a~1b/m~0n}", "p.", null).eventTypeOf(r, Preset.NONE))
        .isEqualTo("p.deep");
    assertThat(
            new EventTypeRule("{query:kind}.{json:/missing}", null, null)
                .eventTypeOf(r, Preset.NONE))
        .isEqualTo("q");
    assertThat(new EventTypeRule("fixed.type", null, null).eventTypeOf(r, Preset.NONE))
        .isEqualTo("fixed.type");
    assertThat(
            new EventTypeRule("{json:/nope|header:X-Event}", null, null)
                .eventTypeOf(r, Preset.NONE))
        .isEqualTo("issues");
  }

  @Test
  void a_template_that_finds_nothing_gives_the_fallback_or_prefix_unknown() {
    InboundRequest r = request(Map.of(), "not json", null);
    assertThat(new EventTypeRule("{json:/type}", "gh.", "gh.other").eventTypeOf(r, Preset.NONE))
        .isEqualTo("gh.other");
    assertThat(new EventTypeRule("{json:/type}", "gh.", null).eventTypeOf(r, Preset.NONE))
        .isEqualTo("gh.unknown");
  }

  @Test
  void characters_an_event_type_may_not_hold_become_dots() {
    InboundRequest r = request(Map.of("X-Shopify-Topic", "orders/create"), "{}", null);
    assertThat(EventTypeRule.DEFAULT.eventTypeOf(r, Preset.SHOPIFY)).isEqualTo("orders.create");
    InboundRequest gitlab = request(Map.of("X-Gitlab-Event", "Push Hook"), "x", null);
    assertThat(EventTypeRule.DEFAULT.eventTypeOf(gitlab, Preset.GITLAB)).isEqualTo("Push.Hook");
  }

  @Test
  void broken_templates_and_expressions_are_named() {
    assertThat(EventTypeRule.problem("{json:action}")).contains("JSON pointer");
    assertThat(EventTypeRule.problem("{header:}")).contains("names no header");
    assertThat(EventTypeRule.problem("{a{b}}")).contains("braces");
    assertThat(EventTypeRule.problem("{json:/a")).contains("not closed");
    assertThat(EventTypeRule.problem("{header:X}.{json:/a/0}")).isNull();
  }

  @Test
  void the_dedupe_key_is_the_configured_values_else_the_delivery_id_else_the_body_hash() {
    InboundRequest r =
        request(Map.of("X-GitHub-Delivery", "d-1", "X-Other", "o"), "{\"id\":\"evt_9\"}", null);
    VerifierConfig gh =
        new VerifierConfig(Preset.GITHUB, List.of("s"), null, null, null, null, null, null);
    assertThat(Derived.of(source(gh, EventTypeRule.DEFAULT, DedupeRule.DEFAULT), r).dedupeKey())
        .isEqualTo("d-1");
    DedupeRule configured = new DedupeRule(true, List.of("header:X-Other", "json:/id"), 60);
    assertThat(Derived.of(source(gh, EventTypeRule.DEFAULT, configured), r).dedupeKey())
        .isEqualTo("o\nevt_9");
    assertThat(Derived.of(source(none(), EventTypeRule.DEFAULT, DedupeRule.DEFAULT), r).dedupeKey())
        .startsWith("sha256:");
    DedupeRule off = new DedupeRule(false, List.of(), 60);
    assertThat(Derived.of(source(gh, EventTypeRule.DEFAULT, off), r).dedupeKey()).isNull();
  }

  @Test
  void json_bodies_are_kept_byte_for_byte_and_forms_become_objects_with_arrays() {
    String json = "{ \"b\" : 1.10, \"a\":\"\\u00e9\" }";
    InboundRequest r = request(Map.of("Content-Type", "text/plain"), json, null);
    assertThat(new String(PayloadMapping.payloadOf(r, none()), StandardCharsets.UTF_8))
        .isEqualTo(json);
    InboundRequest form =
        request(
            Map.of("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
            "a=1&a=2&b=x+y&c=%E2%82%AC&d",
            null);
    assertThat(new String(PayloadMapping.payloadOf(form, none()), StandardCharsets.UTF_8))
        .isEqualTo("{\"a\":[\"1\",\"2\"],\"b\":\"x y\",\"c\":\"€\",\"d\":\"\"}");
  }

  @Test
  void credentials_and_signatures_are_redacted_in_the_request_log() {
    InboundRequest r =
        request(
            Map.of(
                "Authorization", "Basic dTpw",
                "Stripe-Signature", "t=1,v1=ab",
                "X-Gitlab-Token", "tok",
                "X-Custom-Key", "k",
                "User-Agent", "Stripe/1.0"),
            "{}",
            null);
    VerifierConfig apiKey =
        new VerifierConfig(
            Preset.API_KEY, List.of("k"), null, null, "X-Custom-Key", null, null, null);
    Map<String, String> shown = Redaction.headers(r, apiKey);
    assertThat(shown)
        .containsEntry("authorization", "[redacted]")
        .containsEntry("stripe-signature", "[redacted]")
        .containsEntry("x-gitlab-token", "[redacted]")
        .containsEntry("x-custom-key", "[redacted]")
        .containsEntry("user-agent", "Stripe/1.0");
  }

  @Test
  void zoom_url_validation_is_answered_with_the_plain_token_and_its_hmac() {
    // Zoom's documented answer: encryptedToken = hex(HMAC-SHA256(secret token, plainToken)).
    String body =
        "{\"payload\":{\"plainToken\":\"qgg8vlvZRS6UYooatFL8Aw\"},\"event\":\"endpoint.url_validation\"}";
    VerifierConfig zoom =
        new VerifierConfig(
            Preset.ZOOM, List.of("old", "secret"), null, null, null, null, null, null);
    Challenge c = Preset.ZOOM.challenge(request(Map.of(), body, null), zoom).orElseThrow();
    assertThat(c.status()).isEqualTo(200);
    assertThat(c.body())
        .isEqualTo(
            "{\"plainToken\":\"qgg8vlvZRS6UYooatFL8Aw\",\"encryptedToken\":\""
                + Provider.hmacHex("secret", "qgg8vlvZRS6UYooatFL8Aw")
                + "\"}");
  }

  @Test
  void a_signed_twitch_callback_verification_is_answered_with_the_challenge_as_text() {
    String body = "{\"challenge\":\"pogchamp-kappa-360noscope-vohiyo\",\"subscription\":{}}";
    String id = "e76c6bd4-55c9-4987-8304-da1588d8988b";
    Instant at = Instant.parse("2019-11-16T10:11:12.634234626Z");
    String ts = at.atOffset(ZoneOffset.UTC).toString();
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Twitch-Eventsub-Message-Id", id);
    h.put("Twitch-Eventsub-Message-Timestamp", ts);
    h.put(
        "Twitch-Eventsub-Message-Signature",
        "sha256=" + Provider.hmacHex("s3cre7", id + ts + body));
    h.put("Twitch-Eventsub-Message-Type", "webhook_callback_verification");
    InboundRequest r = request(h, body, null);
    VerifierConfig twitch =
        new VerifierConfig(Preset.TWITCH, List.of("s3cre7"), null, null, null, null, null, null);

    assertThat(Preset.TWITCH.verify(r, twitch, at.plusSeconds(60))).isEqualTo(Verdict.VALID);
    Challenge c = Preset.TWITCH.challenge(r, twitch).orElseThrow();
    assertThat(c.contentType()).isEqualTo("text/plain");
    assertThat(c.body()).isEqualTo("pogchamp-kappa-360noscope-vohiyo");
  }

  @Test
  void the_rate_limit_lets_a_seconds_worth_through_then_refills_with_time() {
    AtomicLong nanos = new AtomicLong(0);
    SourceRateLimit limit = new SourceRateLimit(nanos::get);
    assertThat(limit.tryTake("s", 2)).isTrue();
    assertThat(limit.tryTake("s", 2)).isTrue();
    assertThat(limit.tryTake("s", 2)).isFalse();
    assertThat(limit.tryTake("other", 2)).isTrue();
    nanos.set(500_000_000L);
    assertThat(limit.tryTake("s", 2)).isTrue();
    assertThat(limit.tryTake("s", 2)).isFalse();
    assertThat(limit.tryTake("s", null)).isTrue();
  }

  @Test
  void secrets_are_shown_only_by_prefix_and_a_short_tail() {
    assertThat(SourceView.mask("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
        .isEqualTo("whsec_****LaSw");
    assertThat(SourceView.mask("user:password")).isEqualTo("****");
  }
}
