package dev.herald.incoming.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The variants the computed table does not cover (computed cases, no published vectors): Standard
 * Webhooks' asymmetric {@code v1a} (Ed25519 with a {@code whpk_} key), GitLab's signing token
 * (Standard Webhooks headers) beside its plain token, and several signatures in one header.
 */
class AsymmetricAndTokenVariantsTest {
  static final long T = 1_700_000_000L;
  static final String BODY = "{\"type\":\"user.created\"}";

  static VerifierConfig config(Preset p, String... secrets) {
    return new VerifierConfig(p, List.of(secrets), null, null, null, null, null, null);
  }

  static Reason reason(Verdict v) {
    return v instanceof Verdict.Invalid i ? i.reason() : null;
  }

  static String v1a(KeyPair keys, String id, long t, String body) throws Exception {
    Signature s = Signature.getInstance("Ed25519");
    s.initSign(keys.getPrivate());
    s.update((id + "." + t + "." + body).getBytes(StandardCharsets.UTF_8));
    return "v1a," + Base64.getEncoder().encodeToString(s.sign());
  }

  static String whpk(KeyPair keys) {
    byte[] spki = keys.getPublic().getEncoded();
    return "whpk_"
        + Base64.getEncoder()
            .encodeToString(Arrays.copyOfRange(spki, spki.length - 32, spki.length));
  }

  @Test
  void a_v1a_signature_verifies_with_the_whpk_public_key_and_not_with_another() throws Exception {
    KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    InboundRequest r =
        Signing.request(
            Map.of(
                "webhook-id",
                "msg_1",
                "webhook-timestamp",
                String.valueOf(T),
                "webhook-signature",
                "v1,bm9wZQ== " + v1a(keys, "msg_1", T, BODY)),
            BODY.getBytes(StandardCharsets.UTF_8));
    Instant now = Instant.ofEpochSecond(T + 1);
    VerifierConfig right = config(Preset.STANDARD_WEBHOOKS, whpk(keys));
    assertThat(VerifierRules.check(right)).isEmpty();
    assertThat(Preset.STANDARD_WEBHOOKS.verify(r, right, now)).isEqualTo(Verdict.VALID);
    assertThat(reason(Preset.STANDARD_WEBHOOKS.verify(r, config(Preset.SVIX, whpk(other)), now)))
        .isEqualTo(Reason.SIGNATURE_MISMATCH);
  }

  @Test
  void a_header_without_v1_or_v1a_entries_is_no_v1_signature() {
    InboundRequest r =
        Signing.request(
            Map.of(
                "webhook-id",
                "m",
                "webhook-timestamp",
                String.valueOf(T),
                "webhook-signature",
                "v2,abc"),
            BODY.getBytes(StandardCharsets.UTF_8));
    assertThat(
            reason(
                Preset.STANDARD_WEBHOOKS.verify(
                    r,
                    config(Preset.STANDARD_WEBHOOKS, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
                    Instant.ofEpochSecond(T))))
        .isEqualTo(Reason.NO_V1_SIGNATURE);
    InboundRequest stripe =
        Signing.request(
            Map.of("Stripe-Signature", "t=" + T + ",v0=abc"),
            BODY.getBytes(StandardCharsets.UTF_8));
    assertThat(
            reason(
                Preset.STRIPE.verify(
                    stripe, config(Preset.STRIPE, "whsec_x"), Instant.ofEpochSecond(T))))
        .isEqualTo(Reason.NO_V1_SIGNATURE);
  }

  @Test
  void gitlab_takes_its_signing_token_as_standard_webhooks_and_its_plain_token_otherwise() {
    String signing =
        "whsec_"
            + Base64.getEncoder().encodeToString("gitlab-signing-key-32-bytes-long".getBytes());
    VerifierConfig c = config(Preset.GITLAB, "plain-token", signing);
    InboundRequest signed = Signing.standardWebhooks("webhook-").sign(signing, BODY.getBytes(), T);
    assertThat(Preset.GITLAB.verify(signed, c, Instant.ofEpochSecond(T))).isEqualTo(Verdict.VALID);
    assertThat(reason(Preset.GITLAB.verify(signed, c, Instant.ofEpochSecond(T + 400))))
        .isEqualTo(Reason.TIMESTAMP_OUTSIDE_TOLERANCE);
    InboundRequest token = Signing.GITLAB_TOKEN.sign("plain-token", BODY.getBytes(), T);
    assertThat(Preset.GITLAB.verify(token, c, Instant.now())).isEqualTo(Verdict.VALID);
  }

  @Test
  void stripe_accepts_any_of_several_v1_signatures_and_a_timestamp_ahead_of_the_clock() {
    String good = Signing.hex(Signing.hmac256("whsec_k", T + "." + BODY));
    InboundRequest r =
        Signing.request(
            Map.of("Stripe-Signature", "t=" + T + ",v1=" + "00".repeat(32) + ",v1=" + good),
            BODY.getBytes(StandardCharsets.UTF_8));
    VerifierConfig c = config(Preset.STRIPE, "whsec_k");
    assertThat(Preset.STRIPE.verify(r, c, Instant.ofEpochSecond(T))).isEqualTo(Verdict.VALID);
    // Past only, as stripe-java: a sender's clock ahead of ours is not refused.
    assertThat(Preset.STRIPE.verify(r, c, Instant.ofEpochSecond(T - 3600)))
        .isEqualTo(Verdict.VALID);
  }
}
