package dev.herald.config;

/**
 * The secrets a node starts with.
 *
 * @param bootstrapApiKey the default org's admin key on first start, or null to generate one
 * @param mainSecret the key that encrypts stored secrets, or null to use the data directory's key
 *     file
 */
public record KeysConfig(String bootstrapApiKey, String mainSecret) {
  public static final int MIN_BOOTSTRAP_KEY_LENGTH = 16;

  static KeysConfig fromEnv(Env env) {
    String bootstrapKey = env.string("HERALD_BOOTSTRAP_API_KEY", null);
    if (bootstrapKey != null && bootstrapKey.length() < MIN_BOOTSTRAP_KEY_LENGTH) {
      throw new ConfigException(
          "HERALD_BOOTSTRAP_API_KEY is too short: use at least "
              + MIN_BOOTSTRAP_KEY_LENGTH
              + " characters");
    }
    String mainSecret = env.string("HERALD_MAIN_SECRET", null);
    if (mainSecret != null && mainSecret.length() < 32) {
      throw new ConfigException("HERALD_MAIN_SECRET is too short: use at least 32 characters");
    }
    return new KeysConfig(bootstrapKey, mainSecret);
  }
}
