package dev.herald.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.Api;
import dev.herald.testing.ApiContractTest;
import dev.herald.testing.Webhooks;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the ingest URL (issue #12): random headers (the presets' own signature headers with
 * random, malformed and plausible values), bodies (random bytes, JSON, forms, invalid UTF-8),
 * content types and sizes around the limit, sent to sources of every verifying preset. Two
 * properties: never a 5xx, and never a message. A failure names the seed and case to replay. More
 * cases with {@code -Dherald.fuzz.cases=N} (default 12 per preset).
 */
class IngestFuzzTest extends ApiContractTest {
  static final int CASES = Integer.getInteger("herald.fuzz.cases", 12);
  static final long SEED = Long.getLong("herald.fuzz.seed", 0x1b0a7dL);
  static final int LIMIT = 16_384;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  static final List<String> HEADERS =
      List.of(
          "Stripe-Signature",
          "X-Hub-Signature-256",
          "X-Shopify-Hmac-Sha256",
          "X-Slack-Signature",
          "X-Slack-Request-Timestamp",
          "X-Twilio-Signature",
          "webhook-id",
          "webhook-timestamp",
          "webhook-signature",
          "svix-id",
          "svix-timestamp",
          "svix-signature",
          "Paddle-Signature",
          "Linear-Signature",
          "x-zm-signature",
          "x-zm-request-timestamp",
          "x-square-hmacsha256-signature",
          "X-Twilio-Email-Event-Webhook-Signature",
          "X-Twilio-Email-Event-Webhook-Timestamp",
          "Twitch-Eventsub-Message-Id",
          "Twitch-Eventsub-Message-Timestamp",
          "Twitch-Eventsub-Message-Signature",
          "Twitch-Eventsub-Message-Type",
          "X-Gitlab-Token",
          "Authorization",
          "X-Signature");

  static final List<String> VALUES =
      List.of(
          "",
          "t=",
          "t=abc,v1=zz",
          "t=1700000000,v1=" + "0".repeat(64),
          "t=9999999999999999999999,v1=00",
          "v0=",
          "v0=xyz",
          "sha256=",
          "sha256=" + "f".repeat(64),
          "v1,",
          "v1,!!!!",
          "v1a,AAAA v1,AAAA v2,x",
          "ts=;h1=",
          "ts=1;h1=00;h1=",
          "Basic ",
          "Basic !!!",
          "Basic " + java.util.Base64.getEncoder().encodeToString("no-colon".getBytes()),
          "Bearer ",
          "1700000000",
          "-1",
          "2026-13-45T99:99:99Z",
          "webhook_callback_verification",
          "é\u00ff",
          "%00",
          "a".repeat(2000));

  static final List<String> TYPES =
      List.of(
          "application/json",
          "application/json; charset=utf-16",
          "application/x-www-form-urlencoded",
          "text/plain",
          "application/octet-stream",
          "multipart/form-data; boundary=x",
          ";;;",
          "");

