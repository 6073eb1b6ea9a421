package dev.herald.delivery;

import java.time.Instant;

/** One HTTP try of a delivery, as the attempt log records it (Svix's MessageAttemptOut). */
public record Attempt(
    String id,
    String orgId,
    String appId,
    String messageId,
    String endpointId,
    String deliveryId,
    String url,
    DeliveryStatus status,
    int responseStatusCode,
    String response,
    long responseDurationMs,
    TriggerType triggerType,
    Instant timestamp) {

  /** Svix's MessageAttemptTriggerType. */
  public enum TriggerType {
    SCHEDULED(0),
    MANUAL(1);

    private final int code;

    TriggerType(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }

    public static TriggerType of(int code) {
      return code == 1 ? MANUAL : SCHEDULED;
    }
  }
}
