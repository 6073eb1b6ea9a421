package dev.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.delivery.RetryPolicy.Decision;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetryPolicyTest {
  private static final List<Duration> SCHEDULE =
      DeliveryConfig.parseSchedule(DeliveryConfig.DEFAULT_RETRY_SCHEDULE);
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  /** The midpoint of [0, 1): jitter factor exactly 1. */
  private static final double NO_JITTER = 0.5;

  private final RetryPolicy policy = new RetryPolicy(SCHEDULE);

  private static AttemptOutcome.Response status(int status) {
    return new AttemptOutcome.Response(status, "", null, false);
  }

  private static AttemptOutcome.Response retryAfter(int status, String header) {
    return new AttemptOutcome.Response(status, "", header, false);
  }

  private static String httpDate(Instant at) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(at.atOffset(ZoneOffset.UTC));
  }

  private Decision afterFirstAttempt(AttemptOutcome outcome, double random) {
    return policy.decide(outcome, 1, false, NOW, random);
  }

  @Test
  void the_default_schedule_is_the_one_this_test_assumes() {
    assertThat(SCHEDULE)
        .containsExactly(
            Duration.ofSeconds(5),
            Duration.ofMinutes(5),
            Duration.ofMinutes(30),
            Duration.ofHours(2),
            Duration.ofHours(5),
            Duration.ofHours(10),
            Duration.ofHours(10));
  }

  @Test
  void retries_a_500_after_the_first_scheduled_delay() {
    assertThat(afterFirstAttempt(status(500), NO_JITTER))
        .isEqualTo(new Decision.Retry(Duration.ofSeconds(5)));
  }

  @Test
  void jitter_at_random_zero_shortens_the_delay_to_eighty_percent() {
    assertThat(afterFirstAttempt(status(500), 0.0))
        .isEqualTo(new Decision.Retry(Duration.ofMillis(4000)));
  }

  @Test
  void jitter_just_below_random_one_lengthens_the_delay_to_almost_one_hundred_twenty_percent() {
    // 5000 ms x (0.8 + 0.4 x 0.999) = 5998 ms
    assertThat(afterFirstAttempt(status(500), 0.999))
        .isEqualTo(new Decision.Retry(Duration.ofMillis(5998)));
  }

  @Test
  void jitter_stays_within_twenty_percent_for_every_random_number() {
    for (int i = 0; i < 1000; i++) {
      double random = i / 1000.0;
      Decision d = policy.decide(status(503), 3, false, NOW, random);
      Duration delay = ((Decision.Retry) d).delay();
      assertThat(delay).isBetween(Duration.ofMinutes(24), Duration.ofMinutes(36));
    }
  }

  @ParameterizedTest(name = "attempt {0}")
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7})
  void the_nth_failed_attempt_waits_the_nth_scheduled_delay(int attemptsMade) {
    assertThat(policy.decide(status(500), attemptsMade, false, NOW, NO_JITTER))
        .isEqualTo(new Decision.Retry(SCHEDULE.get(attemptsMade - 1)));
  }

  @Test
  void gives_up_once_the_first_attempt_and_every_scheduled_retry_have_failed() {
    int allAttempts = SCHEDULE.size() + 1;

    assertThat(policy.decide(status(500), allAttempts - 1, false, NOW, NO_JITTER))
        .isEqualTo(new Decision.Retry(Duration.ofHours(10)));
    assertThat(policy.decide(status(500), allAttempts, false, NOW, NO_JITTER))
        .isEqualTo(new Decision.GiveUp("all 8 attempts failed"));
  }

  @Test
  void an_empty_schedule_gives_up_after_the_first_failure() {
    RetryPolicy noRetries = new RetryPolicy(List.of());

    assertThat(noRetries.decide(status(500), 1, false, NOW, NO_JITTER))
        .isInstanceOf(Decision.GiveUp.class);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(ints = {200, 201, 202, 204, 299})
  void any_2xx_is_delivered(int code) {
    assertThat(afterFirstAttempt(status(code), NO_JITTER)).isEqualTo(new Decision.Delivered());
  }

  @Test
  void a_success_on_the_last_allowed_attempt_is_still_delivered() {
    assertThat(policy.decide(status(200), SCHEDULE.size() + 1, false, NOW, NO_JITTER))
        .isEqualTo(new Decision.Delivered());
  }

  @Test
  void a_410_gives_up_at_once_even_with_retries_left() {
    assertThat(afterFirstAttempt(status(410), NO_JITTER))
        .isEqualTo(new Decision.GiveUp("the receiver answered 410 Gone"));
  }

  @Test
  void the_abort_header_gives_up_at_once_even_with_retries_left() {
    var aborted = new AttemptOutcome.Response(500, "", null, true);

    assertThat(afterFirstAttempt(aborted, NO_JITTER)).isInstanceOf(Decision.GiveUp.class);
    assertThat(((Decision.GiveUp) afterFirstAttempt(aborted, NO_JITTER)).reason())
        .contains("abort-message");
  }

  @Test
  void a_failed_manual_attempt_is_never_retried() {
    assertThat(policy.decide(status(500), 1, true, NOW, NO_JITTER))
        .isEqualTo(new Decision.GiveUp("manual attempts are not retried"));
    assertThat(policy.decide(new AttemptOutcome.TimedOut("slow"), 1, true, NOW, NO_JITTER))
        .isInstanceOf(Decision.GiveUp.class);
  }

  @Test
  void a_successful_manual_attempt_is_delivered() {
    assertThat(policy.decide(status(200), 1, true, NOW, NO_JITTER))
        .isEqualTo(new Decision.Delivered());
  }

  @Test
  void a_429_waits_at_least_sixty_seconds_when_the_schedule_says_five() {
    assertThat(afterFirstAttempt(status(429), 0.999))
        .isEqualTo(new Decision.Retry(Duration.ofSeconds(60)));
  }

  @Test
  void a_timeout_waits_at_least_sixty_seconds_when_the_schedule_says_five() {
    assertThat(afterFirstAttempt(new AttemptOutcome.TimedOut("no answer in 15s"), 0.0))
        .isEqualTo(new Decision.Retry(Duration.ofSeconds(60)));
  }

  @Test
  void the_overload_minimum_never_shortens_a_longer_scheduled_delay() {
    assertThat(policy.decide(status(429), 2, false, NOW, NO_JITTER))
        .isEqualTo(new Decision.Retry(Duration.ofMinutes(5)));
  }

  @Test
  void a_refused_connection_keeps_the_short_scheduled_delay() {
    assertThat(afterFirstAttempt(new AttemptOutcome.ConnectionFailed("refused"), NO_JITTER))
        .isEqualTo(new Decision.Retry(Duration.ofSeconds(5)));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(ints = {301, 302, 303, 304, 307, 308})
  void a_redirect_is_a_failure_and_is_retried(int code) {
    assertThat(afterFirstAttempt(status(code), NO_JITTER))
        .isEqualTo(new Decision.Retry(Duration.ofSeconds(5)));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(ints = {400, 401, 404, 500, 502, 503, 504})
  void other_error_statuses_are_retried(int code) {
    assertThat(afterFirstAttempt(status(code), NO_JITTER)).isInstanceOf(Decision.Retry.class);
  }

  @Test
  void retry_after_seconds_within_the_window_is_honoured_exactly() {
    // Second attempt: scheduled 5 min, so the window is [300 s, 600 s]; jitter no longer applies.
    assertThat(policy.decide(retryAfter(503, "400"), 2, false, NOW, 0.0))
        .isEqualTo(new Decision.Retry(Duration.ofSeconds(400)));
  }

  @Test
  void retry_after_seconds_below_the_schedule_waits_the_scheduled_delay() {
    assertThat(policy.decide(retryAfter(503, "10"), 2, false, NOW, 0.999))
        .isEqualTo(new Decision.Retry(Duration.ofMinutes(5)));
  }

  @Test
  void retry_after_seconds_above_twice_the_schedule_waits_twice_the_schedule() {
    assertThat(policy.decide(retryAfter(503, "86400"), 2, false, NOW, NO_JITTER))
        .isEqualTo(new Decision.Retry(Duration.ofMinutes(10)));
  }

  @Test
  void retry_after_as_an_http_date_within_the_window_is_honoured() {
    String in450s = httpDate(NOW.plusSeconds(450));

    assertThat(policy.decide(retryAfter(503, in450s), 2, false, NOW, NO_JITTER))
        .isEqualTo(new Decision.Retry(Duration.ofSeconds(450)));
  }

  @Test
  void retry_after_as_an_http_date_is_clamped_to_the_window() {
    String inPast = httpDate(NOW.minusSeconds(3600));
    String tomorrow = httpDate(NOW.plus(Duration.ofDays(1)));

    assertThat(policy.decide(retryAfter(503, inPast), 2, false, NOW, NO_JITTER))
        .isEqualTo(new Decision.Retry(Duration.ofMinutes(5)));
    assertThat(policy.decide(retryAfter(503, tomorrow), 2, false, NOW, NO_JITTER))
        .isEqualTo(new Decision.Retry(Duration.ofMinutes(10)));
  }

  @Test
  void the_literal_http_date_from_rfc_9110_is_read() {
    Instant now = Instant.parse("1999-12-31T23:50:00Z");

    assertThat(RetryPolicy.parseRetryAfter("Fri, 31 Dec 1999 23:59:59 GMT", now))
        .isEqualTo(Duration.ofSeconds(599));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"soon", "", "-5", "1.5", "2026-03-01T12:05:00Z", "Sun, 99 Foo 2026"})
  void an_unreadable_retry_after_is_ignored(String header) {
    assertThat(RetryPolicy.parseRetryAfter(header, NOW)).isNull();
    // Falls back to the jittered schedule: random 0 gives 0.8 x 5 min.
    assertThat(policy.decide(retryAfter(503, header), 2, false, NOW, 0.0))
        .isEqualTo(new Decision.Retry(Duration.ofMinutes(4)));
  }

  @Test
  void a_429_with_a_short_retry_after_still_waits_sixty_seconds() {
    // Window for the first attempt is [5 s, 10 s]; the overload minimum then lifts it to 60 s.
    assertThat(afterFirstAttempt(retryAfter(429, "7"), NO_JITTER))
        .isEqualTo(new Decision.Retry(Duration.ofSeconds(60)));
  }
}
