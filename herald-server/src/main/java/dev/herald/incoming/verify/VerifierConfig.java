package dev.herald.incoming.verify;

import java.util.List;

/**
 * A source's verifier: the preset and its settings. {@code secrets} (1..3, newest last) are the
 * clear text, held only in memory; the store encrypts them.
 */
public record VerifierConfig(
    Preset type,
    List<String> secrets,
    Integer toleranceSeconds,
    String publicUrl,
    String header,
    String algorithm,
    String encoding,
    String prefix) {

  public static final int MAX_SECRETS = 3;

  public VerifierConfig {
    secrets = secrets == null ? List.of() : List.copyOf(secrets);
  }

  /** The time tolerance: the configured one, else the preset's. */
  long tolerance(long presetSeconds) {
    return toleranceSeconds == null ? presetSeconds : toleranceSeconds;
  }

  /** These settings with other secrets (rotation keeps everything else). */
  public VerifierConfig withSecrets(List<String> newSecrets) {
    return new VerifierConfig(
        type, newSecrets, toleranceSeconds, publicUrl, header, algorithm, encoding, prefix);
  }
}
