package dev.herald.delivery;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What this node holds in memory, shared by the {@link Dispatcher} and its {@link ClaimLoop}: a
 * lane per endpoint, the number of deliveries held (queued, reserved or in flight, bounded by
 * {@code HERALD_MAX_IN_FLIGHT}) and their ids, the only leases the node extends.
 */
final class Holdings {
  final Budget budget;
  final Map<String, Lane> lanes = new ConcurrentHashMap<>();
  final AtomicInteger held = new AtomicInteger();

  /**
   * Of {@link #held}, deliveries whose endpoint answered and whose result waits for the writer: how
   * far the database is behind the endpoints ({@code herald_dispatcher_awaiting_write}).
   */
  final AtomicInteger awaitingWrite = new AtomicInteger();

  final Set<String> heldIds = ConcurrentHashMap.newKeySet();

  Holdings(Budget budget) {
    this.budget = budget;
  }

  /**
   * Takes one slot of the node's budget ({@code HERALD_MAX_IN_FLIGHT}) for a delivery about to be
   * held; false, taking nothing, when the budget is spent. Accepting requests and claims both take
   * it this way, one delivery at a time.
   */
  boolean tryHold() {
    if (held.incrementAndGet() > budget.maxInFlight) {
      held.decrementAndGet();
      return false;
    }
    return true;
  }

  /** The endpoint's lane, made on first use. */
  Lane lane(String endpointId) {
    return lanes.computeIfAbsent(endpointId, id -> new Lane(id, budget));
  }
}
