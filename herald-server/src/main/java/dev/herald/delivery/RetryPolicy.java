package dev.herald.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Decides what follows an attempt. Pure: the clock reading and the random number are passed in, so
 * every branch is testable without waiting.
 */
public final class RetryPolicy {

  /** The decision after an attempt. */
  public sealed interface Decision {
    record Delivered() implements Decision {}

    record Retry(Duration delay) implements Decision {}

    record GiveUp(String reason) implements Decision {}
  }

  static final double JITTER = 0.2;

  /** 429s and timeouts suggest an overloaded receiver: never come back sooner than this. */
  static final Duration OVERLOAD_MIN_DELAY = Duration.ofSeconds(60);

  private final List<Duration> schedule;

  public RetryPolicy(List<Duration> schedule) {
    this.schedule = List.copyOf(schedule);
  }

  /**
   * @param attemptsMade attempts made so far, including the one just finished (1 after the first)
   * @param manual a manual resend is tried once and never retried
   * @param random a uniform number in [0, 1) for the jitter
   */
  public Decision decide(
      AttemptOutcome outcome, int attemptsMade, boolean manual, Instant now, double random) {
    if (outcome.succeeded()) {
      return new Decision.Delivered();
    }
    if (outcome instanceof AttemptOutcome.Response r) {
      if (r.abortRequested()) {
        return new Decision.GiveUp("the receiver asked to stop (webhook-delivery: abort-message)");
      }
      if (r.status() == 410) {
        return new Decision.GiveUp("the receiver answered 410 Gone");
      }
    }
    if (manual) {
      return new Decision.GiveUp("manual attempts are not retried");
    }
    boolean retriesExhausted = attemptsMade > schedule.size();
    if (retriesExhausted) {
      return new Decision.GiveUp("all " + attemptsMade + " attempts failed");
    }
    Duration scheduled = schedule.get(attemptsMade - 1);
    Duration delay = jittered(scheduled, random);
    boolean overloaded =
        outcome instanceof AttemptOutcome.TimedOut
            || (outcome instanceof AttemptOutcome.Response r && r.status() == 429);
    if (overloaded && delay.compareTo(OVERLOAD_MIN_DELAY) < 0) {
      delay = OVERLOAD_MIN_DELAY;
    }
    if (outcome instanceof AttemptOutcome.Response r && r.retryAfter() != null) {
      Duration asked = parseRetryAfter(r.retryAfter(), now);
      if (asked != null) {
        // Honour the receiver within [scheduled, 2 x scheduled]: never hammer, never stall forever.
        delay = clamp(asked, scheduled, scheduled.multipliedBy(2));
        if (overloaded && delay.compareTo(OVERLOAD_MIN_DELAY) < 0) {
          delay = OVERLOAD_MIN_DELAY;
        }
      }
    }
    return new Decision.Retry(delay);
  }

  /** The scheduled delay scaled by a factor in [0.8, 1.2). */
  static Duration jittered(Duration scheduled, double random) {
    double factor = 1 - JITTER + 2 * JITTER * random;
    return Duration.ofMillis(Math.round(scheduled.toMillis() * factor));
  }

  /** Retry-After as delta-seconds or an HTTP date; null when it cannot be read. */
  static Duration parseRetryAfter(String value, Instant now) {
    String v = value.trim();
    if (v.matches("\\d{1,9}")) {
      return Duration.ofSeconds(Long.parseLong(v));
    }
    try {
      Instant at = DateTimeFormatter.RFC_1123_DATE_TIME.parse(v, Instant::from);
      Duration d = Duration.between(now, at);
      return d.isNegative() ? Duration.ZERO : d;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static Duration clamp(Duration d, Duration min, Duration max) {
    return d.compareTo(min) < 0 ? min : d.compareTo(max) > 0 ? max : d;
  }
}
