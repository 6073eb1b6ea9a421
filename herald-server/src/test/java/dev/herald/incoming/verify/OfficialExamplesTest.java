package dev.herald.incoming.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The presets against the providers' own published examples: test vectors copied from their
 * documentation or SDK test suites (each test names its source), not computed by Herald.
 */
class OfficialExamplesTest {

  static InboundRequest request(Map<String, String> headers, String body, String query) {
    Map<String, List<String>> multi = new LinkedHashMap<>();
    headers.forEach((k, v) -> multi.put(k, List.of(v)));
    return new InboundRequest(
        "POST", query, multi, body.getBytes(StandardCharsets.UTF_8), Instant.EPOCH);
  }

  static VerifierConfig config(Preset p, String secret) {
    return new VerifierConfig(p, List.of(secret), null, null, null, null, null, null);
  }

  static Reason reason(Verdict v) {
    return v instanceof Verdict.Invalid i ? i.reason() : null;
  }

  /** docs.github.com, "Validating webhook deliveries": the example secret, payload and header. */
  @Test
  void github_documentation_example_verifies() {
    InboundRequest r =
        request(
            Map.of(
                "X-Hub-Signature-256",
                "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"),
            "Hello, World!",
            null);
    VerifierConfig c = config(Preset.GITHUB, "It's a Secret to Everybody");
    assertThat(Preset.GITHUB.verify(r, c, Instant.now())).isEqualTo(Verdict.VALID);
    InboundRequest tampered =
        request(
            Map.of("X-Hub-Signature-256", r.header("X-Hub-Signature-256")), "Hello, World?", null);
    assertThat(reason(Preset.GITHUB.verify(tampered, c, Instant.now())))
        .isEqualTo(Reason.SIGNATURE_MISMATCH);
  }

  /** api.slack.com, "Verifying requests from Slack": the step-by-step walk-through's request. */
  @Test
  void slack_documentation_walk_through_verifies() {
    String body =
        "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
            + "&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner"
            + "&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2F"
            + "commands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
            + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    InboundRequest r =
        request(
            Map.of(
                "X-Slack-Request-Timestamp",
                "1531420618",
                "X-Slack-Signature",
                "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
                "Content-Type",
                "application/x-www-form-urlencoded"),
            body,
            null);
    VerifierConfig c = config(Preset.SLACK, "8f742231b10e8888abcd99yyyzzz85a5");
    assertThat(Preset.SLACK.verify(r, c, Instant.ofEpochSecond(1531420618 + 10)))
        .isEqualTo(Verdict.VALID);
    assertThat(reason(Preset.SLACK.verify(r, c, Instant.ofEpochSecond(1531420618 + 301))))
        .isEqualTo(Reason.TIMESTAMP_OUTSIDE_TOLERANCE);
  }

