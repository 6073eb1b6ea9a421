package dev.herald.secret;

import dev.herald.config.ConfigException;
import dev.herald.store.Database;
import dev.herald.store.SettingStore;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Makes every node prove it holds the main key the database's secrets were encrypted with. The
 * first node stores a check value (an HMAC of a fixed label under the key: it reveals nothing about
 * the key); a node whose key gives another value refuses to start. Without this, a node started
 * with another key joins a cluster, claims deliveries and fails each one, since it cannot decrypt
 * the endpoint secrets it must sign with.
 */
public final class MainKeyCheck {
  static final String SETTING = "main_key_check";
  private static final String LABEL = "herald main key check v1";

  private MainKeyCheck() {}

  /**
   * Stores the check value on first start, or verifies it.
   *
   * @param keySource how the operator chose the key, named in the refusal
   * @throws ConfigException when the key does not match the database
   */
  public static void verify(
      Database db,
      SettingStore store,
      byte[] key,
      SecretCipher cipher,
      String keySource,
      InstantSource clock) {
    String expected = checkValue(key);
    db.writeVoid(
        sql -> {
          sql.dialect().lockForSetup(sql);
          Optional<String> stored = store.find(sql, SETTING);
          if (stored.isPresent()) {
            if (!MessageDigest.isEqual(
                stored.get().getBytes(StandardCharsets.US_ASCII),
                expected.getBytes(StandardCharsets.US_ASCII))) {
              throw mismatch(keySource);
            }
            return;
          }
          // A database from before the check was stored: the key must still open what is there.
          Optional<String> sample = store.anyEncryptedSecret(sql);
          if (sample.isPresent() && !cipher.canDecrypt(sample.get())) {
            throw mismatch(keySource);
          }
          store.insert(sql, SETTING, expected, clock.instant());
        });
  }

  static String checkValue(byte[] key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return "v1:"
          + Base64.getEncoder()
              .encodeToString(mac.doFinal(LABEL.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  private static ConfigException mismatch(String keySource) {
    return new ConfigException(
        "HERALD_MAIN_SECRET: the main key ("
            + keySource
            + ") is not the one this database"
            + " was set up with; start every node with the same HERALD_MAIN_SECRET (or the original main.key)");
  }
}
