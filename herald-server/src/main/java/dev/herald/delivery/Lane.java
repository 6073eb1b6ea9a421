package dev.herald.delivery;

import java.util.ArrayDeque;

/**
 * One endpoint's queue on this node: leased deliveries waiting for a slot, those reserved by
 * accepting transactions not yet committed, and the count in flight, with the endpoint's own {@code
 * throttleRate}. Guarded by its own monitor: callers synchronise on the lane.
 */
final class Lane {
  final String endpointId;
  final ArrayDeque<DeliveryTask> queue = new ArrayDeque<>();
  final Throttle throttle = new Throttle();
  int reserved;
  int running;
  Integer throttleRate;

  /**
   * The endpoint is ordered: each delivery that ends makes its next one due in the database, which
   * the claim loop is asked to take at once.
   */
  boolean ordered;

  /** False until an attempt has read the endpoint: only then is {@code throttleRate} known. */
  boolean rateKnown;

  boolean pumpScheduled;

  /**
   * Set after a timeout or a failed connection: the endpoint looks dead, so only one request at a
   * time probes it until one gets an answer. A dead endpoint then ties up one slot, not {@code
   * HERALD_ENDPOINT_CONCURRENCY} of them, and healthy endpoints keep the budget.
   *
   * <p>A new lane starts probing too (slow start): an endpoint earns its full concurrency and lane
   * capacity with its first answer, which a healthy receiver gives within milliseconds. Without
   * this, endpoints that hang from their first request each held a full lane for a whole request
   * timeout before they were known to be dead, and a hundred of them filled the node's budget while
   * a healthy endpoint's deliveries waited (bench {@code isolation}).
   */
  boolean probing = true;

  /** Work for this endpoint was left in the database because the lane was full. */
  boolean refused;

  Lane(String endpointId) {
    this.endpointId = endpointId;
  }

  int concurrency(int configured) {
    return probing ? 1 : configured;
  }

  /** Lanes may hold this many deliveries each, so one slow endpoint cannot fill all of memory. */
  int capacity(int configuredConcurrency) {
    return probing ? 2 : Math.max(configuredConcurrency * 4, 16);
  }

  int size() {
    return queue.size() + reserved + running;
  }

  boolean full(int configuredConcurrency) {
    return size() >= capacity(configuredConcurrency);
  }

  /**
   * Records whether the endpoint answered: its first answer (or the first after an outage) opens
   * the lane to full capacity. True when that opening should wake the claim loop, because work for
   * the endpoint was left in the database while the lane was closed.
   */
  boolean answered(boolean unreachable) {
    boolean opened = probing && !unreachable && refused;
    probing = unreachable;
    if (opened) {
      refused = false;
    }
    return opened;
  }

  /** After a delivery finished: true when work left in the database for want of room fits now. */
  boolean roomForRefused(int configuredConcurrency) {
    boolean room = refused && !full(configuredConcurrency);
    if (room) {
      refused = false;
    }
    return room;
  }
}