  static final List<Map<String, Object>> VERIFIERS =
      List.of(
          Map.of("type", "stripe", "secrets", List.of("whsec_f")),
          Map.of("type", "github", "secrets", List.of("g")),
          Map.of("type", "shopify", "secrets", List.of("s")),
          Map.of("type", "slack", "secrets", List.of("s")),
          Map.of("type", "twilio", "secrets", List.of("t"), "publicUrl", "https://h.example/in/x"),
          Map.of("type", "svix", "secrets", List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")),
          Map.of(
              "type",
              "standard_webhooks",
              "secrets",
              List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")),
          Map.of("type", "paddle", "secrets", List.of("p")),
          Map.of("type", "linear", "secrets", List.of("l")),
          Map.of("type", "zoom", "secrets", List.of("z")),
          Map.of("type", "square", "secrets", List.of("q"), "publicUrl", "https://h.example/in/x"),
          Map.of("type", "mailgun", "secrets", List.of("m")),
          Map.of(
              "type",
              "sendgrid",
              "secrets",
              List.of(
                  "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g==")),
          Map.of("type", "twitch", "secrets", List.of("t")),
          Map.of("type", "gitlab", "secrets", List.of("g")),
          Map.of("type", "hmac", "secrets", List.of("h"), "header", "X-Signature"),
          Map.of("type", "basic_auth", "secrets", List.of("u:p")),
          Map.of("type", "api_key", "secrets", List.of("k")));

  @Override
  protected Map<String, String> settings() {
    return Map.of("HERALD_MAX_PAYLOAD_SIZE", String.valueOf(LIMIT));
  }

  @Test
  void random_requests_never_get_a_5xx_and_never_become_a_message() throws Exception {
    String app = new Webhooks(api).createApp();
    List<String> failures = new ArrayList<>();
    for (Map<String, Object> verifier : VERIFIERS) {
      Api.Response s =
          api.post("/api/v1/app/" + app + "/source", Map.of("name", "fuzz", "verifier", verifier));
      assertThat(s.status()).as("%s", s).isEqualTo(201);
      String url = s.field("ingestUrl");
      for (int i = 0; i < CASES; i++) {
        Random random = new Random(SEED + i * 31L + verifier.get("type").hashCode());
        int status = send(url, random);
        if (status >= 500 || (status >= 200 && status < 300)) {
          failures.add(verifier.get("type") + " case " + i + " (seed " + SEED + "): " + status);
        }
      }
    }
    assertThat(failures).isEmpty();
    assertThat(api.get("/api/v1/app/" + app + "/msg").body().path("data").size()).isZero();
  }

  /**
   * The source routes' bodies fuzzed as {@link WriteRoutesFuzzTest} fuzzes the others: never a 5xx,
   * every error in one of the two shapes, and a refused write changes nothing.
   */
  @Test
  void source_routes_never_answer_5xx_and_a_refused_write_changes_nothing() {
    String app = new Webhooks(api).createApp();
    String base = "/api/v1/app/" + app + "/source";
    Api.Response created =
        api.post(
            base,
            Map.of("name", "fz", "verifier", Map.of("type", "github", "secrets", List.of("s"))));
    String one = base + "/" + created.field("id");
    Map<String, String> sourceFields = new java.util.LinkedHashMap<>();
    sourceFields.put("name", "\"n\"");
    sourceFields.put("uid", "\"u-1\"");
    sourceFields.put(
        "verifier",
        "{\"type\":\"hmac\",\"secrets\":[\"a\"],\"header\":\"X-S\",\"algorithm\":\"sha1\","
            + "\"encoding\":\"base64\",\"prefix\":\"\",\"toleranceSeconds\":10}");
    sourceFields.put(
        "eventType",
        "{\"template\":\"{json:/a}.{header:X}\",\"prefix\":\"p.\",\"fallback\":\"f\"}");
    sourceFields.put("dedupe", "{\"enabled\":true,\"key\":[\"json:/id\"],\"windowSeconds\":60}");
    sourceFields.put("response", "{\"status\":202,\"contentType\":\"text/plain\",\"body\":\"ok\"}");
    sourceFields.put("failureStatus", "403");
    sourceFields.put("rateLimit", "5");
    sourceFields.put("disabled", "false");
    Map<String, String> verifyFields =
        Map.of(
            "method", "\"POST\"",
            "url", "\"https://h.example/in/x?a=1\"",
            "headers", "{\"X-Hub-Signature-256\":\"sha256=00\"}",
            "body", "\"{}\"",
            "receivedAt", "1700000000");
    List<Object[]> routes =
        List.of(
            new Object[] {"POST", base, sourceFields, base + "?limit=250"},
            new Object[] {"PATCH", one, sourceFields, one},
            new Object[] {"POST", one + "/secret/rotate", Map.of("secret", "\"s2\""), one},
            new Object[] {"POST", one + "/verify", verifyFields, null});
    List<String> failures = new ArrayList<>();
    for (int r = 0; r < routes.size(); r++) {
      String method = (String) routes.get(r)[0];
      String path = (String) routes.get(r)[1];
      @SuppressWarnings("unchecked")
      Map<String, String> fields = (Map<String, String>) routes.get(r)[2];
      String probe = (String) routes.get(r)[3];
      String before = probe == null ? null : api.get(probe).text();
      for (int i = 0; i < CASES * 3; i++) {
        long seed = SEED + 10_000L * r + i;
        String body = new JsonFuzz(seed).body(fields);
        Api.Response answer = api.send(method, path, body, Map.of());
        boolean shaped =
            answer.status() < 400
                || answer.body().path("detail").isArray()
                || (answer.body().has("code") && answer.body().has("detail"));
        String after = probe == null ? null : api.get(probe).text();
        if (answer.status() >= 500 || !shaped) {
          failures.add(method + " " + path + " seed " + seed + ": " + answer + " for " + body);
        } else if (answer.status() >= 400 && probe != null && !before.equals(after)) {
          failures.add(method + " " + path + " seed " + seed + ": changed on " + answer.status());
        }
        before = after;
      }
    }
    assertThat(failures).isEmpty();
  }

  private int send(String url, Random random) throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url + query(random)))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body(random)));
    String type = TYPES.get(random.nextInt(TYPES.size()));
    if (!type.isEmpty()) {
      b.setHeader("Content-Type", type);
    }
    int headers = random.nextInt(6);
    for (int h = 0; h < headers; h++) {
      String value = VALUES.get(random.nextInt(VALUES.size()));
      if (value.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
        b.setHeader(HEADERS.get(random.nextInt(HEADERS.size())), value);
      }
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static String query(Random random) {
    return switch (random.nextInt(4)) {
      case 0 -> "";
      case 1 -> "?bodySHA256=" + "0".repeat(64);
      case 2 -> "?a=%E2%82&b";
      default -> "?x=1&x=2";
    };
  }

  private static byte[] body(Random random) {
    return switch (random.nextInt(6)) {
      case 0 -> new byte[0];
      case 1 -> {
        byte[] bytes = new byte[random.nextInt(LIMIT + 2048)];
        random.nextBytes(bytes);
        yield bytes;
      }
      case 2 ->
          "{\"type\":\"url_verification\",\"challenge\":\"c\",\"event\":\"endpoint.url_validation\"}"
              .getBytes(StandardCharsets.UTF_8);
      case 3 ->
          "a=1&a=2&b=%E2%82%AC&c=%zz&=&&signature=00&timestamp=1&token=t"
              .getBytes(StandardCharsets.UTF_8);
      case 4 -> "[{\"event\":\"x\"},1,\"\\ud800\"]".getBytes(StandardCharsets.UTF_8);
      default -> {
        StringBuilder json = new StringBuilder("{\"signature\":{\"timestamp\":\"1\",\"token\":");
        json.append(random.nextBoolean() ? "null" : "{}").append(",\"signature\":[]}");
        yield json.append(random.nextBoolean() ? "}" : "")
            .toString()
            .getBytes(StandardCharsets.UTF_8);
      }
    };
  }
}
