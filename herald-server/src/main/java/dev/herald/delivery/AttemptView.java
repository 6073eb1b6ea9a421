package dev.herald.delivery;

import dev.herald.endpoint.UrlCredentials;
import java.time.Instant;

/** Svix's MessageAttemptOut. */
public record AttemptView(
    String id,
    String msgId,
    String endpointId,
    String url,
    String response,
    int responseStatusCode,
    long responseDurationMs,
    int status,
    String statusText,
    int triggerType,
    Instant timestamp) {

  public static AttemptView of(Attempt a, boolean withContent) {
    return new AttemptView(a.id(), a.messageId(), a.endpointId(), UrlCredentials.masked(a.url()),
        withContent && a.response() != null ? a.response() : "", a.responseStatusCode(), a.responseDurationMs(),
        a.status().code(), a.status().text(), a.triggerType().code(), a.timestamp());
  }
}
