package dev.herald.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.herald.config.LogFormat;
import dev.herald.testing.Api;
import dev.herald.testing.Backend;
import dev.herald.testing.TestServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * API keys, portal tokens, endpoint secrets, custom endpoint headers and payloads never reach the
 * log, in either format, at any level Herald logs at (DEBUG included), through a whole session of
 * API calls and deliveries (delivered, retried and given up).
 */
class SecretsNotLoggedTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  private HttpServer receiver;
  private final List<String> receivedAuthorization = new CopyOnWriteArrayList<>();
  private final List<Instant> failures = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startReceiver() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/ok",
        exchange -> {
          receivedAuthorization.add(
              String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.createContext(
        "/fail",
        exchange -> {
          failures.add(Instant.now());
          exchange.sendResponseHeaders(500, -1);
          exchange.close();
        });
    receiver.start();
  }

  @AfterEach
  void stopReceiver() {
    receiver.stop(0);
  }

  private static String whsec() {
    byte[] key = new byte[24];
    RANDOM.nextBytes(key);
    return "whsec_" + Base64.getEncoder().encodeToString(key);
  }

  private static String token(String prefix) {
    byte[] bytes = new byte[18];
    RANDOM.nextBytes(bytes);
    return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  @Test
  void no_key_token_secret_header_or_payload_appears_in_the_log() {
    String createdSecret = whsec();
    String rotatedSecret = whsec();
    String failingSecret = whsec();
    String receiverToken = token("rcv_");
    String receiverApiKey = token("xkey_");
    String payloadSecret = token("payload_");
    String wrongKey = token("hk_wrong_");
    String basicCredentials =
        Base64.getEncoder().encodeToString(("operator:" + token("pw_")).getBytes());
    String portalToken;
    String base = "http://127.0.0.1:" + receiver.getAddress().getPort();

    try (CapturedLog log = new CapturedLog();
        TestServer server =
            TestServer.builder(Backend.SQLITE)
                .setting("HERALD_SSRF_ALLOW", "127.0.0.0/8")
                .setting("HERALD_RETRY_SCHEDULE", "100ms")
                .start()) {
      Api admin = server.api();
      String app = admin.post("/api/v1/app", Map.of("name", "secrets")).field("id");
      String endpoints = "/api/v1/app/" + app + "/endpoint";
      String ok =
          admin.post(endpoints, Map.of("url", base + "/ok", "secret", createdSecret)).field("id");
      admin.post(endpoints, Map.of("url", base + "/fail", "secret", failingSecret));
      assertThat(
              admin
                  .put(
                      endpoints + "/" + ok + "/headers",
                      Map.of(
                          "headers",
                          Map.of(
                              "Authorization",
                              "Bearer " + receiverToken,
                              "X-Api-Key",
                              receiverApiKey)))
                  .status())
          .isEqualTo(204);
      assertThat(admin.get(endpoints + "/" + ok + "/secret").field("key")).isEqualTo(createdSecret);
      assertThat(
              admin
                  .post(endpoints + "/" + ok + "/secret/rotate", Map.of("key", rotatedSecret))
                  .status())
          .isEqualTo(204);
      assertThat(admin.get(endpoints + "/" + ok + "/headers").status()).isEqualTo(200);

      portalToken = admin.post("/api/v1/auth/app-portal-access/" + app, Map.of()).field("token");
      Api portal = server.api(portalToken);
      assertThat(portal.get(endpoints + "/" + ok + "/secret").field("key"))
          .isEqualTo(rotatedSecret);
      assertThat(
              portal
                  .post(
                      "/api/v1/app/" + app + "/msg",
                      Map.of("eventType", "user.signup", "payload", Map.of("note", payloadSecret)))
                  .status())
          .isEqualTo(202);

      assertThat(server.api(wrongKey).get("/api/v1/app").status()).isEqualTo(401);
      assertThat(
              server
                  .anonymous()
                  .get("/api/v1/app", Map.of("Authorization", "Basic " + basicCredentials))
                  .status())
          .isEqualTo(401);

      waitFor(
          () ->
              receivedAuthorization.contains("Bearer " + receiverToken)
                  && failures.size() >= 2
                  && log.text(LogFormat.TEXT).contains("no more attempts"));
      assertThat(portal.post("/api/v1/auth/logout", null).status()).isEqualTo(204);
      assertThat(portal.get(endpoints).status()).isEqualTo(401);
      waitFor(() -> log.text(LogFormat.TEXT).contains("GET " + endpoints + " 401"));

      for (LogFormat format : LogFormat.values()) {
        String raw = log.text(format);
        String text = log.decoded(format);
        // The capture saw the traffic: requests, a delivery, a retry and a give-up.
        assertThat(text)
            .contains(
                "POST /api/v1/auth/app-portal-access/" + app,
                "/secret/rotate",
                "delivered",
                "next attempt in",
                "no more attempts");
        for (String secret :
            List.of(
                TestServer.ADMIN_KEY,
                portalToken,
                createdSecret,
                rotatedSecret,
                failingSecret,
                receiverToken,
                receiverApiKey,
                payloadSecret,
                wrongKey,
                basicCredentials)) {
          for (String written : List.of(raw, text)) {
            assertThat(written)
                .as(format + " log")
                .doesNotContain(secret, secret.replaceFirst("^whsec_", ""));
          }
        }
      }
    }
  }

  @Test
  void an_admin_key_generated_at_first_start_is_not_logged() {
    try (CapturedLog log = new CapturedLog();
        TestServer server = TestServer.builder(Backend.SQLITE).withoutBootstrapKey().start()) {
      String key = server.herald().generatedAdminKey().orElseThrow();
      assertThat(server.api().get("/api/v1/app").status()).isEqualTo(200);
      waitFor(() -> log.text(LogFormat.TEXT).contains("GET /api/v1/app 200"));

      for (LogFormat format : LogFormat.values()) {
        assertThat(log.decoded(format)).contains("listening on port").doesNotContain(key);
        assertThat(log.text(format)).doesNotContain(key);
      }
    }
  }

  private static void waitFor(BooleanSupplier condition) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("condition not met within 15 s");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
