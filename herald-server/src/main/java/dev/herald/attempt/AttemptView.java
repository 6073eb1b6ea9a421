package dev.herald.attempt;

import dev.herald.delivery.Attempt;
import dev.herald.endpoint.UrlCredentials;
import dev.herald.message.Message;
import dev.herald.message.MessageView;
import java.time.Instant;

/**
 * Svix's MessageAttemptOut; {@code msg} only when asked for ({@code with_msg}), never with a
 * payload.
 */
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
    Instant timestamp,
    MessageView msg) {

  public static AttemptView of(Attempt a, boolean withContent) {
    return of(a, withContent, null);
  }

  public static AttemptView of(Attempt a, boolean withContent, Message msg) {
    return new AttemptView(
        a.id(),
        a.messageId(),
        a.endpointId(),
        UrlCredentials.masked(a.url()),
        withContent && a.response() != null ? a.response() : "",
        a.responseStatusCode(),
        a.responseDurationMs(),
        a.status().code(),
        a.status().text(),
        a.triggerType().code(),
        a.timestamp(),
        msg == null ? null : MessageView.of(msg, false));
  }
}
