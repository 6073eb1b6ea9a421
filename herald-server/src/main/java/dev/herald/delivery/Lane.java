package dev.herald.delivery;

import java.util.ArrayDeque;

/**
 * One endpoint's queue on this node: leased deliveries waiting for a slot, those reserved by
 * accepting transactions or claims not yet over, and the count in flight, with the endpoint's own
 * {@code throttleRate}. Guarded by its own monitor: callers synchronise on the lane. What it holds
 * changes through its methods only, which tell the node's {@link Budget} when the lane becomes busy
 * or idle.
 */
final class Lane {
  final String endpointId;
  private final Budget budget;
  final ArrayDeque<DeliveryTask> queue = new ArrayDeque<>();
  final Throttle throttle = new Throttle();
  private int reserved;
  private int running;
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

  /**
   * The last answer found the endpoint unreachable: the next probe waits (see {@link #answered}).
   */
  private boolean probeWaits;

  private long nextProbeNanos;

  Lane(String endpointId, Budget budget) {
    this.endpointId = endpointId;
    this.budget = budget;
  }

  /** Requests this lane may have in flight at once: never more than its share of the budget. */
  int concurrency() {
    return Math.min(probing ? 1 : budget.endpointConcurrency, budget.share());
  }

  /**
   * Lanes may hold this many deliveries each, so one slow endpoint cannot fill all of memory, and
   * no more than their share of the node's budget, so slow endpoints together cannot fill it.
   */
  int capacity() {
    return Math.min(probing ? 2 : Math.max(budget.endpointConcurrency * 4, 16), budget.share());
  }

  int size() {
    return queue.size() + reserved + running;
  }

  int running() {
    return running;
  }

  boolean full() {
    return size() >= capacity();
  }

  /**
   * Whether an accepting transaction may reserve a slot here. Reservations of transactions not yet
   * committed do not count against the deliveries queued and in flight, only against each other: a
   * busy endpoint's next deliveries otherwise found its lane full of reservations waiting for the
   * group commit (200 a second for 50 ms and more is more than a share of 9), and went to the
   * database to wait for a claim (bench {@code slow-endpoints}). A lane that is full of work, as a
   * slow endpoint's is, still refuses; one that takes more than its share this way exceeds it by at
   * most one capacity, for as long as those transactions take.
   */
  boolean roomToAccept() {
    int capacity = capacity();
    return queue.size() + running < capacity && reserved < capacity;
  }

  /**
   * Whether the claim of all due work leaves this endpoint's rows out: the lane is full, or it left
   * work in the database and has a delivery in flight, whose end wakes the claim for this endpoint
   * alone if the lane has room then ({@link #roomForRefused}). A lane that left work behind with
   * nothing in flight is walked as before: nothing of its own may come to wake it. While receivers
   * are down every lane is probing with one request in flight and room for one more; walked, each
   * such lane's backlog filled the walk's page for one row taken, and the walks ran back to back
   * through the whole backlog, keeping PostgreSQL busy (docs/benchmarks.md).
   */
  boolean leftOutOfWalk() {
    return full() || (refused && running > 0);
  }

  /** Takes room for one delivery, to be queued ({@link #queueReserved}) or given back. */
  void reserve() {
    if (size() == 0) {
      budget.laneBusy();
    }
    reserved++;
  }

  /** Gives back {@code n} reservations that did not become deliveries here. */
  void unreserve(int n) {
    reserved -= n;
    idleWhenEmpty();
  }

  /** Turns a reservation into a queued delivery. */
  void queueReserved(DeliveryTask task) {
    reserved--;
    queue.add(task);
  }

  /** Takes the next queued delivery to send it. */
  DeliveryTask start() {
    running++;
    return queue.poll();
  }

  /**
   * A running request ended: its endpoint answered or could not be reached, or the attempt ended
   * without sending. Its result may still be waiting to be written (the node's budget counts it).
   */
  void finished() {
    running--;
    idleWhenEmpty();
  }

  /** Takes a queued delivery out without sending it (the node is stopping). */
  DeliveryTask dropQueued() {
    DeliveryTask task = queue.poll();
    idleWhenEmpty();
    return task;
  }

  private void idleWhenEmpty() {
    if (size() == 0) {
      budget.laneIdle();
    }
  }

  /**
   * Records whether the endpoint answered: its first answer (or the first after an outage) opens
   * the lane to full capacity. True when that opening should wake the claim loop, because work for
   * the endpoint was left in the database while the lane was closed.
   *
   * <p>Unreachable, the endpoint is probed again no earlier than {@code nextProbeNanos} ({@link
   * System#nanoTime}; ignored when it answered). A receiver that refuses connections fails each
   * request at once, and probes sent back to back went out as fast as their failures could be
   * written: while 100 receivers were down with 200,000 deliveries due, Herald wrote 1,000 to 2,000
   * failed attempts a second, and the database's writes went to recording them
   * (docs/benchmarks.md).
   */
  boolean answered(boolean unreachable, long nextProbeNanos) {
    boolean opened = probing && !unreachable && refused;
    probing = unreachable;
    probeWaits = unreachable;
    this.nextProbeNanos = nextProbeNanos;
    if (opened) {
      refused = false;
    }
    return opened;
  }

  /** Nanoseconds the next request waits: the probe of an endpoint found unreachable is spaced. */
  long probeWaitNanos(long nowNanos) {
    return probeWaits ? Math.max(0, nextProbeNanos - nowNanos) : 0;
  }

  /** After a delivery finished: true when work left in the database for want of room fits now. */
  boolean roomForRefused() {
    boolean room = refused && !full();
    if (room) {
      refused = false;
    }
    return room;
  }
}
