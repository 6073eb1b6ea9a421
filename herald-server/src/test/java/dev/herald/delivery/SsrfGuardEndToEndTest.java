package dev.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.testing.Backend;
import dev.herald.testing.Receiver;
import dev.herald.testing.TestServer;
import dev.herald.testing.Webhooks;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The SSRF guard end to end: with no {@code HERALD_SSRF_ALLOW}, endpoints on loopback and
 * link-local addresses get no connection at all, and each attempt says why. The guard does not
 * depend on the database, so SQLite is enough.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SsrfGuardEndToEndTest {
  private TestServer guarded;
  private Webhooks hooks;
  private Receiver receiver;

  @BeforeAll
  void start() {
    // No retries, so each blocked delivery ends after its one attempt; the timeout bounds the case
    // where a connection to 169.254.169.254 were (wrongly) tried.
    guarded =
        TestServer.builder(Backend.SQLITE)
            .setting("HERALD_RETRY_SCHEDULE", "none")
            .setting("HERALD_REQUEST_TIMEOUT", "2s")
            .setting("HERALD_POLL_INTERVAL", "50ms")
            .start();
    hooks = new Webhooks(guarded.api());
    receiver = Receiver.start();
  }

  @AfterAll
  void stop() {
    receiver.close();
    guarded.close();
  }

  /** Sends one message to an endpoint at {@code url} and returns its one recorded attempt. */
  private JsonNode blockedAttempt(Webhooks client, String url) {
    String app = client.createApp();
    String ep = client.createEndpoint(app, url);
    String msg = client.send(app, "ssrf.probe");
    client.awaitDeliveryStatus(app, ep, msg, 2);
    return client.attemptsOfMessage(app, msg).getFirst();
  }

  private static void assertBlocked(JsonNode attempt) {
    assertThat(attempt.path("status").asInt()).isEqualTo(2);
    assertThat(attempt.path("responseStatusCode").asInt()).isZero();
    assertThat(attempt.path("response").asText()).contains("SSRF guard");
  }

  @Test
  void an_endpoint_on_127_0_0_1_gets_no_connection() {
    int before = receiver.count();
    assertBlocked(blockedAttempt(hooks, receiver.url()));
    assertThat(receiver.count()).isEqualTo(before);
  }

  @Test
  void an_endpoint_on_the_ipv6_loopback_gets_no_connection() {
    Receiver v6;
    try {
      v6 = Receiver.start(InetAddress.getByName("::1"));
    } catch (UncheckedIOException | UnknownHostException e) {
      assumeTrue(false, "this machine cannot listen on ::1: " + e.getMessage());
      return;
    }
    try (v6) {
      assertBlocked(blockedAttempt(hooks, "http://[::1]:" + v6.port() + "/webhook"));
      assertThat(v6.count()).isZero();
    }
  }

  @Test
  void an_ipv4_compatible_loopback_address_is_blocked_by_the_guard_not_by_the_operating_system() {
    // [::127.0.0.1] once passed the guard and failed only because the OS had no route for it
    // (hardening #9 point 12b); the attempt must now say the guard refused it.
    int before = receiver.count();
    JsonNode attempt =
        blockedAttempt(hooks, "http://[::127.0.0.1]:" + receiver.port() + "/webhook");
    assertBlocked(attempt);
    assertThat(attempt.path("response").asText()).contains("0:0:0:0:0:0:7f00:1");
    assertThat(receiver.count()).isEqualTo(before);
  }

  @Test
  void an_endpoint_whose_host_name_resolves_to_loopback_gets_no_connection()
      throws UnknownHostException {
    assertThat(InetAddress.getAllByName("localhost")).allMatch(InetAddress::isLoopbackAddress);
    int before = receiver.count();
    assertBlocked(blockedAttempt(hooks, "http://localhost:" + receiver.port() + "/webhook"));
    assertThat(receiver.count()).isEqualTo(before);
  }

  @Test
  void the_cloud_metadata_address_is_blocked_before_any_connection() {
    JsonNode attempt = blockedAttempt(hooks, "http://169.254.169.254/latest/meta-data/");
    assertBlocked(attempt);
    assertThat(attempt.path("response").asText()).contains("169.254.169.254");
  }

  @Test
  void an_allowed_range_lets_deliveries_through() {
    try (TestServer allowing =
        TestServer.builder(Backend.SQLITE)
            .settings(Map.of("HERALD_SSRF_ALLOW", "127.0.0.0/8", "HERALD_POLL_INTERVAL", "50ms"))
            .start()) {
      Webhooks client = new Webhooks(allowing.api());
      String app = client.createApp();
      String ep = client.createEndpoint(app, receiver.url());
      String msg = client.send(app, "ssrf.probe");

      receiver.awaitRequestsFor(msg, 1, Duration.ofSeconds(15));
      client.awaitDeliveryStatus(app, ep, msg, 0);
    }
  }
}
