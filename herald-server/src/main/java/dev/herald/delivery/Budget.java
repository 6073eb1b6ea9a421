package dev.herald.delivery;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's budget of deliveries held in memory ({@code HERALD_MAX_IN_FLIGHT}), shared fairly
 * among the endpoints whose lanes hold work: a lane may hold at most {@link #share()}, the budget
 * divided by the busy lanes plus one (room for a lane that is not busy yet).
 *
 * <p>Why: endpoints that are slow but answer are never probed, so each earns its full concurrency
 * and lane capacity. A hundred endpoints answering after 2 s held the whole budget (10 in flight
 * and 30 queued each, against 1,000), and a healthy endpoint's deliveries waited in the database
 * for a slot a slow one had just freed (bench {@code slow-endpoints}). With the share, those
 * hundred hold at most 9 each, and the rest of the budget is there for endpoints that answer. One
 * busy endpoint alone still gets its full concurrency and capacity.
 */
final class Budget {
  final int maxInFlight;
  final int endpointConcurrency;

  /** Lanes holding at least one delivery (queued, reserved or in flight). */
  private final AtomicInteger busyLanes = new AtomicInteger();

  Budget(int maxInFlight, int endpointConcurrency) {
    this.maxInFlight = maxInFlight;
    this.endpointConcurrency = endpointConcurrency;
  }

  /** The most one lane may hold now; at least one. */
  int share() {
    return Math.max(1, maxInFlight / (busyLanes.get() + 1));
  }

  int busyLanes() {
    return busyLanes.get();
  }

  void laneBusy() {
    busyLanes.incrementAndGet();
  }

  void laneIdle() {
    busyLanes.decrementAndGet();
  }
}
