package dev.herald.testing;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waiting for asynchronous outcomes (a delivery recorded, a task finished) without fixed sleeps:
 * polls until the condition holds or a deadline passes, then fails with what was last seen.
 */
public final class Eventually {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);
  private static final long POLL_MILLIS = 25;

  private Eventually() {}

  /** Polls {@code read} until {@code done} accepts its value; returns that value. */
  public static <T> T await(String what, Supplier<T> read, Predicate<T> done) {
    return await(what, read, done, DEFAULT_TIMEOUT);
  }

  public static <T> T await(String what, Supplier<T> read, Predicate<T> done, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last;
    while (true) {
      last = read.get();
      if (done.test(last)) {
        return last;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "timed out after " + timeout + " waiting for " + what + "; last seen: " + last);
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      }
    }
  }
}
