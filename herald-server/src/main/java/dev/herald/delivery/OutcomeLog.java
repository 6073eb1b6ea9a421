package dev.herald.delivery;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per delivery attempt: DEBUG when it succeeded (routine at any volume), INFO when it
 * failed and will be retried or was given up. Names ids, status and timing only: never the URL (it
 * may carry credentials), headers or bodies.
 */
final class OutcomeLog {
  private static final Logger log = LoggerFactory.getLogger(OutcomeLog.class);

  private OutcomeLog() {}

  static void attempted(
      DeliveryTask task, int attempt, Sender.Result result, RetryPolicy.Decision decision) {
    if (decision instanceof RetryPolicy.Decision.Delivered && !log.isDebugEnabled()) {
      return;
    }
    String what =
        switch (result.outcome()) {
          case AttemptOutcome.Response r -> "HTTP " + r.status();
          case AttemptOutcome.TimedOut t -> "timed out";
          case AttemptOutcome.ConnectionFailed c -> "connection failed: " + c.detail();
          case AttemptOutcome.Blocked b -> "blocked: " + b.detail();
          case AttemptOutcome.NotSent n -> "not sent: " + n.detail();
          case AttemptOutcome.Cancelled c -> "cancelled: " + c.detail();
        };
    String prefix =
        "delivery "
            + task.deliveryId()
            + " of message "
            + task.messageId()
            + " to endpoint "
            + task.endpointId()
            + ": "
            + (task.manual() ? "manual attempt " : "attempt ")
            + attempt;
    long ms = result.durationMillis();
    switch (decision) {
      case RetryPolicy.Decision.Delivered d ->
          log.debug("{} delivered, {} in {} ms", prefix, what, ms);
      case RetryPolicy.Decision.Retry r ->
          log.info("{} failed, {} in {} ms; next attempt in {}", prefix, what, ms, r.delay());
      case RetryPolicy.Decision.GiveUp g ->
          log.info("{} failed, {} in {} ms; no more attempts: {}", prefix, what, ms, g.reason());
    }
  }
}
