package dev.herald.store;

import java.time.Instant;
import java.util.Optional;

/** SQL for idempotency keys: one row per (org, key), holding the first request's response. */
public final class IdempotencyStore {

  /** A key's row; {@code statusCode == null} while the first request is still running. */
  public record Entry(String requestHash, Integer statusCode, byte[] response, long expiresAt) {}

  /** Claims the key for a new request; false when another request already holds it. */
  public boolean tryClaim(
      Sql sql, String orgId, String key, String requestHash, Instant now, Instant expiresAt) {
    try {
      sql.update(
          "INSERT INTO idempotency (org_id, idem_key, request_hash, created_at, expires_at)"
              + " VALUES (?, ?, ?, ?, ?)",
          orgId,
          key,
          requestHash,
          now,
          expiresAt);
      return true;
    } catch (dev.herald.error.Conflict e) {
      return false;
    }
  }

  /**
   * Records the key already answered, in the caller's transaction (the one that wrote what the
   * answer describes); false when another request holds the key. On PostgreSQL a concurrent insert
   * of the same key waits for that request's transaction, so the loser sees its outcome.
   */
  public boolean insertAnswered(
      Sql sql,
      String orgId,
      String key,
      String requestHash,
      int statusCode,
      byte[] response,
      Instant now,
      Instant expiresAt) {
    return sql.update(
            "INSERT INTO idempotency (org_id, idem_key, request_hash, status_code, response, created_at, expires_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            orgId,
            key,
            requestHash,
            statusCode,
            response,
            now,
            expiresAt)
        == 1;
  }

  public Optional<Entry> find(Sql sql, String orgId, String key) {
    return sql.queryOne(
        "SELECT request_hash, status_code, response, expires_at FROM idempotency"
            + " WHERE org_id = ? AND idem_key = ?",
        rs ->
            new Entry(
                rs.getString(1), Sql.nullableInt(rs, "status_code"), rs.getBytes(3), rs.getLong(4)),
        orgId,
        key);
  }

  public void complete(Sql sql, String orgId, String key, int statusCode, byte[] response) {
    sql.update(
        "UPDATE idempotency SET status_code = ?, response = ? WHERE org_id = ? AND idem_key = ?",
        statusCode,
        response,
        orgId,
        key);
  }

  public void release(Sql sql, String orgId, String key) {
    sql.update("DELETE FROM idempotency WHERE org_id = ? AND idem_key = ?", orgId, key);
  }

  public int deleteExpired(Sql sql, Instant now, int batch) {
    return sql.update(
        "DELETE FROM idempotency WHERE idem_key IN (SELECT idem_key FROM idempotency WHERE expires_at < ? LIMIT ?)",
        now,
        batch);
  }
}
