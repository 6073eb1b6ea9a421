package dev.herald.store;

import java.time.Instant;
import java.util.List;

/** Read-only counts of the delivery queue and of failing endpoints, for metrics and health. */
public final class QueueStatsStore {

  /** Counts over pending deliveries (status 1). */
  public record Counts(
      long pending, long dueNow, long inFlight, long leasedByDead, Long oldestDueAt) {}

  public Counts counts(Sql sql, Instant now) {
    return sql.queryOne(
            "SELECT COUNT(*),"
                + " SUM(CASE WHEN next_attempt_at <= ? AND (lease_expires_at IS NULL OR lease_expires_at < ?) THEN 1 ELSE 0 END),"
                + " SUM(CASE WHEN lease_expires_at >= ? THEN 1 ELSE 0 END),"
                + " SUM(CASE WHEN lease_owner IS NOT NULL AND lease_expires_at < ? THEN 1 ELSE 0 END),"
                + " MIN(CASE WHEN next_attempt_at <= ? AND (lease_expires_at IS NULL OR lease_expires_at < ?) THEN next_attempt_at END)"
                + " FROM delivery WHERE status = 1",
            rs -> {
              long oldest = rs.getLong(5);
              Long oldestAt = rs.wasNull() ? null : oldest;
              return new Counts(
                  rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), oldestAt);
            },
            now,
            now,
            now,
            now,
            now,
            now)
        .orElse(new Counts(0, 0, 0, 0, null));
  }

  /** An endpoint whose failure clock runs. */
  public record Failing(String endpointId, String appId, long failingSince) {}

  public long countFailing(Sql sql) {
    return sql.queryLong(
        "SELECT COUNT(*) FROM endpoint WHERE failing_since IS NOT NULL AND deleted_at IS NULL");
  }

  public List<Failing> topFailing(Sql sql, int limit) {
    return sql.query(
        "SELECT id, app_id, failing_since FROM endpoint WHERE failing_since IS NOT NULL"
            + " AND deleted_at IS NULL ORDER BY failing_since LIMIT ?",
        rs -> new Failing(rs.getString(1), rs.getString(2), rs.getLong(3)),
        limit);
  }
}
