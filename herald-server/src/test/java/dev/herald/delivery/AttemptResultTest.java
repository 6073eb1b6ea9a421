package dev.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.ops.Metrics;
import dev.herald.store.DeliveryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pure function from an attempt's outcome to what it means: the delivery's state, the attempt
 * row, the counted outcome and the operational report. Decisions come from the real retry policy (a
 * random of 0.5 means no jitter), so each case reads as what happens to a delivery.
 */
class AttemptResultTest {
  private static final List<Duration> SCHEDULE =
      List.of(
          Duration.ofSeconds(5),
          Duration.ofMinutes(5),
          Duration.ofMinutes(30),
          Duration.ofHours(2),
          Duration.ofHours(5));
  private static final RetryPolicy POLICY = new RetryPolicy(SCHEDULE);
  private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant STARTED = Instant.parse("2026-01-01T00:00:10Z");
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:11Z");
  private static final String URL = "https://receiver.example/hook";

  @Test
  void a_2xx_delivers_and_writes_a_successful_attempt() {
    AttemptResult r =
        decide(task(0, false, false), new AttemptOutcome.Response(204, "ok", null, false));

    assertThat(r.status()).isEqualTo(DeliveryStatus.SUCCESS);
    assertThat(r.succeeded()).isTrue();
    assertThat(r.attemptsMade()).isEqualTo(1);
    assertThat(r.nextAttemptAt()).isNull();
    assertThat(r.metric()).isEqualTo(Metrics.Outcome.SUCCESS);
    assertThat(r.exhausted()).isFalse();
    assertThat(r.report()).isEqualTo(AttemptRecorder.Report.NONE);
    assertThat(r.attempt())
        .isEqualTo(
            new Attempt(
                "atmpt_1",
                "org_1",
                "app_1",
                "msg_1",
                "ep_1",
                "dlv_1",
                URL,
                DeliveryStatus.SUCCESS,
                204,
                "ok",
                250,
                Attempt.TriggerType.SCHEDULED,
                STARTED));
    assertThat(r.completion())
        .isEqualTo(
            new DeliveryStore.Completion("dlv_1", DeliveryStatus.SUCCESS.code(), 1, null, NOW));
  }

  @Test
  void a_5xx_with_attempts_left_keeps_the_delivery_pending_until_the_scheduled_retry() {
    AttemptResult r =
        decide(task(1, false, false), new AttemptOutcome.Response(503, "busy", null, false));

    assertThat(r.status()).isEqualTo(DeliveryStatus.PENDING);
    assertThat(r.attemptsMade()).isEqualTo(2);
    assertThat(r.nextAttemptAt()).isEqualTo(NOW.plus(SCHEDULE.get(1)));
    assertThat(r.attempt().status()).isEqualTo(DeliveryStatus.FAIL);
    assertThat(r.attempt().responseStatusCode()).isEqualTo(503);
    assertThat(r.attempt().response()).isEqualTo("busy");
    assertThat(r.metric()).isEqualTo(Metrics.Outcome.RETRY);
    assertThat(r.exhausted()).isFalse();
    assertThat(r.report()).isEqualTo(AttemptRecorder.Report.NONE);
    assertThat(r.completion().nextAttemptAt()).isEqualTo(r.nextAttemptAt());
    assertThat(r.completion().status()).isEqualTo(DeliveryStatus.PENDING.code());
  }

  @Test
  void a_410_gives_up_at_once_and_exhausts_the_delivery() {
    AttemptResult r =
        decide(task(0, false, false), new AttemptOutcome.Response(410, "gone", null, false));

    assertThat(r.status()).isEqualTo(DeliveryStatus.FAIL);
    assertThat(r.nextAttemptAt()).isNull();
    assertThat(r.metric()).isEqualTo(Metrics.Outcome.FAILED);
    assertThat(r.exhausted()).isTrue();
    assertThat(r.report()).isEqualTo(AttemptRecorder.Report.EXHAUSTED);
  }

  @Test
  void a_receiver_asking_to_abort_gives_up_at_once() {
    AttemptResult r =
        decide(task(0, false, false), new AttemptOutcome.Response(400, "no", null, true));

    assertThat(r.status()).isEqualTo(DeliveryStatus.FAIL);
    assertThat(r.exhausted()).isTrue();
    assertThat(r.metric()).isEqualTo(Metrics.Outcome.FAILED);
    assertThat(r.report()).isEqualTo(AttemptRecorder.Report.EXHAUSTED);
  }

  @Test
  void the_last_scheduled_attempt_failing_exhausts_the_delivery() {
    AttemptResult r =
        decide(task(SCHEDULE.size(), false, true), new AttemptOutcome.TimedOut("10 s"));

    assertThat(r.attemptsMade()).isEqualTo(SCHEDULE.size() + 1);
    assertThat(r.status()).isEqualTo(DeliveryStatus.FAIL);
    assertThat(r.nextAttemptAt()).isNull();
    assertThat(r.exhausted()).isTrue();
    assertThat(r.metric()).isEqualTo(Metrics.Outcome.FAILED);
    assertThat(r.report())
        .as("exhaustion is reported even after failing was")
        .isEqualTo(AttemptRecorder.Report.EXHAUSTED);
    assertThat(r.attempt().responseStatusCode()).isZero();
    assertThat(r.attempt().response()).isEqualTo("timeout: 10 s");
  }

