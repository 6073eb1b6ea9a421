package dev.herald.incoming.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every preset against requests signed as its provider documents (computed by {@link Signing}, not
 * by the verifiers): a valid request passes; a tampered body, a wrong secret, a stale timestamp and
 * a missing header fail with the right reason; with two secrets (rotation) either one passes.
 */
class PresetComputedTest {
  static final long T = 1_700_000_000L;
  static final byte[] BODY =
      "{\"id\":\"evt_1\",\"type\":\"charge.succeeded\",\"action\":\"opened\"}"
          .getBytes(StandardCharsets.UTF_8);

  /**
   * One preset's case: its settings (from the secrets), the signer, two secrets, the header whose
   * absence is tested, the stale tolerance (null: the preset checks no time), the reason of a wrong
   * secret, and whether the body is signed.
   */
  record Case(
      Preset preset,
      Function<List<String>, VerifierConfig> config,
      Signing.Signer signer,
      String secretA,
      String secretB,
      String requiredHeader,
      Long tolerance,
      Reason wrongSecret,
      boolean bodySigned) {
    @Override
    public String toString() {
      return preset.wireName();
    }
  }

  static VerifierConfig plain(Preset p, List<String> secrets) {
    return new VerifierConfig(p, secrets, null, null, null, null, null, null);
  }

  static Case simple(
      Preset p, Signing.Signer s, String header, Long tolerance, String a, String b) {
    return new Case(
        p, x -> plain(p, x), s, a, b, header, tolerance, Reason.SIGNATURE_MISMATCH, true);
  }

  static Stream<Case> cases() {
    String whA = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    String whB = "whsec_" + Signing.b64("another-key-of-32-bytes-long!!!!".getBytes());
    return Stream.of(
        simple(Preset.STRIPE, Signing.STRIPE, "Stripe-Signature", 300L, "whsec_a1", "whsec_b2"),
        simple(Preset.GITHUB, Signing.GITHUB, "X-Hub-Signature-256", null, "gh-a", "gh-b"),
        simple(Preset.SHOPIFY, Signing.SHOPIFY, "X-Shopify-Hmac-Sha256", null, "sh-a", "sh-b"),
        simple(Preset.SLACK, Signing.SLACK, "X-Slack-Signature", 300L, "sl-a", "sl-b"),
        simple(
            Preset.STANDARD_WEBHOOKS,
            Signing.standardWebhooks("webhook-"),
            "webhook-signature",
            300L,
            whA,
            whB),
        simple(Preset.SVIX, Signing.standardWebhooks("svix-"), "svix-signature", 300L, whA, whB),
        simple(Preset.PADDLE, Signing.PADDLE, "Paddle-Signature", 5L, "pdl_a", "pdl_b"),
        simple(Preset.LINEAR, Signing.LINEAR, "Linear-Signature", 60L, "lin-a", "lin-b"),
        simple(Preset.ZOOM, Signing.ZOOM, "x-zm-signature", 300L, "zm-a", "zm-b"),
        new Case(
            Preset.SQUARE,
            x ->
                new VerifierConfig(
                    Preset.SQUARE, x, null, Signing.PUBLIC_URL, null, null, null, null),
            Signing.SQUARE,
            "sq-a",
            "sq-b",
            "x-square-hmacsha256-signature",
            null,
            Reason.SIGNATURE_MISMATCH,
            true),
        new Case(
            Preset.MAILGUN,
            x -> plain(Preset.MAILGUN, x),
            Signing.MAILGUN,
            "mg-a",
            "mg-b",
            null,
            null,
            Reason.SIGNATURE_MISMATCH,
            false),
        new Case(
            Preset.SENDGRID,
            x -> plain(Preset.SENDGRID, x),
            Signing.SENDGRID,
            Signing.ecPublicKey("a"),
            Signing.ecPublicKey("b"),
            "X-Twilio-Email-Event-Webhook-Signature",
            null,
            Reason.SIGNATURE_MISMATCH,
            true),
        simple(
            Preset.TWITCH,
            Signing.TWITCH,
            "Twitch-Eventsub-Message-Signature",
            600L,
            "tw-a",
            "tw-b"),
        new Case(
            Preset.GITLAB,
            x -> plain(Preset.GITLAB, x),
            Signing.GITLAB_TOKEN,
            "gl-a",
            "gl-b",
            "X-Gitlab-Token",
            null,
            Reason.TOKEN_MISMATCH,
            false),
        new Case(
            Preset.HMAC,
            x ->
                new VerifierConfig(
                    Preset.HMAC, x, null, null, "X-Signature", "sha512", "base64", "sig="),
            Signing.HMAC_SHA512_BASE64,
            "hm-a",
            "hm-b",
            "X-Signature",
            null,
            Reason.SIGNATURE_MISMATCH,
            true),
        new Case(
            Preset.BASIC_AUTH,
            x -> plain(Preset.BASIC_AUTH, x),
            Signing.BASIC_AUTH,
            "user:pa:ss:word",
            "other:secret",
            "Authorization",
            null,
            Reason.CREDENTIALS_MISMATCH,
            false),
        new Case(
            Preset.API_KEY,
            x -> new VerifierConfig(Preset.API_KEY, x, null, null, null, null, null, "Bearer "),
            Signing.API_KEY,
            "key-a",
            "key-b",
            "Authorization",
            null,
            Reason.TOKEN_MISMATCH,
            false));
  }

