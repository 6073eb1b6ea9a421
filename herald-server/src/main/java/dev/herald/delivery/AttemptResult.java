package dev.herald.delivery;

import dev.herald.ops.Metrics;
import dev.herald.store.DeliveryStore;
import java.time.Instant;

/**
 * What one attempt means, decided without side effects: the delivery's new state, the attempt row,
 * the outcome counted in {@code herald_deliveries_total} and the operational webhook it reports.
 * {@link #of} is a pure function of its arguments (the retry decision, the clock reading and the
 * attempt id are passed in), so every branch is testable without sending or storing anything; the
 * dispatcher hands its output to the attempt recorder and the metrics.
 *
 * @param status {@code SUCCESS}, {@code PENDING} (retried at {@code nextAttemptAt}) or {@code FAIL}
 * @param attemptsMade attempts made so far, including this one
 * @param nextAttemptAt when the retry is due; null unless {@code status} is {@code PENDING}
 * @param exhausted the delivery failed for good after automatic attempts (a manual attempt that
 *     fails leaves the delivery failed but never counts against the endpoint)
 * @param decidedAt the clock reading the decision was made at
 */
record AttemptResult(
    DeliveryStatus status,
    int attemptsMade,
    Instant nextAttemptAt,
    Attempt attempt,
    Metrics.Outcome metric,
    boolean exhausted,
    AttemptRecorder.Report report,
    Instant decidedAt) {

  static AttemptResult of(
      DeliveryTask task,
      String url,
      Instant started,
      Sender.Result result,
      RetryPolicy.Decision decision,
      Instant now,
      String attemptId) {
    AttemptOutcome outcome = result.outcome();
    int attemptsMade = task.attemptsMade() + 1;
    DeliveryStatus status =
        switch (decision) {
          case RetryPolicy.Decision.Delivered d -> DeliveryStatus.SUCCESS;
          case RetryPolicy.Decision.Retry r -> DeliveryStatus.PENDING;
          case RetryPolicy.Decision.GiveUp g -> DeliveryStatus.FAIL;
        };
    boolean succeeded = status == DeliveryStatus.SUCCESS;
    Instant next = decision instanceof RetryPolicy.Decision.Retry r ? now.plus(r.delay()) : null;
    Attempt attempt =
        new Attempt(
            attemptId,
            task.orgId(),
            task.appId(),
            task.messageId(),
            task.endpointId(),
            task.deliveryId(),
            url,
            succeeded ? DeliveryStatus.SUCCESS : DeliveryStatus.FAIL,
            statusCode(outcome),
            responseText(outcome),
            result.durationMillis(),
            task.manual() ? Attempt.TriggerType.MANUAL : Attempt.TriggerType.SCHEDULED,
            started);
    boolean exhausted = status == DeliveryStatus.FAIL && !task.manual();
    return new AttemptResult(
        status,
        attemptsMade,
        next,
        attempt,
        metric(decision, outcome),
        exhausted,
        report(task, decision, attemptsMade, exhausted),
        now);
  }

  boolean succeeded() {
    return status == DeliveryStatus.SUCCESS;
  }

  /** The delivery row's new state. */
  DeliveryStore.Completion completion() {
    return new DeliveryStore.Completion(
        attempt.deliveryId(), status.code(), attemptsMade, nextAttemptAt, decidedAt);
  }

  private static int statusCode(AttemptOutcome outcome) {
    return outcome instanceof AttemptOutcome.Response r ? r.status() : 0;
  }

  private static String responseText(AttemptOutcome outcome) {
    return switch (outcome) {
      case AttemptOutcome.Response r -> r.body();
      case AttemptOutcome.TimedOut t -> "timeout: " + t.detail();
      case AttemptOutcome.ConnectionFailed c -> "connection failed: " + c.detail();
      case AttemptOutcome.Blocked b -> b.detail();
      case AttemptOutcome.NotSent n -> "not sent: " + n.detail();
      case AttemptOutcome.Cancelled c -> "cancelled: " + c.detail();
    };
  }

  /** A request the SSRF guard refused is counted apart, whether it is retried or given up. */
  private static Metrics.Outcome metric(RetryPolicy.Decision decision, AttemptOutcome outcome) {
    boolean blocked = outcome instanceof AttemptOutcome.Blocked;
    return switch (decision) {
      case RetryPolicy.Decision.Delivered d -> Metrics.Outcome.SUCCESS;
      case RetryPolicy.Decision.Retry r ->
          blocked ? Metrics.Outcome.BLOCKED : Metrics.Outcome.RETRY;
      case RetryPolicy.Decision.GiveUp g ->
          blocked ? Metrics.Outcome.BLOCKED : Metrics.Outcome.FAILED;
    };
  }

  /**
   * Failing is reported once per delivery, when its automatic attempts reach {@link
   * AttemptReports#FAILING_AFTER_ATTEMPTS} and it is still retried; recovery only for a delivery
   * that was reported failing.
   */
  private static AttemptRecorder.Report report(
      DeliveryTask task, RetryPolicy.Decision decision, int attemptsMade, boolean exhausted) {
    boolean failingNow =
        decision instanceof RetryPolicy.Decision.Retry
            && !task.manual()
            && attemptsMade == AttemptReports.FAILING_AFTER_ATTEMPTS
            && !task.failingReported();
    boolean recovered =
        decision instanceof RetryPolicy.Decision.Delivered && task.failingReported();
    return exhausted
        ? AttemptRecorder.Report.EXHAUSTED
        : failingNow
            ? AttemptRecorder.Report.FAILING
            : recovered ? AttemptRecorder.Report.RECOVERED : AttemptRecorder.Report.NONE;
  }
}
