package dev.herald.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretCipherTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  private static byte[] newKey() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return key;
  }

  @Test
  void decrypting_returns_the_original_text() {
    SecretCipher cipher = new SecretCipher(newKey());
    String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw ünïcødé";

    assertThat(cipher.decrypt(cipher.encrypt(secret))).isEqualTo(secret);
  }

  @Test
  void encrypting_the_same_text_twice_gives_different_ciphertexts() {
    SecretCipher cipher = new SecretCipher(newKey());

    String a = cipher.encrypt("same secret");
    String b = cipher.encrypt("same secret");

    assertThat(a).isNotEqualTo(b).startsWith("v1:");
    assertThat(b).startsWith("v1:");
  }

  @Test
  void the_ciphertext_does_not_contain_the_plaintext() {
    String stored = new SecretCipher(newKey()).encrypt("plain-secret-value");

    assertThat(stored).doesNotContain("plain-secret-value");
  }

  @Test
  void decrypting_with_another_key_fails() {
    String stored = new SecretCipher(newKey()).encrypt("secret");

    assertThatIllegalStateException()
        .isThrownBy(() -> new SecretCipher(newKey()).decrypt(stored))
        .withMessageContaining("HERALD_MAIN_SECRET");
  }

  @Test
  void a_tampered_ciphertext_fails_to_decrypt() {
    SecretCipher cipher = new SecretCipher(newKey());
    byte[] raw = Base64.getDecoder().decode(cipher.encrypt("secret").substring("v1:".length()));
    raw[raw.length / 2] ^= 1;
    String tampered = "v1:" + Base64.getEncoder().encodeToString(raw);

    assertThatIllegalStateException().isThrownBy(() -> cipher.decrypt(tampered));
  }

  @Test
  void a_key_that_is_not_256_bits_is_refused() {
    assertThatIllegalArgumentException().isThrownBy(() -> new SecretCipher(new byte[16]));
  }

  @Test
  void the_main_secret_always_derives_the_same_key() {
    String mainSecret = "a-main-secret-of-at-least-32-characters";

    assertThat(MainKey.resolve(mainSecret, Path.of("unused")))
        .isEqualTo(MainKey.resolve(mainSecret, Path.of("unused")))
        .hasSize(32)
        .isNotEqualTo(MainKey.resolve(mainSecret + "!", Path.of("unused")));
  }

  @Test
  void without_a_main_secret_a_key_file_is_created_once_and_reused(@TempDir Path dataDir)
      throws Exception {
    byte[] first = MainKey.resolve(null, dataDir);
    byte[] second = MainKey.resolve(null, dataDir);

    assertThat(first).hasSize(32).isEqualTo(second);
    Path file = dataDir.resolve("main.key");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }
}
