package dev.herald.delivery;

/**
 * An endpoint's {@code throttleRate}: requests are spaced at least 1/rate seconds apart, so no
 * one-second window ever sees a burst above the rate. Times are nanoTime readings passed in.
 */
final class Throttle {
  private long nextFreeNanos = Long.MIN_VALUE;

  /** Nanoseconds to wait before the next request may start under {@code rate}, without booking. */
  long waitNanos(Integer rate, long nowNanos) {
    if (rate == null || rate <= 0) {
      return 0;
    }
    return Math.max(0, nextFreeNanos - nowNanos);
  }

  /**
   * Nanoseconds to wait before the next request may start under {@code rate}; 0 = go now (and book
   * it).
   */
  long tryAcquire(Integer rate, long nowNanos) {
    if (rate == null || rate <= 0) {
      return 0;
    }
    if (nowNanos < nextFreeNanos) {
      return nextFreeNanos - nowNanos;
    }
    long interval = 1_000_000_000L / rate;
    nextFreeNanos = nowNanos + interval;
    return 0;
  }
}
