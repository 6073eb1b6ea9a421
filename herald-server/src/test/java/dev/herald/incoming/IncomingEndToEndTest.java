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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Incoming webhooks end to end (issue #12): a provider's signed request to {@code /in/{id}} reaches
 * the endpoint subscribed to its event type as a signed Herald delivery, through real HTTP on both
 * sides; the same request twice is delivered once; a forgery is delivered nowhere.
 */
class IncomingEndToEndTest extends ApiContractTest {
  static final Duration WAIT = Duration.ofSeconds(10);

  @Override
  protected Map<String, String> settings() {
    return Map.of(
        "HERALD_SSRF_ALLOW", "127.0.0.0/8",
        "HERALD_RETRY_SCHEDULE", "1s,1s",
        "HERALD_REQUEST_TIMEOUT", "2s",
        "HERALD_POLL_INTERVAL", "50ms");
  }

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
