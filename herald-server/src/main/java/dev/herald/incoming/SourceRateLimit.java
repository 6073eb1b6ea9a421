package dev.herald.incoming;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Each source's {@code rateLimit} on this node: a token bucket holding one second's worth of
 * requests, refilled continuously. Readings of a nanosecond clock are passed in, so tests need not
 * wait.
 */
final class SourceRateLimit {
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final LongSupplier nanos;

  SourceRateLimit(LongSupplier nanos) {
    this.nanos = nanos;
  }

  /** Whether one more request of the source may pass now; null rate = no limit. */
  boolean tryTake(String sourceId, Integer rate) {
    if (rate == null) {
      return true;
    }
    return buckets.computeIfAbsent(sourceId, id -> new Bucket()).tryTake(rate, nanos.getAsLong());
  }

  static final class Bucket {
    private double tokens = Double.NaN;
    private long last;

    synchronized boolean tryTake(int rate, long now) {
      if (Double.isNaN(tokens)) {
        tokens = rate;
        last = now;
      }
      tokens = Math.min(rate, tokens + (now - last) / 1e9 * rate);
      last = now;
      if (tokens < 1) {
        return false;
      }
      tokens -= 1;
      return true;
    }
  }
}
