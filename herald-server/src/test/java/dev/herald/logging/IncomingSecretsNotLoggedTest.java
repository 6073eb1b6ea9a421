package dev.herald.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.config.LogFormat;
import dev.herald.testing.Api;
import dev.herald.testing.Backend;
import dev.herald.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Incoming webhooks leave no credential in the log (issue #12): not a source's secrets, not the
 * signatures or credentials providers send, and not the whole ingest id (for a source without a
 * verifier, the id is the only credential).
 */
class IncomingSecretsNotLoggedTest {

  static int post(String url, Map<String, String> headers, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::setHeader);
    return HttpClient.newHttpClient()
        .send(b.build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  @Test
  void no_source_secret_signature_credential_or_whole_ingest_id_appears_in_the_log()
      throws Exception {
    String whsec = "whsec_logtest_Q2hhbmdlTWU5OTk5";
    String rotated = "whsec_logtest_rotated_T3RoZXI";
    String password = "pw-" + Long.toHexString(System.nanoTime());
    String basic = Base64.getEncoder().encodeToString(("ops:" + password).getBytes());
    String forgedSignature = "t=1700000000,v1=" + "ab".repeat(32);
    try (CapturedLog log = new CapturedLog();
        TestServer server = TestServer.builder(Backend.SQLITE).start()) {
      Api admin = server.api();
      String app = admin.post("/api/v1/app", Map.of("name", "incoming-log")).field("id");
      String sources = "/api/v1/app/" + app + "/source";
      Api.Response stripe =
          admin.post(
              sources,
              Map.of("name", "s", "verifier", Map.of("type", "stripe", "secrets", List.of(whsec))));
      Api.Response open =
          admin.post(sources, Map.of("name", "o", "verifier", Map.of("type", "none")));
      Api.Response auth =
          admin.post(
              sources,
              Map.of(
                  "name",
                  "b",
                  "verifier",
                  Map.of("type", "basic_auth", "secrets", List.of("ops:" + password))));
      admin.post(sources + "/" + stripe.field("id") + "/secret/rotate", Map.of("secret", rotated));
      String body = "{\"id\":\"evt_1\",\"type\":\"x\"}";
      assertThat(post(stripe.field("ingestUrl"), Map.of("Stripe-Signature", forgedSignature), body))
          .isEqualTo(401);
      assertThat(post(open.field("ingestUrl"), Map.of(), body)).isEqualTo(200);
      assertThat(post(auth.field("ingestUrl"), Map.of("Authorization", "Basic " + basic), body))
          .isEqualTo(200);

      for (LogFormat format : LogFormat.values()) {
        String text = log.decoded(format);
        assertThat(text).as("the capture saw the ingest requests").contains("POST /in/src_");
        for (String secret :
            List.of(
                whsec,
                rotated,
                password,
                basic,
                forgedSignature.substring(16),
                open.field("id"),
                stripe.field("id"),
                auth.field("id"))) {
          assertThat(log.text(format)).as(format + " log").doesNotContain(secret);
          assertThat(text).as(format + " log").doesNotContain(secret);
        }
      }
    }
  }
}