  /**
   * standard-webhooks/standard-webhooks, libraries/java WebhookTest.verifyWebhookSignWorks: the
   * signature of the reference message, as Standard Webhooks and as Svix headers.
   */
  @Test
  void standard_webhooks_reference_signature_verifies_under_both_header_families() {
    String body = "{\"test\": 2432232314}";
    VerifierConfig std = config(Preset.STANDARD_WEBHOOKS, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    Instant at = Instant.ofEpochSecond(1614265330 + 5);
    for (String family : List.of("webhook-", "svix-")) {
      InboundRequest r =
          request(
              Map.of(
                  family + "id",
                  "msg_p5jXN8AQM9LWM0D4loKWxJek",
                  family + "timestamp",
                  "1614265330",
                  family + "signature",
                  "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="),
              body,
              null);
      assertThat(Preset.STANDARD_WEBHOOKS.verify(r, std, at)).isEqualTo(Verdict.VALID);
      assertThat(Preset.SVIX.verify(r, std.withSecrets(std.secrets()), at))
          .isEqualTo(Verdict.VALID);
    }
  }

  /** twilio/twilio-java RequestValidatorTest: testValidate (form parameters). */
  @Test
  void twilio_sdk_form_example_verifies_with_the_public_url() {
    String body =
        "Digits=1234&CallSid=CA1234567890ABCDE&To=%2B18005551212&Caller=%2B14158675309"
            + "&From=%2B14158675309";
    InboundRequest r =
        request(
            Map.of(
                "X-Twilio-Signature",
                "RSOYDt4T1cUTdK1PDd93/VVr8B8=",
                "Content-Type",
                "application/x-www-form-urlencoded"),
            body,
            "foo=1&bar=2");
    VerifierConfig c =
        new VerifierConfig(
            Preset.TWILIO,
            List.of("12345"),
            null,
            "https://mycompany.com/myapp.php",
            null,
            null,
            null,
            null);
    assertThat(Preset.TWILIO.verify(r, c, Instant.now())).isEqualTo(Verdict.VALID);
  }

  /** twilio/twilio-java RequestValidatorTest: testValidateWithBody (JSON body, bodySHA256). */
  @Test
  void twilio_sdk_json_body_example_verifies_and_a_changed_body_fails_its_hash() {
    String body = "{\"property\": \"value\", \"boolean\": true}";
    String query =
        "foo=1&bar=2&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";
    Map<String, String> headers =
        Map.of(
            "X-Twilio-Signature",
            "a9nBmqA0ju/hNViExpshrM61xv4=",
            "Content-Type",
            "application/json");
    VerifierConfig c =
        new VerifierConfig(
            Preset.TWILIO,
            List.of("12345"),
            null,
            "https://mycompany.com/myapp.php?foo=1&bar=2",
            null,
            null,
            null,
            null);
    assertThat(Preset.TWILIO.verify(request(headers, body, query), c, Instant.now()))
        .isEqualTo(Verdict.VALID);
    assertThat(
            reason(
                Preset.TWILIO.verify(
                    request(headers, body.replace("value", "other"), query), c, Instant.now())))
        .isEqualTo(Reason.BODY_HASH_MISMATCH);
  }

  /**
   * square/square-java-sdk WebhooksHelperTest: testSignatureValidationPass and its URL mismatch.
   */
  @Test
  void square_sdk_example_verifies_only_with_the_registered_url() {
    String body =
        "{\"merchant_id\":\"MLEFBHHSJGVHD\",\"type\":\"webhooks.test_notification\","
            + "\"event_id\":\"ac3ac95b-f97d-458c-a6e6-18981597e05f\","
            + "\"created_at\":\"2022-07-13T20:30:59.037339943Z\","
            + "\"data\":{\"type\":\"webhooks\",\"id\":\"bc368e64-01aa-407e-b46e-3231809b1129\"}}";
    InboundRequest r =
        request(
            Map.of("x-square-hmacsha256-signature", "GF4YkrJgGBDZ9NIYbNXBnMzqb2HoL4RW/S6vkZ9/2N4="),
            body,
            null);
    VerifierConfig right =
        new VerifierConfig(
            Preset.SQUARE,
            List.of("Ibxx_5AKakO-3qeNVR61Dw"),
            null,
            "https://webhook.site/679a4f3a-dcfa-49ee-bac5-9d0edad886b9",
            null,
            null,
            null,
            null);
    VerifierConfig wrongUrl =
        new VerifierConfig(
            Preset.SQUARE,
            List.of("Ibxx_5AKakO-3qeNVR61Dw"),
            null,
            "https://webhook.site/79a4f3a-dcfa-49ee-bac5-9d0edad886b9",
            null,
            null,
            null,
            null);
    assertThat(Preset.SQUARE.verify(r, right, Instant.now())).isEqualTo(Verdict.VALID);
    assertThat(reason(Preset.SQUARE.verify(r, wrongUrl, Instant.now())))
        .isEqualTo(Reason.SIGNATURE_MISMATCH);
  }

  /** sendgrid/sendgrid-java EventWebhookTest: testVerifySignature and testBadKey. */
  @Test
  void sendgrid_sdk_example_verifies_with_its_public_key() {
    String payload =
        "[{\"email\":\"hello@world.com\",\"event\":\"dropped\",\"reason\":\"Bounced Address\","
            + "\"sg_event_id\":\"ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA\","
            + "\"sg_message_id\":\"LRzXl_NHStOGhQ4kofSm_A.filterdrecv-p3mdw1-756b745b58-kmzbl-18"
            + "-5F5FC76C-9.0\",\"smtp-id\":\"<LRzXl_NHStOGhQ4kofSm_A@ismtpd0039p1iad1.sendgrid.net>\","
            + "\"timestamp\":1600112492}]\r\n";
    InboundRequest r =
        request(
            Map.of(
                "X-Twilio-Email-Event-Webhook-Signature",
                "MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQAbPIqHh89M15TluLtEZtM=",
                "X-Twilio-Email-Event-Webhook-Timestamp",
                "1600112502"),
            payload,
            null);
    String key =
        "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw"
            + "+2fNNRaINXvVpiglSI8eNEc6wEA3F+g==";
    String otherKey =
        "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEqTxd43gyp8IOEto2LdIfjRQrIbsd4SXZkLW6jDutdhXSJCWHw8REntlo"
            + "7aNDthvj+y7GjUuFDb/R1NGe1OPzpA==";
    assertThat(Preset.SENDGRID.verify(r, config(Preset.SENDGRID, key), Instant.now()))
        .isEqualTo(Verdict.VALID);
    assertThat(reason(Preset.SENDGRID.verify(r, config(Preset.SENDGRID, otherKey), Instant.now())))
        .isEqualTo(Reason.SIGNATURE_MISMATCH);
  }
}
