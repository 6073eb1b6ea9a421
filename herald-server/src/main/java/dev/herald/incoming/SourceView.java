package dev.herald.incoming;

import dev.herald.incoming.verify.VerifierConfig;
import java.time.Instant;
import java.util.List;

/**
 * A source as the API shows it: secrets masked (never returned), the ingest URL, and {@code
 * unverified} set when the verifier is {@code none}, so nobody mistakes such a source for a checked
 * one.
 */
public record SourceView(
    String id,
    String uid,
    String name,
    boolean disabled,
    String ingestUrl,
    String previousIngestUrl,
    Instant previousIngestUrlExpiresAt,
    boolean unverified,
    VerifierView verifier,
    EventTypeRule eventType,
    DedupeRule dedupe,
    SuccessResponse response,
    int failureStatus,
    Integer rateLimit,
    Instant createdAt,
    Instant updatedAt) {

  public record VerifierView(
      String type,
      List<String> secrets,
      Integer toleranceSeconds,
      String publicUrl,
      String header,
      String algorithm,
      String encoding,
      String prefix) {}

  public static SourceView of(Source s, String publicUrl, Instant now) {
    VerifierConfig v = s.verifier();
    boolean previousValid =
        s.oldIngestId() != null
            && s.oldIngestExpiresAt() != null
            && s.oldIngestExpiresAt().isAfter(now);
    return new SourceView(
        s.id(),
        s.uid(),
        s.name(),
        s.disabled(),
        publicUrl + "/in/" + s.ingestId(),
        previousValid ? publicUrl + "/in/" + s.oldIngestId() : null,
        previousValid ? s.oldIngestExpiresAt() : null,
        v.type() == dev.herald.incoming.verify.Preset.NONE,
        new VerifierView(
            v.type().wireName(),
            v.secrets().stream().map(SourceView::mask).toList(),
            v.toleranceSeconds(),
            v.publicUrl(),
            v.header(),
            v.algorithm(),
            v.encoding(),
            v.prefix()),
        s.eventType(),
        s.dedupe(),
        s.response(),
        s.failureStatus(),
        s.rateLimit(),
        s.createdAt(),
        s.updatedAt());
  }

  /**
   * A secret as shown: its well-known prefix, then stars, then (for long random secrets) the last
   * four characters, enough to tell two secrets apart and far from enough to guess one.
   */
  static String mask(String secret) {
    String prefix = "";
    for (String known : List.of("whsec_", "whpk_")) {
      if (secret.startsWith(known)) {
        prefix = known;
      }
    }
    boolean showTail = secret.length() - prefix.length() >= 24;
    return prefix + "****" + (showTail ? secret.substring(secret.length() - 4) : "");
  }
}
