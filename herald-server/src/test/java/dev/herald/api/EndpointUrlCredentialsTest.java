package dev.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.testing.Api;
import dev.herald.testing.ApiContractTest;
import dev.herald.testing.Receiver;
import dev.herald.testing.Webhooks;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Credentials in endpoint URLs (hardening #9 point 12a): refused with a 422 that points to custom
 * headers and never quotes the password; an endpoint stored with them before shows them masked, in
 * the endpoint and in its attempt log.
 */
class EndpointUrlCredentialsTest extends ApiContractTest {
  private static final String PASSWORD = "s3cr%40t";
  private static final String WITH_CREDENTIALS = "https://alice:" + PASSWORD + "@example.com/hook";
  private static final String OPS = "/api/v1/operational-webhook/endpoint";
  private final Receiver receiver = Receiver.start();

  @Override
  protected Map<String, String> settings() {
    return Map.of(
        "HERALD_SSRF_ALLOW",
        "127.0.0.0/8",
        "HERALD_RETRY_SCHEDULE",
        "none",
        "HERALD_POLL_INTERVAL",
        "50ms");
  }

  @AfterAll
  void closeReceiver() {
    receiver.close();
  }

  private static void assertRefused(Api.Response r) {
    assertThat(r.status()).as("%s", r).isEqualTo(422);
    assertThat(errorLocations(r)).containsExactly("body.url");
    assertThat(r.body().path("detail").get(0).path("msg").asText())
        .contains("credentials")
        .contains("Authorization");
    assertThat(r.text()).doesNotContain(PASSWORD).doesNotContain("s3cr");
  }

  @Test
  void credentials_in_the_url_are_refused_at_create_put_and_patch() {
    Webhooks hooks = new Webhooks(api);
    String app = hooks.createApp();
    String endpoints = "/api/v1/app/" + app + "/endpoint";
    String ep = hooks.createEndpoint(app, "https://example.com/hook");

    assertRefused(api.post(endpoints, Map.of("url", WITH_CREDENTIALS)));
    assertRefused(api.post(endpoints, Map.of("url", "https://token-only@example.com/hook")));
    assertRefused(api.put(endpoints + "/new-one", Map.of("url", WITH_CREDENTIALS)));
    assertRefused(api.put(endpoints + "/" + ep, Map.of("url", WITH_CREDENTIALS)));
    assertRefused(api.patch(endpoints + "/" + ep, Map.of("url", WITH_CREDENTIALS)));
    assertRefused(api.post(OPS, Map.of("url", WITH_CREDENTIALS)));

    assertThat(ids(api.get(endpoints))).containsExactly(ep);
    assertThat(hooks.endpoint(app, ep).path("url").asText()).isEqualTo("https://example.com/hook");
    // An '@' after the authority is not a credential.
    assertThat(
            api.post(endpoints, Map.of("url", "https://example.com/hook?to=a@b.example")).status())
        .isEqualTo(201);
  }

  @Test
  void
      an_endpoint_stored_with_credentials_before_shows_them_masked_in_the_endpoint_and_attempt_log() {
    Webhooks hooks = new Webhooks(api);
    String app = hooks.createApp();
    String ep = hooks.createEndpoint(app, receiver.url());
    String stored = receiver.url().replace("http://", "http://alice:" + PASSWORD + "@");
    server
        .herald()
        .database()
        .writeVoid(sql -> sql.update("UPDATE endpoint SET url = ? WHERE id = ?", stored, ep));
    String masked = receiver.url().replace("http://", "http://***@");

    String msg = hooks.send(app, "creds.probe");
    receiver.awaitRequestsFor(msg, 1, Duration.ofSeconds(15));
    hooks.awaitDeliveryStatus(app, ep, msg, 0);

    JsonNode endpoint = hooks.endpoint(app, ep);
    assertThat(endpoint.path("url").asText()).isEqualTo(masked);
    List<JsonNode> attempts = hooks.attemptsOfMessage(app, msg);
    assertThat(attempts).extracting(a -> a.path("url").asText()).containsExactly(masked);
    assertThat(api.get("/api/v1/app/" + app + "/endpoint").text()).doesNotContain("s3cr");
    assertThat(api.get("/api/v1/app/" + app + "/attempt/endpoint/" + ep).text())
        .doesNotContain("s3cr");
  }
}
