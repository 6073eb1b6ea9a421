package dev.herald.incoming;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.testing.Api;
import dev.herald.testing.ApiContractTest;
import dev.herald.testing.MutableClock;
import dev.herald.testing.Webhooks;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A source's secret and ingest-URL rotation, its dry run and its rate limit, on a clock the tests
 * move (issue #12).
 */
class SourceRotationApiTest extends ApiContractTest {
  private final MutableClock clock = MutableClock.atSystemTime();

  @Override
  protected InstantSource clock() {
    return clock;
  }

  long now() {
    return clock.instant().getEpochSecond();
  }

  JsonNode create(String app, Map<String, Object> body) {
    Api.Response r = api.post("/api/v1/app/" + app + "/source", body);
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return r.body();
  }

  static Map<String, Object> stripe(String secret) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", "Stripe");
    body.put("verifier", Map.of("type", "stripe", "secrets", List.of(secret)));
    return body;
  }

  int send(String url, String secret, String eventId) {
    String body = "{\"id\":\"" + eventId + "\",\"type\":\"charge.succeeded\"}";
    return Provider.post(url, Provider.stripe(secret, body, now()), body).status();
  }

  @Test
  void a_rotated_secret_is_added_and_beyond_three_the_oldest_goes() {
    String app = new Webhooks(api).createApp();
    JsonNode s = create(app, stripe("whsec_one"));
    String path = "/api/v1/app/" + app + "/source/" + s.path("id").asText();
    for (String next : List.of("whsec_two", "whsec_three", "whsec_four")) {
      Api.Response r = api.post(path + "/secret/rotate", Map.of("secret", next));
      assertThat(r.status()).as("%s", r).isEqualTo(200);
      assertThat(r.text()).doesNotContain(next);
    }
    assertThat(api.get(path).body().at("/verifier/secrets").size()).isEqualTo(3);
    String url = s.path("ingestUrl").asText();
    assertThat(send(url, "whsec_one", "evt_r1")).isEqualTo(401);
    assertThat(send(url, "whsec_two", "evt_r2")).isEqualTo(200);
    assertThat(send(url, "whsec_four", "evt_r4")).isEqualTo(200);
  }

  @Test
  void a_secret_the_verifier_cannot_use_is_refused_on_rotation() {
    String app = new Webhooks(api).createApp();
    JsonNode s =
        create(
            app,
            Map.of(
                "name",
                "basic",
                "verifier",
                Map.of("type", "basic_auth", "secrets", List.of("user:pass"))));
    Api.Response r =
        api.post(
            "/api/v1/app/" + app + "/source/" + s.path("id").asText() + "/secret/rotate",
            Map.of("secret", "no-colon"));
    assertThat(r.status()).isEqualTo(422);
    assertThat(errorLocations(r)).containsExactly("body.secret");
  }

  @Test
  void a_new_ingest_url_is_given_and_the_old_one_works_for_48_hours() {
    String app = new Webhooks(api).createApp();
    JsonNode s = create(app, stripe("whsec_tok"));
    String path = "/api/v1/app/" + app + "/source/" + s.path("id").asText();
    String oldUrl = s.path("ingestUrl").asText();

    Api.Response rotated = api.post(path + "/token/rotate", null);

    assertThat(rotated.status()).as("%s", rotated).isEqualTo(200);
    String newUrl = rotated.field("ingestUrl");
    assertThat(newUrl).isNotEqualTo(oldUrl).matches(".*/in/src_[0-9A-Za-z]{30}");
    assertThat(rotated.field("previousIngestUrl")).isEqualTo(oldUrl);
    assertThat(send(newUrl, "whsec_tok", "evt_t1")).isEqualTo(200);
    assertThat(send(oldUrl, "whsec_tok", "evt_t2")).isEqualTo(200);
    clock.advance(Duration.ofHours(48).plusSeconds(1));
    assertThat(send(oldUrl, "whsec_tok", "evt_t3")).isEqualTo(404);
    assertThat(send(newUrl, "whsec_tok", "evt_t4")).isEqualTo(200);
    assertThat(api.get(path).body().has("previousIngestUrl")).isFalse();
  }

  @Test
  void the_dry_run_explains_a_mismatch_and_checks_as_of_the_captured_arrival() {
    String app = new Webhooks(api).createApp();
    JsonNode s = create(app, stripe("whsec_dry"));
    String path = "/api/v1/app/" + app + "/source/" + s.path("id").asText() + "/verify";
    String body = "{\"id\":\"evt_dry\",\"type\":\"charge.succeeded\"}";
    long t = 1_700_000_000L;
    String header = Provider.stripe("whsec_dry", body, t).get("Stripe-Signature");

    JsonNode stale =
        api.post(
                path,
                Map.of(
                    "url",
                    s.path("ingestUrl").asText(),
                    "headers",
                    Map.of("Stripe-Signature", header),
                    "body",
                    body))
            .body();
    assertThat(stale.path("valid").asBoolean()).isFalse();
    assertThat(stale.path("reason").asText()).isEqualTo("timestamp_outside_tolerance");
    assertThat(stale.path("eventType").asText()).isEqualTo("charge.succeeded");

    JsonNode asArrived =
        api.post(
                path,
                Map.of(
                    "headers",
                    Map.of("Stripe-Signature", header),
                    "bodyBase64",
                    Base64.getEncoder().encodeToString(body.getBytes()),
                    "receivedAt",
                    t + 5))
            .body();
    assertThat(asArrived.path("valid").asBoolean()).as("%s", asArrived).isTrue();
    assertThat(asArrived.path("dedupeKey").asText()).isEqualTo("evt_dry");
    assertThat(asArrived.path("duplicate").asBoolean()).isFalse();
    assertThat(asArrived.path("challenge").isNull()).isTrue();

    JsonNode tampered =
        api.post(
                path,
                Map.of(
                    "headers",
                    Map.of("Stripe-Signature", header),
                    "body",
                    body.replace("dry", "wet"),
                    "receivedAt",
                    t + 5))
            .body();
    assertThat(tampered.path("reason").asText()).isEqualTo("signature_mismatch");
    assertThat(tampered.path("detail").asText()).doesNotContain("whsec_dry");
  }

  @Test
  void requests_beyond_the_sources_rate_limit_get_429_and_create_nothing() {
    String app = new Webhooks(api).createApp();
    Map<String, Object> body = stripe("whsec_rate");
    body.put("rateLimit", 2);
    JsonNode s = create(app, body);
    String url = s.path("ingestUrl").asText();
    List<Integer> statuses = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      statuses.add(send(url, "whsec_rate", "evt_rl" + i));
    }
    assertThat(statuses).contains(429);
    long accepted = statuses.stream().filter(x -> x == 200).count();
    Api.Response msgs = api.get("/api/v1/app/" + app + "/msg?tag=source/" + s.path("id").asText());
    assertThat(msgs.body().path("data").size()).isEqualTo((int) accepted);
  }
}