  static Instant now() {
    return Instant.ofEpochSecond(T + 2);
  }

  static Verdict verify(Case c, List<String> secrets, InboundRequest r, Instant now) {
    VerifierConfig config = c.config().apply(secrets);
    assertThat(VerifierRules.check(config)).as("the test's settings are valid").isEmpty();
    return c.preset().verify(r, config, now);
  }

  static InboundRequest withBody(InboundRequest r, byte[] body) {
    return new InboundRequest(r.method(), r.rawQuery(), r.headers(), body, r.receivedAt());
  }

  static InboundRequest without(InboundRequest r, String header) {
    Map<String, List<String>> h = new LinkedHashMap<>(r.headers());
    h.remove(header.toLowerCase(java.util.Locale.ROOT));
    return new InboundRequest(r.method(), r.rawQuery(), h, r.body(), r.receivedAt());
  }

  static Reason reason(Verdict v) {
    return v instanceof Verdict.Invalid i ? i.reason() : null;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void a_request_signed_as_the_provider_documents_passes(Case c) {
    InboundRequest r = c.signer().sign(c.secretA(), BODY, T);
    assertThat(verify(c, List.of(c.secretA()), r, now())).isEqualTo(Verdict.VALID);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void a_tampered_body_fails_with_signature_mismatch(Case c) {
    if (!c.bodySigned()) {
      return;
    }
    InboundRequest r = c.signer().sign(c.secretA(), BODY, T);
    byte[] tampered =
        new String(r.body(), StandardCharsets.UTF_8)
            .replace("evt_1", "evt_2")
            .getBytes(StandardCharsets.UTF_8);
    assertThat(reason(verify(c, List.of(c.secretA()), withBody(r, tampered), now())))
        .isEqualTo(Reason.SIGNATURE_MISMATCH);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void a_wrong_secret_fails_with_the_presets_reason(Case c) {
    InboundRequest r = c.signer().sign(c.secretB(), BODY, T);
    assertThat(reason(verify(c, List.of(c.secretA()), r, now()))).isEqualTo(c.wrongSecret());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void a_stale_timestamp_fails_with_timestamp_outside_tolerance(Case c) {
    if (c.tolerance() == null) {
      return;
    }
    InboundRequest r = c.signer().sign(c.secretA(), BODY, T);
    Instant late = Instant.ofEpochSecond(T + c.tolerance() + 10);
    assertThat(reason(verify(c, List.of(c.secretA()), r, late)))
        .isEqualTo(Reason.TIMESTAMP_OUTSIDE_TOLERANCE);
    Instant justInside = Instant.ofEpochSecond(T + c.tolerance() - 1);
    assertThat(verify(c, List.of(c.secretA()), r, justInside)).isEqualTo(Verdict.VALID);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void a_missing_signature_header_fails_with_missing_header(Case c) {
    InboundRequest r = c.signer().sign(c.secretA(), BODY, T);
    InboundRequest stripped =
        c.requiredHeader() == null ? withBody(r, BODY) : without(r, c.requiredHeader());
    assertThat(reason(verify(c, List.of(c.secretA()), stripped, now())))
        .isEqualTo(Reason.MISSING_HEADER);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void with_two_secrets_a_request_signed_with_either_passes(Case c) {
    List<String> both = List.of(c.secretA(), c.secretB());
    assertThat(verify(c, both, c.signer().sign(c.secretA(), BODY, T), now()))
        .isEqualTo(Verdict.VALID);
    assertThat(verify(c, both, c.signer().sign(c.secretB(), BODY, T), now()))
        .isEqualTo(Verdict.VALID);
  }
}
