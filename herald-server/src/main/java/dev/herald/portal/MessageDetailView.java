package dev.herald.portal;

import dev.herald.attempt.AttemptLog.MessageEndpointView;
import dev.herald.attempt.AttemptView;
import dev.herald.message.Message;
import java.time.Instant;
import java.util.List;

/**
 * What {@code portal/message-detail.jte} shows: a message, its payload indented, and its deliveries
 * and attempts ({@link Attempts}, also served alone for polling).
 *
 * @param payload the payload as indented JSON text, or null once expired or expunged
 * @param notice a line about the last action (a resend queued or refused), or null
 */
public record MessageDetailView(
    PortalFrame frame, Message message, String payload, Attempts attempts, String notice) {

  /**
   * The deliveries of a message and its attempts, newest first, at every endpoint or at {@code
   * endpointId} only. While {@code poll} is set the fragment reloads itself from {@code pollUrl}.
   *
   * @param canResend whether the session may resend (CreateAttempts), so the buttons are shown
   */
  public record Attempts(
      String msgId,
      String endpointId,
      List<MessageEndpointView> deliveries,
      List<AttemptView> attempts,
      boolean canResend,
      String csrf,
      boolean poll,
      String pollUrl) {

    public Attempts {
      deliveries = List.copyOf(deliveries);
      attempts = List.copyOf(attempts);
    }

    public static String trigger(AttemptView a) {
      return a.triggerType() == 1 ? "manual (resend)" : "scheduled";
    }

    public static String nextRetry(MessageEndpointView d) {
      Instant next = d.nextAttempt();
      return next == null ? "" : DeliveryText.time(next);
    }
  }
}
