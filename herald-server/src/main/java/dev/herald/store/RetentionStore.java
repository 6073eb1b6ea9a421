package dev.herald.store;

import java.time.Instant;
import java.util.Collections;
import java.util.List;

/**
 * SQL for pruning old data in small batches. Each call deletes at most {@code batch} rows of one
 * kind, so no statement holds locks for long and several nodes may prune at once (they merely find
 * less to do). Time ranges on ids use the primary key: ids sort by creation time.
 */
public final class RetentionStore {

  /** Payloads past their message's retention period. */
  public int deleteExpiredPayloads(Sql sql, Instant now, int batch) {
    return sql.update(
        "DELETE FROM message_payload WHERE message_id IN"
            + " (SELECT message_id FROM message_payload WHERE expires_at < ? LIMIT ?)",
        now,
        batch);
  }

  /** Attempts created before the id bound. */
  public int deleteAttemptsBefore(Sql sql, String attemptIdBound, int batch) {
    return sql.update(
        "DELETE FROM attempt WHERE id IN (SELECT id FROM attempt WHERE id < ? LIMIT ?)",
        attemptIdBound,
        batch);
  }

  /**
   * Messages created before the id bound whose deliveries are all final, with their deliveries and
   * payloads. A message with a delivery still pending is kept until it settles.
   */
  public int deleteMessagesBefore(Sql sql, String messageIdBound, int batch) {
    List<String> ids =
        sql.query(
            "SELECT m.id FROM message m WHERE m.id < ? AND NOT EXISTS"
                + " (SELECT 1 FROM delivery d WHERE d.message_id = m.id AND d.status = 1) ORDER BY m.id LIMIT ?",
            rs -> rs.getString(1),
            messageIdBound,
            batch);
    if (ids.isEmpty()) {
      return 0;
    }
    String marks = String.join(", ", Collections.nCopies(ids.size(), "?"));
    Object[] args = ids.toArray();
    sql.update("DELETE FROM delivery WHERE message_id IN (" + marks + ")", args);
    sql.update("DELETE FROM message_payload WHERE message_id IN (" + marks + ")", args);
    return sql.update("DELETE FROM message WHERE id IN (" + marks + ")", args);
  }

  public int deleteExpiredIdempotencyKeys(Sql sql, Instant now, int batch) {
    return sql.update(
        "DELETE FROM idempotency WHERE (org_id, idem_key) IN"
            + " (SELECT org_id, idem_key FROM idempotency WHERE expires_at < ? LIMIT ?)",
        now,
        batch);
  }

  public int deleteExpiredPortalTokens(Sql sql, Instant now, int batch) {
    return sql.update(
        "DELETE FROM api_key WHERE id IN"
            + " (SELECT id FROM api_key WHERE expires_at IS NOT NULL AND expires_at < ? LIMIT ?)",
        now,
        batch);
  }
}
