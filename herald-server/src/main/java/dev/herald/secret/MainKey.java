package dev.herald.secret;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The 256-bit key behind {@link SecretCipher}: derived from {@code HERALD_MAIN_SECRET} when set,
 * otherwise read from (or created in) {@code <data dir>/main.key}, readable by the owner only.
 */
public final class MainKey {
  private static final Logger log = LoggerFactory.getLogger(MainKey.class);
  static final String FILE_NAME = "main.key";

  private MainKey() {}

  /** Where {@link #resolve} takes the key from, as an operator would recognise it. */
  public static String describeSource(String mainSecret, Path dataDir) {
    return mainSecret != null ? "from HERALD_MAIN_SECRET" : "from " + dataDir.resolve(FILE_NAME);
  }

  public static byte[] resolve(String mainSecret, Path dataDir) {
    if (mainSecret != null) {
      return sha256(("herald-main-key:" + mainSecret).getBytes(StandardCharsets.UTF_8));
    }
    Path file = dataDir.resolve(FILE_NAME);
    try {
      if (Files.exists(file)) {
        return Base64.getDecoder().decode(Files.readString(file).trim());
      }
      Files.createDirectories(dataDir);
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n");
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        log.warn("cannot restrict permissions of {} on this file system", file);
      }
      log.info("created a new main key in {}; back it up with the database", file);
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the main key file " + file, e);
    }
  }

  private static byte[] sha256(byte[] input) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(input);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
