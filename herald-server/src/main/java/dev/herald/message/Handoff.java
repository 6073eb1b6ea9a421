package dev.herald.message;

import dev.herald.delivery.DeliveryConfig;
import dev.herald.delivery.DeliveryTask;
import dev.herald.delivery.Dispatcher;
import dev.herald.id.IdPrefix;
import dev.herald.id.Ids;
import dev.herald.ops.Metrics;
import dev.herald.store.DeliveryStore;
import dev.herald.store.Sql;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The deliveries one operation (a message create, a resend, an example) writes in its transaction.
 * Those this node can start at once are written already leased to it, each with a {@link
 * Dispatcher.Reservation} its dispatcher returned, committed once the transaction committed and
 * rolled back if it rolls back (or runs again).
 */
final class Handoff {
  /** What a handoff needs from the node, shared by every operation's handoff. */
  record Node(
      Dispatcher dispatcher,
      DeliveryConfig config,
      Ids ids,
      InstantSource clock,
      Metrics metrics) {}

  /** A delivery this node takes at once, with the slot its dispatcher reserved for it. */
  private record Taken(Dispatcher.Reservation reservation, DeliveryTask task) {}

  private final Node node;
  private final List<Taken> local = new ArrayList<>();

  /** Deliveries created by a message create, counted once committed; -1 for other operations. */
  int created = -1;

  /** Deliveries inserted by any operation (resend and send-example too), counted once committed. */
  private int inserted;

  Handoff(Node node) {
    this.node = node;
  }

  /** Forgets what a run of the transaction planned: it is rolled back, or about to run again. */
  void reset() {
    local.forEach(t -> t.reservation().rollback());
    local.clear();
    inserted = 0;
  }

  /**
   * The delivery rows of a message to these endpoints, reserving local slots for those due now; the
   * caller inserts them (several messages' rows in one statement). {@code failingReported}: the
   * deliveries carry on a failure already reported (a resend's recovery is news). A delivery to an
   * ordered endpoint that {@code heads} says waits is written without a due time.
   */
  List<DeliveryStore.NewDelivery> plan(
      Message m,
      List<String> endpointIds,
      boolean manual,
      boolean failingReported,
      OrderedHeads heads) {
    Instant now =
        m.createdAt().isAfter(node.clock().instant()) ? m.createdAt() : node.clock().instant();
    Instant leaseUntil = now.plus(node.config().leaseDuration());
    // A scheduled message waits in the database until due; a manual resend goes at once.
    Instant due = manual ? now : m.firstDueAt(now);
    boolean scheduled = due.isAfter(now);
    Dispatcher dispatcher = node.dispatcher();
    List<DeliveryStore.NewDelivery> rows = new ArrayList<>(endpointIds.size());
    for (String endpointId : endpointIds) {
      boolean waits = heads.waits(endpointId);
      Optional<Dispatcher.Reservation> reservation =
          scheduled || waits ? Optional.empty() : dispatcher.reserve(endpointId);
      boolean take = reservation.isPresent();
      String deliveryId = node.ids().next(IdPrefix.DELIVERY);
      rows.add(
          new DeliveryStore.NewDelivery(
              deliveryId,
              m.orgId(),
              m.appId(),
              m.id(),
              endpointId,
              manual,
              waits ? null : due,
              take ? dispatcher.nodeId() : null,
              take ? leaseUntil : null,
              now));
      if (take) {
        local.add(
            new Taken(
                reservation.get(),
                new DeliveryTask(
                    deliveryId,
                    m.orgId(),
                    m.appId(),
                    m.id(),
                    endpointId,
                    0,
                    manual,
                    m.payload(),
                    m.traceparent(),
                    m.createdAt(),
                    failingReported)));
      }
    }
    inserted += rows.size();
    return rows;
  }

  /**
   * Plans and inserts one message's deliveries (the operations that write one message at a time).
   */
  void insert(
      Sql sql,
      DeliveryStore deliveries,
      Message m,
      List<String> endpointIds,
      boolean manual,
      boolean failingReported,
      OrderedHeads heads) {
    List<DeliveryStore.NewDelivery> rows = plan(m, endpointIds, manual, failingReported, heads);
    deliveries.insert(sql, rows);
    if (failingReported) {
      deliveries.markFailingReported(
          sql, rows.stream().map(DeliveryStore.NewDelivery::id).toList());
    }
    notifyIfWaiting(sql, rows);
  }

  /** Some deliveries due now wait for the claim loop: wake other nodes' dispatchers too. */
  void notifyIfWaiting(Sql sql, List<DeliveryStore.NewDelivery> rows) {
    // A row due later than it was written is scheduled (deliverAt): the claim loop finds it then.
    if (rows.stream()
        .anyMatch(
            r ->
                r.leaseOwner() == null
                    && r.nextAttemptAt() != null
                    && !r.nextAttemptAt().isAfter(r.createdAt()))) {
      // This node's dispatcher comes back for what it refused (a lane or the budget was full):
      // only other nodes need waking.
      sql.dialect().notifyWork(sql, node.dispatcher().nodeId());
    }
  }

  /** After commit: counts what was written and hands this node's deliveries to its dispatcher. */
  void committed() {
    if (created >= 0) {
      node.metrics().messageAccepted(created);
    } else if (inserted > 0) {
      node.metrics().deliveriesCreated(inserted);
    }
    // Deliveries left unleased wait for a lane or budget to free up (the dispatcher then wakes its
    // claim loop), for their deliverAt, or for another node (NOTIFY). Waking the claim loop here
    // only made it walk past work it could not take, once per accepted message.
    local.forEach(t -> t.reservation().commit(t.task()));
  }
}
