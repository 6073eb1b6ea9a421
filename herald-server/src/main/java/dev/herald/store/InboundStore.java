package dev.herald.store;

import dev.herald.incoming.RequestRecord;
import java.time.Instant;
import java.util.Map;

/**
 * SQL for what incoming requests leave behind: de-duplication keys and the short-lived request log.
 */
public final class InboundStore {

  /**
   * Records a de-duplication key in the caller's transaction (the one creating the message); false
   * when the key is already there and unexpired. On PostgreSQL a concurrent insert of the same key
   * waits for the other transaction, so exactly one of two equal requests records it.
   */
  public boolean recordKey(
      Sql sql, String sourceId, String keyHash, String messageId, Instant now, Instant expiresAt) {
    String insert =
        "INSERT INTO inbound_dedupe (source_id, key_hash, message_id, expires_at)"
            + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING";
    if (sql.update(insert, sourceId, keyHash, messageId, expiresAt) == 1) {
      return true;
    }
    int expired =
        sql.update(
            "DELETE FROM inbound_dedupe WHERE source_id = ? AND key_hash = ? AND expires_at <= ?",
            sourceId,
            keyHash,
            now);
    return expired == 1 && sql.update(insert, sourceId, keyHash, messageId, expiresAt) == 1;
  }

  /** Whether an unexpired key is recorded (the dry run tells a duplicate apart). */
  public boolean keyRecorded(Sql sql, String sourceId, String keyHash, Instant now) {
    return sql.queryLong(
            "SELECT COUNT(*) FROM inbound_dedupe WHERE source_id = ? AND key_hash = ?"
                + " AND expires_at > ?",
            sourceId,
            keyHash,
            now)
        > 0;
  }

  public void recordRequest(Sql sql, RequestRecord r) {
    sql.update(
        "INSERT INTO inbound_request (id, org_id, source_id, status, reason, detail, http_status,"
            + " event_type, dedupe_key, message_id, headers, body_size, received_at, expires_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        r.id(),
        r.orgId(),
        r.sourceId(),
        r.status(),
        r.reason(),
        r.detail(),
        r.httpStatus(),
        r.eventType(),
        r.dedupeKey(),
        r.messageId(),
        dev.herald.json.Json.write(r.headers()),
        r.bodySize(),
        r.receivedAt(),
        r.expiresAt());
  }

  /** A source's recent requests, newest first by default; {@code status} filters when not null. */
  public Page<RequestRecord> listRequests(
      Sql sql, String orgId, String sourceId, String status, PageRequest page) {
    String filter = status == null ? "" : " AND status = ?";
    Object[] args =
        status == null ? new Object[] {orgId, sourceId} : new Object[] {orgId, sourceId, status};
    var rows =
        sql.query(
            "SELECT id, org_id, source_id, status, reason, detail, http_status, event_type,"
                + " dedupe_key, message_id, headers, body_size, received_at, expires_at"
                + " FROM inbound_request WHERE org_id = ? AND source_id = ?"
                + filter
                + page.cursorClause("id")
                + page.orderClause("id"),
            rs ->
                new RequestRecord(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getString(5),
                    rs.getString(6),
                    rs.getInt(7),
                    rs.getString(8),
                    rs.getString(9),
                    rs.getString(10),
                    headers(rs.getString(11)),
                    rs.getLong(12),
                    Instant.ofEpochMilli(rs.getLong(13)),
                    Instant.ofEpochMilli(rs.getLong(14))),
            page.withCursor(args));
    return Page.of(rows, page, RequestRecord::id);
  }

  private static Map<String, String> headers(String text) {
    return dev.herald.json.Json.stringMap(text);
  }

  /** Deletes up to {@code limit} expired keys and request records; the number deleted. */
  public int prune(Sql sql, Instant now, int limit) {
    int keys =
        sql.update(
            "DELETE FROM inbound_dedupe WHERE (source_id, key_hash) IN (SELECT source_id, key_hash"
                + " FROM inbound_dedupe WHERE expires_at <= ? LIMIT "
                + limit
                + ")",
            now);
    int requests =
        sql.update(
            "DELETE FROM inbound_request WHERE id IN (SELECT id FROM inbound_request"
                + " WHERE expires_at <= ? LIMIT "
                + limit
                + ")",
            now);
    return keys + requests;
  }
}
