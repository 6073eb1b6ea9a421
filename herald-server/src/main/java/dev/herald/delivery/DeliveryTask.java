package dev.herald.delivery;

import java.time.Instant;

/**
 * A delivery leased to this node and waiting for (or in) its next attempt. {@code failingReported}
 * is true once an operational webhook said it was failing, so a later success reports recovery.
 * {@code messageCreatedAt} is when the message was accepted, or its {@code deliverAt} when
 * scheduled: the start of the delivery latency.
 */
public record DeliveryTask(
    String deliveryId,
    String orgId,
    String appId,
    String messageId,
    String endpointId,
    int attemptsMade,
    boolean manual,
    byte[] payload,
    String traceparent,
    Instant messageCreatedAt,
    boolean failingReported) {}
