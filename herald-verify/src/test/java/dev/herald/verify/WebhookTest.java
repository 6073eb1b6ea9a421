package dev.herald.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookTest {
  // Known-answer vector shared by the Standard Webhooks and Svix reference libraries.
  static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  static final long NOW = 1614265330L;
  static final String TIMESTAMP = Long.toString(NOW);
  static final String BODY = "{\"test\": 2432232314}";
  static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

  static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);

  static Webhook verifier(String... secrets) {
    return Webhook.trusting(secrets).withClock(CLOCK);
  }

  static Map<String, String> headers(String id, String timestamp, String signature) {
    return Map.of("webhook-id", id, "webhook-timestamp", timestamp, "webhook-signature", signature);
  }

  static Map<String, String> headers(String signature) {
    return headers(ID, TIMESTAMP, signature);
  }

  @Nested
  class Symmetric {
    @Test
    void accepts_the_known_answer_vector() {
      assertThat(verifier(SECRET).verify(BODY, headers(SIGNATURE))).isEqualTo(BODY);
    }

    @Test
    void accepts_the_known_answer_vector_given_the_three_header_values() {
      assertThat(verifier(SECRET).verify(BODY, ID, TIMESTAMP, SIGNATURE)).isEqualTo(BODY);
    }

    @Test
    void accepts_the_known_answer_vector_as_raw_bytes_and_returns_the_same_bytes() {
      byte[] body = BODY.getBytes(StandardCharsets.UTF_8);

      assertThat(verifier(SECRET).verify(body, headers(SIGNATURE))).isSameAs(body);
    }

    @Test
    void sign_reproduces_the_known_answer_vector() {
      assertThat(verifier(SECRET).sign(ID, NOW, BODY)).isEqualTo(SIGNATURE);
    }

    @Test
    void accepts_a_bare_base64_secret_without_the_whsec_prefix() {
      Webhook bare = new Webhook(SECRET.substring("whsec_".length())).withClock(CLOCK);

      assertThatCode(() -> bare.verify(BODY, headers(SIGNATURE))).doesNotThrowAnyException();
    }

    @Test
    void signs_non_ascii_text_as_its_utf8_bytes() {
      Webhook webhook = verifier(SECRET);
      String text = "{\"name\":\"Zoë 🚀\"}";
      String signature = webhook.sign(ID, NOW, text.getBytes(StandardCharsets.UTF_8));

      assertThat(webhook.sign(ID, NOW, text)).isEqualTo(signature);
      assertThat(webhook.verify(text, headers(signature))).isEqualTo(text);
    }

    @Test
    void rejects_a_tampered_body() {
      assertThatThrownBy(
              () -> verifier(SECRET).verify("{\"test\": 2432232315}", headers(SIGNATURE)))
          .isInstanceOf(WebhookVerificationException.class)
          .hasMessage("No matching signature found");
    }

    @Test
    void rejects_a_body_with_one_extra_space() {
      assertThatThrownBy(() -> verifier(SECRET).verify(BODY + " ", headers(SIGNATURE)))
          .hasMessage("No matching signature found");
    }

    @Test
    void rejects_a_tampered_id() {
      Map<String, String> headers = headers("msg_other", TIMESTAMP, SIGNATURE);

      assertThatThrownBy(() -> verifier(SECRET).verify(BODY, headers))
          .hasMessage("No matching signature found");
    }

    @Test
    void rejects_a_signature_made_with_another_secret() {
      String other = "whsec_" + Base64.getEncoder().encodeToString(new byte[32]);

      assertThatThrownBy(() -> verifier(other).verify(BODY, headers(SIGNATURE)))
          .isInstanceOf(WebhookVerificationException.class)
          .hasMessage("No matching signature found");
    }

    @Test
    void rejects_a_signature_that_is_not_base64() {
      assertThatThrownBy(() -> verifier(SECRET).verify(BODY, headers("v1,not*base64!")))
          .hasMessage("No matching signature found");
    }

    @Test
    void rejects_a_header_with_only_the_identifier() {
      assertThatThrownBy(() -> verifier(SECRET).verify(BODY, headers("v1,")))
          .hasMessage("No matching signature found");
    }
  }

  @Nested
  class SignatureList {
    @Test
    void accepts_when_only_the_second_of_several_signatures_matches() {
      String wrong = "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

      assertThatCode(() -> verifier(SECRET).verify(BODY, headers(wrong + " " + SIGNATURE)))
          .doesNotThrowAnyException();
    }

    @Test
    void skips_unknown_identifiers_and_entries_without_a_comma() {
      String header = "v2,whatever nocomma v1a,AAAA  " + SIGNATURE;

      assertThatCode(() -> verifier(SECRET).verify(BODY, headers(header)))
          .doesNotThrowAnyException();
    }

    @Test
    void rejects_a_header_carrying_only_unknown_identifiers() {
      String v2 = "v2," + SIGNATURE.substring(3);

      assertThatThrownBy(() -> verifier(SECRET).verify(BODY, headers(v2 + " nocomma")))
          .hasMessage("No matching signature found");
    }

    @ParameterizedTest
    @ValueSource(strings = {"V1", "v1 ", "\tv1", "v01"})
    void compares_identifiers_exactly_and_case_sensitively(String identifier) {
      String header = identifier + SIGNATURE.substring(2);

      assertThatThrownBy(() -> verifier(SECRET).verify(BODY, headers(header)))
          .hasMessage("No matching signature found");
    }

    @Test
    void accepts_either_secret_of_a_rotation_trust_list() {
      String next = "whsec_" + Base64.getEncoder().encodeToString(new byte[24]);
      Webhook rotating = verifier(next, SECRET);

      assertThatCode(() -> rotating.verify(BODY, headers(SIGNATURE))).doesNotThrowAnyException();
    }

    @Test
    void sign_emits_one_entry_per_hmac_secret_in_trust_list_order() {
      String next = "whsec_" + Base64.getEncoder().encodeToString(new byte[24]);
      String nextSignature = verifier(next).sign(ID, NOW, BODY);

      assertThat(verifier(next, SECRET).sign(ID, NOW, BODY))
          .isEqualTo(nextSignature + " " + SIGNATURE);
    }
  }

  @Nested
  class Headers {
    @Test
    void looks_header_names_up_ignoring_case() {
      Map<String, String> headers =
          Map.of("Webhook-Id", ID, "WEBHOOK-TIMESTAMP", TIMESTAMP, "webhook-Signature", SIGNATURE);

      assertThatCode(() -> verifier(SECRET).verify(BODY, headers)).doesNotThrowAnyException();
    }

    @Test
    void falls_back_to_svix_headers() {
      Map<String, String> headers =
          Map.of("svix-id", ID, "Svix-Timestamp", TIMESTAMP, "svix-signature", SIGNATURE);

      assertThatCode(() -> verifier(SECRET).verify(BODY, headers)).doesNotThrowAnyException();
    }

    @Test
    void prefers_the_webhook_headers_when_both_sets_are_present() {
      Map<String, String> headers = new HashMap<>(headers(SIGNATURE));
      headers.put("svix-id", ID);
      headers.put("svix-timestamp", TIMESTAMP);
      headers.put("svix-signature", "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");

      assertThatCode(() -> verifier(SECRET).verify(BODY, headers)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"webhook-id", "webhook-timestamp", "webhook-signature"})
    void rejects_a_request_missing_any_required_header(String missing) {
      Map<String, String> headers = new HashMap<>(headers(SIGNATURE));
      headers.remove(missing);

      assertThatThrownBy(() -> verifier(SECRET).verify(BODY, headers))
          .isInstanceOf(WebhookVerificationException.class)
          .hasMessage("Missing required headers");
    }

    @Test
    void rejects_an_empty_header_as_missing() {
      assertThatThrownBy(() -> verifier(SECRET).verify(BODY, headers(ID, TIMESTAMP, "")))
          .hasMessage("Missing required headers");
    }

    @Test
    void rejects_null_header_values_as_missing() {
      assertThatThrownBy(() -> verifier(SECRET).verify(BODY, null, TIMESTAMP, SIGNATURE))
          .hasMessage("Missing required headers");
    }

    @Test
    void does_not_mix_a_partial_webhook_set_with_a_partial_svix_set() {
      Map<String, String> headers =
          Map.of("webhook-id", ID, "webhook-timestamp", TIMESTAMP, "svix-signature", SIGNATURE);

      assertThatThrownBy(() -> verifier(SECRET).verify(BODY, headers))
          .hasMessage("Missing required headers");
    }
  }

  @Nested
  class Timestamps {
    @ParameterizedTest
    @ValueSource(
        strings = {
          "abc",
          "1614265330.0",
          "1614265330000000000000",
          "+1614265330",
          "-1614265330",
          "01614265330",
          " 1614265330",
          "1614265330 ",
          "1_614_265_330",
          "١٦١٤٢٦٥٣٣٠"
        })
    void rejects_a_timestamp_that_is_not_canonical_decimal_seconds(String timestamp) {
      assertThatThrownBy(() -> verifier(SECRET).verify(BODY, headers(ID, timestamp, SIGNATURE)))
          .isInstanceOf(WebhookVerificationException.class)
          .hasMessage("Invalid Signature Headers");
    }

    @Test
    void accepts_a_timestamp_exactly_the_tolerance_in_the_past() {
      Webhook webhook = verifier(SECRET).withClock(at(NOW + 300));

      assertThatCode(() -> webhook.verify(BODY, headers(SIGNATURE))).doesNotThrowAnyException();
    }

    @Test
    void rejects_a_timestamp_one_second_older_than_the_tolerance() {
      Webhook webhook = verifier(SECRET).withClock(at(NOW + 301));

      assertThatThrownBy(() -> webhook.verify(BODY, headers(SIGNATURE)))
          .isInstanceOf(WebhookVerificationException.class)
          .hasMessage("Message timestamp too old");
    }

    @Test
    void accepts_a_timestamp_exactly_the_tolerance_in_the_future() {
      Webhook webhook = verifier(SECRET).withClock(at(NOW - 300));

      assertThatCode(() -> webhook.verify(BODY, headers(SIGNATURE))).doesNotThrowAnyException();
    }

    @Test
    void rejects_a_timestamp_one_second_newer_than_the_tolerance() {
      Webhook webhook = verifier(SECRET).withClock(at(NOW - 301));

      assertThatThrownBy(() -> webhook.verify(BODY, headers(SIGNATURE)))
          .isInstanceOf(WebhookVerificationException.class)
          .hasMessage("Message timestamp too new");
    }

    @Test
    void checks_freshness_before_the_signature() {
      Webhook webhook = verifier(SECRET).withClock(at(NOW + 3600));

      assertThatThrownBy(() -> webhook.verify(BODY, headers("v1,garbage")))
          .hasMessage("Message timestamp too old");
    }

    @Test
    void honours_a_configured_tolerance() {
      Webhook strict = verifier(SECRET).withTolerance(Duration.ofSeconds(10));
      Webhook lenient = verifier(SECRET).withTolerance(Duration.ofHours(1));

      assertThatCode(() -> strict.withClock(at(NOW + 10)).verify(BODY, headers(SIGNATURE)))
          .doesNotThrowAnyException();
      assertThatThrownBy(() -> strict.withClock(at(NOW + 11)).verify(BODY, headers(SIGNATURE)))
          .hasMessage("Message timestamp too old");
      assertThatCode(() -> lenient.withClock(at(NOW - 3600)).verify(BODY, headers(SIGNATURE)))
          .doesNotThrowAnyException();
    }

    @Test
    void a_huge_tolerance_widens_the_window_instead_of_overflowing() {
      Webhook webhook =
          verifier(SECRET).withTolerance(Duration.ofSeconds(Long.MAX_VALUE)).withClock(at(0));

      assertThatCode(() -> webhook.verify(BODY, headers(SIGNATURE))).doesNotThrowAnyException();
    }

    @Test
    void rejects_a_negative_tolerance() {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> verifier(SECRET).withTolerance(Duration.ofSeconds(-1)));
    }

    private static Clock at(long epochSecond) {
      return Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC);
    }
  }

  @Nested
  class Asymmetric {
    private final KeyPair pair = generateEd25519();

    @Test
    void verifies_a_v1a_signature_against_the_whpk_public_key() throws Exception {
      String header = "v1a," + signEd25519(pair, ID + "." + TIMESTAMP + "." + BODY);

      assertThat(verifier(publicKey(pair)).verify(BODY, headers(header))).isEqualTo(BODY);
    }

    @Test
    void rejects_a_v1a_signature_made_with_another_key() throws Exception {
      String header = "v1a," + signEd25519(generateEd25519(), ID + "." + TIMESTAMP + "." + BODY);

      assertThatThrownBy(() -> verifier(publicKey(pair)).verify(BODY, headers(header)))
          .isInstanceOf(WebhookVerificationException.class)
          .hasMessage("No matching signature found");
    }

    @Test
    void rejects_a_v1a_signature_over_a_tampered_body() throws Exception {
      String header = "v1a," + signEd25519(pair, ID + "." + TIMESTAMP + "." + BODY);

      assertThatThrownBy(() -> verifier(publicKey(pair)).verify(BODY + " ", headers(header)))
          .hasMessage("No matching signature found");
    }

    @Test
    void rejects_a_v1a_signature_sent_under_the_v1_identifier() throws Exception {
      String header = "v1," + signEd25519(pair, ID + "." + TIMESTAMP + "." + BODY);

      assertThatThrownBy(() -> verifier(publicKey(pair), SECRET).verify(BODY, headers(header)))
          .hasMessage("No matching signature found");
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1a,not*base64", "v1a,AAAA", "v1a,"})
    void treats_a_malformed_v1a_signature_as_no_match(String header) {
      assertThatThrownBy(() -> verifier(publicKey(pair)).verify(BODY, headers(header)))
          .hasMessage("No matching signature found");
    }

    @Test
    void verifies_v1_and_v1a_together_against_a_mixed_trust_list() throws Exception {
      Webhook both = verifier(SECRET, publicKey(pair));
      String v1a = "v1a," + signEd25519(pair, ID + "." + TIMESTAMP + "." + BODY);

      assertThatCode(() -> both.verify(BODY, headers(SIGNATURE))).doesNotThrowAnyException();
      assertThatCode(() -> both.verify(BODY, headers(v1a))).doesNotThrowAnyException();
      assertThatCode(() -> both.verify(BODY, headers("v2,x " + v1a + " " + SIGNATURE)))
          .doesNotThrowAnyException();
    }

    @Test
    void a_public_key_alone_cannot_sign() {
      assertThatIllegalStateException()
          .isThrownBy(() -> verifier(publicKey(pair)).sign(ID, NOW, BODY));
    }
  }

  @Nested
  class Secrets {
    @ParameterizedTest
    @ValueSource(strings = {"", "whsec_", "whpk_"})
    void rejects_an_empty_secret(String secret) {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> new Webhook(secret))
          .withMessage("Secret can't be empty");
    }

    @Test
    void rejects_a_null_secret() {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> new Webhook(null))
          .withMessage("Secret can't be empty");
    }

    @Test
    void rejects_an_empty_trust_list() {
      assertThatIllegalArgumentException().isThrownBy(() -> Webhook.trusting(List.of()));
    }

    @Test
    void rejects_a_secret_that_is_not_base64_without_echoing_it() {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> new Webhook("whsec_s3cr3t-with-dash"))
          .withMessageNotContaining("s3cr3t")
          .withNoCause();
    }

    @Test
    void rejects_a_whpk_key_that_is_not_32_bytes() {
      String tooShort = "whpk_" + Base64.getEncoder().encodeToString(new byte[31]);

      assertThatIllegalArgumentException()
          .isThrownBy(() -> new Webhook(tooShort))
          .withMessageContaining("32-byte");
    }

    @Test
    void refuses_a_whsk_private_key_and_points_to_the_public_key() {
      String privateKey = "whsk_" + Base64.getEncoder().encodeToString(new byte[32]);

      assertThatIllegalArgumentException()
          .isThrownBy(() -> new Webhook(privateKey))
          .withMessageContaining("whpk_");
    }
  }

  static KeyPair generateEd25519() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  // The raw key is the last 32 bytes of the JDK's X.509 encoding (after the fixed DER header).
  static String publicKey(KeyPair pair) {
    byte[] encoded = pair.getPublic().getEncoded();
    byte[] raw = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
    return "whpk_" + Base64.getEncoder().encodeToString(raw);
  }

  static String signEd25519(KeyPair pair, String content) throws GeneralSecurityException {
    Signature signer = Signature.getInstance("Ed25519");
    signer.initSign(pair.getPrivate());
    signer.update(content.getBytes(StandardCharsets.UTF_8));
    return Base64.getEncoder().encodeToString(signer.sign());
  }
}
