package dev.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Times are nanoTime readings made up by the test; nothing waits. */
class ThrottleTest {
  private static final long MS = 1_000_000L;
  private static final long SECOND = 1_000 * MS;
  private static final long T0 = 7_000 * SECOND;

  private final Throttle throttle = new Throttle();

  @Test
  void the_first_request_goes_at_once() {
    assertThat(throttle.tryAcquire(5, T0)).isZero();
  }

  @Test
  void an_immediate_second_request_at_rate_five_waits_two_hundred_milliseconds() {
    throttle.tryAcquire(5, T0);

    assertThat(throttle.tryAcquire(5, T0)).isEqualTo(200 * MS);
  }

  @Test
  void a_request_part_way_through_the_interval_waits_only_the_rest() {
    throttle.tryAcquire(5, T0);

    assertThat(throttle.tryAcquire(5, T0 + 150 * MS)).isEqualTo(50 * MS);
    assertThat(throttle.tryAcquire(5, T0 + 200 * MS - 1)).isEqualTo(1);
  }

  @Test
  void asking_how_long_to_wait_books_nothing() {
    throttle.tryAcquire(5, T0);

    assertThat(throttle.waitNanos(5, T0 + 150 * MS)).isEqualTo(50 * MS);
    assertThat(throttle.waitNanos(5, T0 + 200 * MS)).isZero();
    assertThat(throttle.waitNanos(5, T0 + 200 * MS)).isZero();
    assertThat(throttle.tryAcquire(5, T0 + 200 * MS)).isZero();
    assertThat(throttle.waitNanos(null, T0 + 200 * MS)).isZero();
  }

  @Test
  void a_request_once_the_interval_has_passed_goes_at_once() {
    throttle.tryAcquire(5, T0);
    throttle.tryAcquire(5, T0); // refused: a refusal books nothing

    assertThat(throttle.tryAcquire(5, T0 + 200 * MS)).isZero();
    assertThat(throttle.tryAcquire(5, T0 + 200 * MS)).isEqualTo(200 * MS);
  }

  @Test
  void works_with_negative_nano_time_readings() {
    long negative = -3 * SECOND;

    assertThat(throttle.tryAcquire(5, negative)).isZero();
    assertThat(throttle.tryAcquire(5, negative)).isEqualTo(200 * MS);
  }

  @ParameterizedTest(name = "rate {0}")
  @ValueSource(ints = {0, -1})
  void a_zero_or_negative_rate_never_waits(int rate) {
    for (int i = 0; i < 100; i++) {
      assertThat(throttle.tryAcquire(rate, T0)).isZero();
    }
  }

  @Test
  void no_rate_never_waits() {
    for (int i = 0; i < 100; i++) {
      assertThat(throttle.tryAcquire(null, T0)).isZero();
    }
  }

  @Test
  void a_burst_of_twenty_never_puts_more_than_the_rate_in_any_one_second_window() {
    List<Long> starts = new ArrayList<>();
    long now = T0;
    for (int i = 0; i < 20; i++) {
      long wait = throttle.tryAcquire(5, now);
      while (wait > 0) {
        now += wait; // advance the clock exactly to when the throttle allows the request
        wait = throttle.tryAcquire(5, now);
      }
      starts.add(now);
    }

    for (long windowStart : starts) {
      long inWindow =
          starts.stream().filter(s -> s >= windowStart && s < windowStart + SECOND).count();
      assertThat(inWindow)
          .as("requests in [%d, %d + 1 s)", windowStart, windowStart)
          .isLessThanOrEqualTo(5);
    }
    // Spaced at exactly 1/rate: the throttle delays no more than it must.
    assertThat(starts.getLast() - starts.getFirst()).isEqualTo(19 * 200 * MS);
  }
}