  @Test
  void a_failed_manual_attempt_fails_the_delivery_without_exhausting_or_reporting() {
    AttemptResult r =
        decide(task(3, true, false), new AttemptOutcome.Response(500, "err", null, false));

    assertThat(r.status()).isEqualTo(DeliveryStatus.FAIL);
    assertThat(r.nextAttemptAt()).isNull();
    assertThat(r.exhausted()).isFalse();
    assertThat(r.metric()).isEqualTo(Metrics.Outcome.FAILED);
    assertThat(r.report())
        .as("a manual attempt is never reported failing, even at the fourth attempt")
        .isEqualTo(AttemptRecorder.Report.NONE);
    assertThat(r.attempt().triggerType()).isEqualTo(Attempt.TriggerType.MANUAL);
  }

  @Test
  void a_successful_manual_attempt_is_recorded_as_manual() {
    AttemptResult r =
        decide(task(2, true, false), new AttemptOutcome.Response(200, "", null, false));

    assertThat(r.status()).isEqualTo(DeliveryStatus.SUCCESS);
    assertThat(r.attempt().triggerType()).isEqualTo(Attempt.TriggerType.MANUAL);
    assertThat(r.exhausted()).isFalse();
  }

  @Test
  void herald_failing_before_sending_is_a_failed_attempt_that_is_retried() {
    AttemptResult r =
        decide(task(0, false, false), new AttemptOutcome.NotSent("cannot decrypt the secret"));

    assertThat(r.status()).isEqualTo(DeliveryStatus.PENDING);
    assertThat(r.nextAttemptAt()).isEqualTo(NOW.plus(SCHEDULE.get(0)));
    assertThat(r.attempt().status()).isEqualTo(DeliveryStatus.FAIL);
    assertThat(r.attempt().responseStatusCode()).isZero();
    assertThat(r.attempt().response()).isEqualTo("not sent: cannot decrypt the secret");
    assertThat(r.metric()).isEqualTo(Metrics.Outcome.RETRY);
  }

  @Test
  void a_blocked_request_is_counted_as_blocked_whether_retried_or_given_up() {
    AttemptOutcome blocked = new AttemptOutcome.Blocked("10.0.0.1 is a private address");

    AttemptResult retried = decide(task(0, false, false), blocked);
    AttemptResult givenUp = decide(task(SCHEDULE.size(), false, false), blocked);

    assertThat(retried.status()).isEqualTo(DeliveryStatus.PENDING);
    assertThat(retried.metric()).isEqualTo(Metrics.Outcome.BLOCKED);
    assertThat(retried.attempt().response()).isEqualTo("10.0.0.1 is a private address");
    assertThat(givenUp.status()).isEqualTo(DeliveryStatus.FAIL);
    assertThat(givenUp.metric()).isEqualTo(Metrics.Outcome.BLOCKED);
    assertThat(givenUp.exhausted()).isTrue();
  }

  @Test
  void a_connection_failure_records_its_detail() {
    AttemptResult r = decide(task(0, false, false), new AttemptOutcome.ConnectionFailed("refused"));

    assertThat(r.attempt().response()).isEqualTo("connection failed: refused");
    assertThat(r.metric()).isEqualTo(Metrics.Outcome.RETRY);
  }

  @Test
  void the_attempt_that_reaches_the_failing_threshold_reports_failing_once() {
    int before = AttemptReports.FAILING_AFTER_ATTEMPTS - 1;
    AttemptOutcome error = new AttemptOutcome.Response(500, "", null, false);

    AttemptResult first = decide(task(before, false, false), error);
    AttemptResult alreadyReported = decide(task(before, false, true), error);
    AttemptResult earlier = decide(task(before - 1, false, false), error);
    AttemptResult later = decide(task(before + 1, false, false), error);

    assertThat(first.status()).isEqualTo(DeliveryStatus.PENDING);
    assertThat(first.report()).isEqualTo(AttemptRecorder.Report.FAILING);
    assertThat(alreadyReported.report()).isEqualTo(AttemptRecorder.Report.NONE);
    assertThat(earlier.report()).isEqualTo(AttemptRecorder.Report.NONE);
    assertThat(later.report()).isEqualTo(AttemptRecorder.Report.NONE);
  }

  @Test
  void a_success_after_failing_was_reported_reports_recovery() {
    AttemptOutcome ok = new AttemptOutcome.Response(200, "", null, false);

    assertThat(decide(task(4, false, true), ok).report())
        .isEqualTo(AttemptRecorder.Report.RECOVERED);
    assertThat(decide(task(4, false, false), ok).report()).isEqualTo(AttemptRecorder.Report.NONE);
  }

  private static AttemptResult decide(DeliveryTask task, AttemptOutcome outcome) {
    RetryPolicy.Decision decision =
        POLICY.decide(outcome, task.attemptsMade() + 1, task.manual(), NOW, 0.5);
    return AttemptResult.of(
        task, URL, STARTED, new Sender.Result(outcome, 250), decision, NOW, "atmpt_1");
  }

  private static DeliveryTask task(int attemptsMade, boolean manual, boolean failingReported) {
    byte[] payload = {'{', '}'};
    return new DeliveryTask(
        "dlv_1",
        "org_1",
        "app_1",
        "msg_1",
        "ep_1",
        attemptsMade,
        manual,
        payload,
        null,
        CREATED,
        failingReported);
  }
}
