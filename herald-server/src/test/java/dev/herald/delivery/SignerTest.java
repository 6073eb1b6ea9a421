package dev.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.endpoint.SigningSecret;
import dev.herald.verify.WebhookVerificationException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SignerTest {
  // The Svix / Standard Webhooks known-answer vector.
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String MSG_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  private static final long TIMESTAMP = 1614265330;
  private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
  private static final String EXPECTED = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

  private static final String OTHER_SECRET =
      "whsec_" + Base64.getEncoder().encodeToString("another-secret-of-32-bytes-long!".getBytes());

  // RFC 8032 section 7.1, test 1: a seed and the public key it determines.
  private static final byte[] SEED =
      HexFormat.of().parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  private static final byte[] RFC_8032_PUBLIC_KEY =
      HexFormat.of().parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  private static final String WHSK = "whsk_" + Base64.getEncoder().encodeToString(SEED);

  private static String sign(long timestamp, byte[] body, String... secrets) {
    List<SigningSecret> parsed = Arrays.stream(secrets).map(SigningSecret::parse).toList();
    return Signer.signatureHeader(MSG_ID, timestamp, body, parsed);
  }

  /**
   * The JDK derives an Ed25519 key pair from 32 random bytes; feeding it the seed gives its pair.
   */
  private static KeyPair ed25519KeyPairFromSeed(byte[] seed) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
    generator.initialize(
        255,
        new SecureRandom() {
          @Override
          public void nextBytes(byte[] bytes) {
            System.arraycopy(seed, 0, bytes, 0, bytes.length);
          }
        });
    return generator.generateKeyPair();
  }

  /** An X.509 Ed25519 public key is a fixed 12-byte header followed by the raw 32-byte key. */
  private static byte[] raw(PublicKey key) {
    byte[] encoded = key.getEncoded();
    return Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
  }

  private static String entry(String header, String identifier) {
    return Arrays.stream(header.split(" "))
        .filter(e -> e.startsWith(identifier + ","))
        .findFirst()
        .orElseThrow()
        .substring(identifier.length() + 1);
  }

  private static Map<String, List<String>> headers(String id, long timestamp, String signature) {
    return Map.of(
        "webhook-id", List.of(id),
        "webhook-timestamp", List.of(Long.toString(timestamp)),
        "webhook-signature", List.of(signature));
  }

  @Test
  void signs_the_known_answer_vector() {
    assertThat(sign(TIMESTAMP, BODY, SECRET)).isEqualTo(EXPECTED);
  }

  @Test
  void signs_the_same_vector_when_the_secret_has_no_prefix() {
    assertThat(sign(TIMESTAMP, BODY, "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).isEqualTo(EXPECTED);
  }

  @Test
  void a_different_timestamp_or_body_changes_the_signature() {
    assertThat(sign(TIMESTAMP + 1, BODY, SECRET)).isNotEqualTo(EXPECTED);
    assertThat(sign(TIMESTAMP, "{\"test\":2432232314}".getBytes(), SECRET)).isNotEqualTo(EXPECTED);
  }

  @Test
  void the_signed_content_is_id_dot_timestamp_dot_body() {
    assertThat(new String(Signer.signedContent(MSG_ID, TIMESTAMP, BODY), StandardCharsets.UTF_8))
        .isEqualTo("msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{\"test\": 2432232314}");
  }

  @Test
  void two_secrets_give_two_entries_separated_by_one_space_in_secret_order() {
    String header = sign(TIMESTAMP, BODY, SECRET, OTHER_SECRET);
    String[] entries = header.split(" ", -1);

    assertThat(entries).hasSize(2);
    assertThat(entries[0]).isEqualTo(EXPECTED);
    assertThat(entries[1]).isEqualTo(sign(TIMESTAMP, BODY, OTHER_SECRET)).isNotEqualTo(EXPECTED);
    assertThat(header).matches("v1,[A-Za-z0-9+/]{43}= v1,[A-Za-z0-9+/]{43}=");
  }

  @Test
  void no_secrets_give_an_empty_header() {
    assertThat(Signer.signatureHeader(MSG_ID, TIMESTAMP, BODY, List.of())).isEmpty();
  }

  @Test
  void the_jdk_derives_the_rfc_8032_public_key_from_the_seed() throws Exception {
    assertThat(raw(ed25519KeyPairFromSeed(SEED).getPublic())).isEqualTo(RFC_8032_PUBLIC_KEY);
  }

  @Test
  void an_ed25519_secret_gives_a_v1a_entry_that_the_jdk_verifies_with_the_seeds_public_key()
      throws Exception {
    String header = sign(TIMESTAMP, BODY, WHSK);
    assertThat(header).matches("v1a,[A-Za-z0-9+/]{86}==");
    byte[] signature = Base64.getDecoder().decode(entry(header, "v1a"));
    PublicKey publicKey = ed25519KeyPairFromSeed(SEED).getPublic();

    Signature verifier = Signature.getInstance("Ed25519");
    verifier.initVerify(publicKey);
    verifier.update(Signer.signedContent(MSG_ID, TIMESTAMP, BODY));
    assertThat(verifier.verify(signature)).isTrue();

    verifier.initVerify(publicKey);
    verifier.update(Signer.signedContent(MSG_ID, TIMESTAMP + 1, BODY));
    assertThat(verifier.verify(signature)).isFalse();
  }

  @Test
  void an_ed25519_signature_is_the_same_for_a_64_byte_key_holding_the_seed() {
    byte[] expanded = new byte[64];
    System.arraycopy(SEED, 0, expanded, 0, 32);
    System.arraycopy(RFC_8032_PUBLIC_KEY, 0, expanded, 32, 32);
    String whsk64 = "whsk_" + Base64.getEncoder().encodeToString(expanded);

    assertThat(sign(TIMESTAMP, BODY, whsk64)).isEqualTo(sign(TIMESTAMP, BODY, WHSK));
  }

  @Test
  void herald_verify_accepts_the_v1a_entry_with_the_whpk_public_key() {
    String whpk = "whpk_" + Base64.getEncoder().encodeToString(RFC_8032_PUBLIC_KEY);
    var verifier =
        new dev.herald.verify.Webhook(whpk)
            .withClock(Clock.fixed(Instant.ofEpochSecond(TIMESTAMP), ZoneOffset.UTC));
    String header = sign(TIMESTAMP, BODY, WHSK);
    String ts = Long.toString(TIMESTAMP);

    assertThat(verifier.verify(BODY, MSG_ID, ts, header)).isEqualTo(BODY);
    assertThatThrownBy(() -> verifier.verify("{}".getBytes(), MSG_ID, ts, header))
        .isInstanceOf(WebhookVerificationException.class)
        .hasMessage("No matching signature found");
  }

  @Test
  void herald_verify_accepts_a_mixed_header_with_either_trusted_key() {
    String whpk = "whpk_" + Base64.getEncoder().encodeToString(RFC_8032_PUBLIC_KEY);
    String header = sign(TIMESTAMP, BODY, SECRET, WHSK);
    String ts = Long.toString(TIMESTAMP);
    Clock then = Clock.fixed(Instant.ofEpochSecond(TIMESTAMP), ZoneOffset.UTC);

    assertThat(header).startsWith(EXPECTED + " v1a,");
    assertThatCode(
            () ->
                new dev.herald.verify.Webhook(SECRET)
                    .withClock(then)
                    .verify(BODY, MSG_ID, ts, header))
        .doesNotThrowAnyException();
    assertThatCode(
            () ->
                new dev.herald.verify.Webhook(whpk)
                    .withClock(then)
                    .verify(BODY, MSG_ID, ts, header))
        .doesNotThrowAnyException();
  }

  @Test
  void the_standard_webhooks_library_verifies_a_v1_signature_made_now() throws Exception {
    long now = Instant.now().getEpochSecond();
    String payload = "{\"type\":\"user.created\",\"data\":{\"id\":\"42\",\"name\":\"Zoë\"}}";
    String header = sign(now, payload.getBytes(StandardCharsets.UTF_8), SECRET);
    var library = new com.standardwebhooks.Webhook(SECRET);

    assertThatCode(() -> library.verify(payload, headers(MSG_ID, now, header)))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> library.verify(payload + " ", headers(MSG_ID, now, header)))
        .isInstanceOf(com.standardwebhooks.exceptions.WebhookVerificationException.class);
  }

  @Test
  void the_standard_webhooks_library_signs_what_herald_signs() throws Exception {
    long now = Instant.now().getEpochSecond();
    String payload = "{\"test\": 2432232314}";

    assertThat(new com.standardwebhooks.Webhook(OTHER_SECRET).sign(MSG_ID, now, payload))
        .isEqualTo(sign(now, payload.getBytes(StandardCharsets.UTF_8), OTHER_SECRET));
  }

  @Test
  void the_standard_webhooks_library_verifies_a_rotation_header_with_the_old_or_new_secret() {
    long now = Instant.now().getEpochSecond();
    String payload = "{\"rotated\":true}";
    String header = sign(now, payload.getBytes(StandardCharsets.UTF_8), SECRET, OTHER_SECRET, WHSK);

    assertThatCode(
            () ->
                new com.standardwebhooks.Webhook(SECRET)
                    .verify(payload, headers(MSG_ID, now, header)))
        .doesNotThrowAnyException();
    assertThatCode(
            () ->
                new com.standardwebhooks.Webhook(OTHER_SECRET)
                    .verify(payload, headers(MSG_ID, now, header)))
        .doesNotThrowAnyException();
  }
}
