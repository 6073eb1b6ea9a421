package dev.herald.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SigningSecretTest {
  private static final String VECTOR = "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  private static String base64OfBytes(int n) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) 0x5a);
    return Base64.getEncoder().encodeToString(b);
  }

  @Test
  void generates_whsec_and_the_base64_of_twenty_four_random_bytes() {
    SigningSecret secret = SigningSecret.generate();

    assertThat(secret.text()).matches("whsec_[A-Za-z0-9+/]{32}");
    assertThat(secret.scheme()).isEqualTo(SigningSecret.Scheme.HMAC_SHA256);
    assertThat(secret.key()).hasSize(24);
    assertThat(Base64.getDecoder().decode(secret.text().substring(6))).isEqualTo(secret.key());
  }

  @Test
  void generates_a_different_secret_each_time() {
    assertThat(SigningSecret.generate().text()).isNotEqualTo(SigningSecret.generate().text());
  }

  @Test
  void a_generated_secret_parses_back_to_the_same_key() {
    SigningSecret generated = SigningSecret.generate();

    assertThat(SigningSecret.parse(generated.text()).key()).isEqualTo(generated.key());
  }

  @Test
  void parses_a_whsec_secret_to_its_decoded_bytes() {
    SigningSecret secret = SigningSecret.parse("whsec_" + VECTOR);

    assertThat(secret.text()).isEqualTo("whsec_" + VECTOR);
    assertThat(secret.scheme()).isEqualTo(SigningSecret.Scheme.HMAC_SHA256);
    assertThat(secret.key()).isEqualTo(Base64.getDecoder().decode(VECTOR)).hasSize(24);
  }

  @Test
  void parses_bare_base64_and_stores_it_with_the_whsec_prefix() {
    SigningSecret secret = SigningSecret.parse(VECTOR);

    assertThat(secret.text()).isEqualTo("whsec_" + VECTOR);
    assertThat(secret.key()).isEqualTo(Base64.getDecoder().decode(VECTOR));
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {24, 32, 48, 64})
  void accepts_twenty_four_to_sixty_four_bytes(int n) {
    assertThat(SigningSecret.parse("whsec_" + base64OfBytes(n)).key()).hasSize(n);
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {23, 65, 72})
  void refuses_fewer_than_twenty_four_or_more_than_sixty_four_bytes(int n) {
    assertThatThrownBy(() -> SigningSecret.parse("whsec_" + base64OfBytes(n)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the secret must decode to 24 to 64 bytes, got " + n);
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"", "whsec_", "whsec_short", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2La-_Sw"})
  void refuses_text_that_is_not_whsec_and_base64(String text) {
    assertThatThrownBy(() -> SigningSecret.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("the secret must be whsec_ followed by base64");
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(
      strings = {
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwA", // 33 characters: not a whole base64 unit
        "whsec_MfKQ9r8G=KYqrTwjUPD8ILPZIo2LaLaSw", // padding in the middle
      })
  void refuses_characters_from_the_alphabet_that_do_not_decode(String text) {
    assertThatThrownBy(() -> SigningSecret.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the secret is not valid base64");
  }

  @Test
  void parses_a_whsk_secret_holding_a_thirty_two_byte_seed_as_ed25519() {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) 7);
    SigningSecret secret = SigningSecret.parse("whsk_" + Base64.getEncoder().encodeToString(seed));

    assertThat(secret.scheme()).isEqualTo(SigningSecret.Scheme.ED25519);
    assertThat(secret.key()).isEqualTo(seed);
  }

  @Test
  void a_sixty_four_byte_whsk_key_keeps_its_leading_seed() {
    byte[] expanded = new byte[64];
    Arrays.fill(expanded, 0, 32, (byte) 1);
    Arrays.fill(expanded, 32, 64, (byte) 2);
    SigningSecret secret =
        SigningSecret.parse("whsk_" + Base64.getEncoder().encodeToString(expanded));

    assertThat(secret.key()).isEqualTo(Arrays.copyOf(expanded, 32));
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {31, 33, 48})
  void refuses_a_whsk_key_that_is_neither_a_seed_nor_an_expanded_key(int n) {
    assertThatThrownBy(() -> SigningSecret.parse("whsk_" + base64OfBytes(n)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32-byte seed");
  }

  @Test
  void to_string_hides_the_key() {
    assertThat(SigningSecret.parse("whsec_" + VECTOR).toString())
        .doesNotContain(VECTOR)
        .contains("***");
  }
}
