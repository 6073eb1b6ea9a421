package dev.herald.store;

import java.util.List;

/**
 * Read-only SQL for the dashboard's charts: counts of an org's messages and attempts per time
 * bucket, over the rows Herald keeps anyway (nothing is written on the delivery path for them). Ids
 * start with their creation time, so a time range is a range of the primary key ({@code fromId} is
 * {@code Ids.lowerBound} of the range's start): each query reads the rows of its range through the
 * primary-key index and no more.
 */
public final class ActivityStore {
  /**
   * Upper bounds (ms) of the latency classes; the p95 is reported as the bound of its class. Long
   * latencies are retries: the classes grow to an hour.
   */
  public static final long[] LATENCY_BOUNDS_MS = {
    10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 300_000, 900_000,
    3_600_000
  };

  /** Messages accepted in one bucket. */
  public record MessageCount(int bucket, long count) {}

  /**
   * Attempts of one bucket with one outcome (0 delivered, 1 answered with an error status, 2 no
   * answer: timeout, refused connection, …) and, for delivered ones, one latency class (an index of
   * {@link #LATENCY_BOUNDS_MS}, or its length when beyond the last; -1 for the others).
   */
  public record AttemptCount(int bucket, int outcome, int latencyClass, long count) {}

  /** Due deliveries of the org now, and the due time of the oldest (null when none). */
  public record Backlog(long due, Long oldestDueAt) {}

  public List<MessageCount> messages(
      Sql sql, String orgId, String fromId, long fromMillis, long bucketMillis) {
    return sql.query(
        "SELECT (created_at - ?) / ? AS b, COUNT(*) AS n FROM message"
            + " WHERE id >= ? AND org_id = ? AND created_at >= ? GROUP BY b",
        rs -> new MessageCount(rs.getInt("b"), rs.getLong("n")),
        fromMillis,
        bucketMillis,
        fromId,
        orgId,
        fromMillis);
  }

  /**
   * The latency of a delivered attempt is from when its message was due (accepted, or its {@code
   * deliver_at}) to the attempt's record: one primary-key read of the message per delivered
   * attempt.
   */
  public List<AttemptCount> attempts(
      Sql sql, String orgId, String fromId, long fromMillis, long bucketMillis) {
    StringBuilder latency = new StringBuilder("CASE WHEN a.status <> 0 THEN -1");
    for (int i = 0; i < LATENCY_BOUNDS_MS.length; i++) {
      latency
          .append(" WHEN a.created_at - COALESCE(m.deliver_at, m.created_at) < ")
          .append(LATENCY_BOUNDS_MS[i])
          .append(" THEN ")
          .append(i);
    }
    latency.append(" ELSE ").append(LATENCY_BOUNDS_MS.length).append(" END");
    return sql.query(
        "SELECT (a.created_at - ?) / ? AS b,"
            + " CASE WHEN a.status = 0 THEN 0 WHEN a.response_status_code > 0 THEN 1 ELSE 2 END"
            + " AS outcome, "
            + latency
            + " AS lat, COUNT(*) AS n"
            + " FROM attempt a LEFT JOIN message m ON m.id = a.message_id AND a.status = 0"
            + " WHERE a.id >= ? AND a.org_id = ? AND a.created_at >= ?"
            + " GROUP BY b, outcome, lat",
        rs ->
            new AttemptCount(
                rs.getInt("b"), rs.getInt("outcome"), rs.getInt("lat"), rs.getLong("n")),
        fromMillis,
        bucketMillis,
        fromId,
        orgId,
        fromMillis);
  }

  /** Through the partial index {@code delivery_due} (due rows only). */
  public Backlog backlog(Sql sql, String orgId, long now) {
    return sql.queryOne(
            "SELECT COUNT(*) AS n, MIN(next_attempt_at) AS oldest FROM delivery"
                + " WHERE status = 1 AND next_attempt_at <= ? AND org_id = ?",
            rs -> new Backlog(rs.getLong("n"), Sql.nullableLong(rs, "oldest")),
            now,
            orgId)
        .orElse(new Backlog(0, null));
  }
}
