package dev.herald.message;

import java.time.Instant;
import java.util.List;

/**
 * An accepted event. {@code payload} holds the exact bytes every delivery sends (and signs); it is
 * null once expunged or expired.
 */
public record Message(
    String id,
    String orgId,
    String appId,
    String eventType,
    String eventId,
    List<String> channels,
    byte[] payload,
    String traceparent,
    Instant createdAt,
    Instant expiresAt) {

  public Message {
    channels = channels == null ? null : List.copyOf(channels);
  }
}
