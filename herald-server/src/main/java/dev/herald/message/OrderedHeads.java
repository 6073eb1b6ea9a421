package dev.herald.message;

import dev.herald.store.OrderedQueue;
import dev.herald.store.Sql;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * For one accepting transaction: which of its new deliveries to ordered endpoints must wait behind
 * an earlier pending one ({@link OrderedQueue}). The endpoints are locked when it opens, so no head
 * ends unseen before the transaction commits.
 */
final class OrderedHeads {
  /** For transactions that reach no ordered endpoint: nothing waits. */
  static final OrderedHeads NONE = new OrderedHeads(Set.of(), Set.of());

  private static final OrderedQueue QUEUE = new OrderedQueue();

  private final Set<String> ordered;

  /** Ordered endpoints with a pending delivery, this transaction's new ones included. */
  private final Set<String> busy;

  private OrderedHeads(Set<String> ordered, Set<String> busy) {
    this.ordered = ordered;
    this.busy = busy;
  }

  /** Locks these ordered endpoints and reads which of them have a pending delivery. */
  static OrderedHeads open(Sql sql, Collection<String> orderedEndpointIds) {
    if (orderedEndpointIds.isEmpty()) {
      return NONE;
    }
    QUEUE.lock(sql, orderedEndpointIds);
    return new OrderedHeads(
        Set.copyOf(orderedEndpointIds), new HashSet<>(QUEUE.busy(sql, orderedEndpointIds)));
  }

  /**
   * True when a new delivery to this endpoint waits behind an earlier one; false when it goes as
   * usual (the endpoint is not ordered, or this delivery becomes its head).
   */
  boolean waits(String endpointId) {
    return ordered.contains(endpointId) && !busy.add(endpointId);
  }
}
