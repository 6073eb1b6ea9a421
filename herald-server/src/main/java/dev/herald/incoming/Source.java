package dev.herald.incoming;

import dev.herald.incoming.verify.VerifierConfig;
import java.time.Instant;

/**
 * A source of incoming webhooks: requests to its ingest URL ({@code /in/<ingestId>}) that pass its
 * verifier become messages of its application. After a token rotation the previous ingest id keeps
 * working until {@code oldIngestExpiresAt}.
 *
 * @param rateLimit requests per second this node takes for the source, null for no limit
 */
public record Source(
    String id,
    String orgId,
    String appId,
    String uid,
    String name,
    boolean disabled,
    VerifierConfig verifier,
    EventTypeRule eventType,
    DedupeRule dedupe,
    SuccessResponse response,
    int failureStatus,
    Integer rateLimit,
    String ingestId,
    String oldIngestId,
    Instant oldIngestExpiresAt,
    Instant createdAt,
    Instant updatedAt) {

  public static final int DEFAULT_FAILURE_STATUS = 401;

  /** The parts of a source its owner sets (create, patch). */
  public record Settings(
      String uid,
      String name,
      boolean disabled,
      VerifierConfig verifier,
      EventTypeRule eventType,
      DedupeRule dedupe,
      SuccessResponse response,
      int failureStatus,
      Integer rateLimit) {}

  public Settings settings() {
    return new Settings(
        uid, name, disabled, verifier, eventType, dedupe, response, failureStatus, rateLimit);
  }

  public Source with(Settings s, Instant now) {
    return new Source(
        id,
        orgId,
        appId,
        s.uid(),
        s.name(),
        s.disabled(),
        s.verifier(),
        s.eventType(),
        s.dedupe(),
        s.response(),
        s.failureStatus(),
        s.rateLimit(),
        ingestId,
        oldIngestId,
        oldIngestExpiresAt,
        createdAt,
        now);
  }

  public Source withIngestId(String newIngestId, Instant oldValidUntil, Instant now) {
    return new Source(
        id,
        orgId,
        appId,
        uid,
        name,
        disabled,
        verifier,
        eventType,
        dedupe,
        response,
        failureStatus,
        rateLimit,
        newIngestId,
        ingestId,
        oldValidUntil,
        createdAt,
        now);
  }
}
