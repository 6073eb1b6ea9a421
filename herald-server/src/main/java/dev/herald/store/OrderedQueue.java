package dev.herald.store;

import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The queues of ordered endpoints. Of an ordered endpoint's pending deliveries only the head (the
 * oldest) has a due time; the others wait with {@code next_attempt_at} NULL, where no claim looks,
 * and the next in id order (creation order) becomes due when the head succeeds or is exhausted. So
 * the existing claim and lease rules send them one at a time, in order, on any node, across
 * restarts.
 *
 * <p>Writers that add to a queue and writers that end its head both lock the endpoint's row first
 * (PostgreSQL; SQLite has one writer): otherwise an accept that saw a pending head could commit a
 * waiting delivery just after the head's end looked for one to promote, and the queue would stop.
 */
public final class OrderedQueue {

  /**
   * Locks these endpoints' rows, in id order (so two writers never lock two in opposite orders),
   * until the transaction ends.
   */
  public void lock(Sql sql, Collection<String> endpointIds) {
    if (endpointIds.isEmpty() || sql.dialect().oneWriterConnection()) {
      return;
    }
    List<String> sorted = endpointIds.stream().distinct().sorted().toList();
    sql.query(
        "SELECT id FROM endpoint WHERE id IN ("
            + placeholders(sorted.size())
            + ") ORDER BY id FOR UPDATE",
        rs -> rs.getString(1),
        sorted.toArray());
  }

  /** Of these endpoints, those with a pending delivery: a new one must wait behind it. */
  public Set<String> busy(Sql sql, Collection<String> endpointIds) {
    if (endpointIds.isEmpty()) {
      return Set.of();
    }
    List<String> ids = List.copyOf(new HashSet<>(endpointIds));
    return new HashSet<>(
        sql.query(busySql(sql.dialect(), ids.size()), rs -> rs.getString(1), ids.toArray()));
  }

  static String busySql(Dialect dialect, int endpoints) {
    return "SELECT DISTINCT endpoint_id FROM delivery WHERE endpoint_id IN ("
        + placeholders(endpoints)
        + ") AND "
        + dialect.pendingOfOrderedEndpoint();
  }

  /**
   * Makes the next waiting delivery of each endpoint due at {@code now}, unless it still has a
   * pending delivery with a due time (its head is still on its way).
   */
  public void promoteNext(Sql sql, Collection<String> endpointIds, Instant now) {
    List<Object[]> params =
        endpointIds.stream()
            .distinct()
            .sorted()
            .map(id -> new Object[] {now, now, id, id})
            .toList();
    if (params.isEmpty()) {
      return;
    }
    sql.batch(promoteNextSql(sql.dialect()), params);
  }

  static String promoteNextSql(Dialect dialect) {
    String pending = dialect.pendingOfOrderedEndpoint();
    return "UPDATE delivery SET next_attempt_at = ?, updated_at = ? WHERE id = (SELECT id FROM delivery"
        + " WHERE endpoint_id = ? AND "
        + pending
        + " AND next_attempt_at IS NULL ORDER BY id LIMIT 1)"
        + " AND NOT EXISTS (SELECT 1 FROM delivery WHERE endpoint_id = ? AND "
        + pending
        + " AND next_attempt_at IS NOT NULL)";
  }

  private static String placeholders(int n) {
    return String.join(", ", Collections.nCopies(n, "?"));
  }
}
