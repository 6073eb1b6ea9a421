package dev.herald.delivery;

import dev.herald.store.ApplicationStore;
import dev.herald.store.Database;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Applications' {@code throttleRate} as the dispatcher applies it: one {@link Throttle} per
 * application, shared by the lanes of all its endpoints, so requests to the application as a whole
 * start at most {@code rate} per second on this node (an endpoint's own rate still applies within
 * that). A rate is read by an attempt (off the lane lock) and cached for {@link #TTL}; until the
 * first read, requests to the application are not held back, as for a new endpoint lane.
 */
final class AppThrottles {
  static final Duration TTL = EndpointCache.TTL;

  private static final class Gate {
    final Throttle throttle = new Throttle();
    Integer rate;
    boolean known;
    long loadedAtNanos;
  }

  private final Database db;
  private final ApplicationStore store;

  /** Never pruned: one small object per application this node has sent to. */
  private final ConcurrentHashMap<String, Gate> gates = new ConcurrentHashMap<>();

  AppThrottles(Database db, ApplicationStore store) {
    this.db = db;
    this.store = store;
  }

  /**
   * Reads the application's rate when not known or older than {@link #TTL}. True when it was not
   * known before: the request that triggered the read started unthrottled and books its slot now.
   */
  boolean refresh(String appId, long nowNanos) {
    Gate gate = gates.computeIfAbsent(appId, id -> new Gate());
    synchronized (gate) {
      if (gate.known && nowNanos - gate.loadedAtNanos < TTL.toNanos()) {
        return false;
      }
    }
    Integer rate = db.read(sql -> store.throttleRate(sql, appId));
    synchronized (gate) {
      boolean first = !gate.known;
      gate.rate = rate;
      gate.known = true;
      gate.loadedAtNanos = nowNanos;
      if (first) {
        gate.throttle.tryAcquire(rate, nowNanos);
      }
      return first;
    }
  }

  /**
   * Nanoseconds until a request to the application may start; 0 = start now (the slot is booked).
   */
  long tryAcquire(String appId, long nowNanos) {
    Gate gate = gates.get(appId);
    if (gate == null) {
      return 0;
    }
    synchronized (gate) {
      return gate.known ? gate.throttle.tryAcquire(gate.rate, nowNanos) : 0;
    }
  }
}
