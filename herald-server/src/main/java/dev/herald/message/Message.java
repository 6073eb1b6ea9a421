package dev.herald.message;

import java.time.Instant;
import java.util.List;

/**
 * An accepted event. {@code payload} holds the exact bytes every delivery sends (and signs); it is
 * null once expunged or expired. {@code deliverAt}, when set, is when its deliveries are first due.
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
    Instant expiresAt,
    List<String> tags,
    Instant deliverAt) {

  public Message {
    channels = channels == null ? null : List.copyOf(channels);
    tags = tags == null ? null : List.copyOf(tags);
  }

  /** A message without tags, sent at once. */
  public Message(
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
    this(
        id,
        orgId,
        appId,
        eventType,
        eventId,
        channels,
        payload,
        traceparent,
        createdAt,
        expiresAt,
        null,
        null);
  }

  /** This message with tags and a delivery time. */
  public Message withTagsAndSchedule(List<String> tags, Instant deliverAt) {
    return new Message(
        id,
        orgId,
        appId,
        eventType,
        eventId,
        channels,
        payload,
        traceparent,
        createdAt,
        expiresAt,
        tags,
        deliverAt);
  }

  /**
   * When its deliveries are first due: {@code deliverAt} when scheduled later, else {@code now}.
   */
  public Instant firstDueAt(Instant now) {
    return deliverAt != null && deliverAt.isAfter(now) ? deliverAt : now;
  }
}
