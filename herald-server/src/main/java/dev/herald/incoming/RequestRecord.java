package dev.herald.incoming;

import java.time.Instant;
import java.util.Map;

/**
 * One request to an ingest URL as the request log keeps it: what happened ({@code status}:
 * accepted, duplicate, challenge, rejected), the reason of a refusal, and the headers with every
 * credential and signature redacted. Bodies are not kept.
 */
public record RequestRecord(
    String id,
    String orgId,
    String sourceId,
    String status,
    String reason,
    String detail,
    int httpStatus,
    String eventType,
    String dedupeKey,
    String messageId,
    Map<String, String> headers,
    long bodySize,
    Instant receivedAt,
    Instant expiresAt) {

  public static final String ACCEPTED = "accepted";
  public static final String DUPLICATE = "duplicate";
  public static final String CHALLENGE = "challenge";
  public static final String REJECTED = "rejected";

  /** What the API shows: everything but the org. */
  public record View(
      String id,
      String status,
      String reason,
      String detail,
      int httpStatus,
      String eventType,
      String dedupeKey,
      String messageId,
      Map<String, String> headers,
      long bodySize,
      Instant receivedAt) {}

  public View view() {
    return new View(
        id,
        status,
        reason,
        detail,
        httpStatus,
        eventType,
        dedupeKey,
        messageId,
        headers,
        bodySize,
        receivedAt);
  }
}
