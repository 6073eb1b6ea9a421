package dev.herald.store;

import java.time.Instant;
import java.util.Optional;

/**
 * SQL for operator dashboard sessions ({@code dashboard_session}); a session's rights come from the
 * joined {@code api_key} row, so deleting the key ends its sessions.
 */
public final class DashboardSessionStore {

  /** An open session and the org key whose rights it carries. */
  public record OpenSession(String csrfToken, long expiresAt, ApiKeyStore.StoredKey key) {}

  public void insert(
      Sql sql, String sessionHash, String apiKeyId, String csrf, Instant now, Instant expiresAt) {
    sql.update(
        "INSERT INTO dashboard_session (session_hash, api_key_id, csrf_token, created_at,"
            + " expires_at) VALUES (?, ?, ?, ?, ?)",
        sessionHash,
        apiKeyId,
        csrf,
        now,
        expiresAt);
  }

  /** The session if it was not ended; its expiry and its key's are the caller's to check. */
  public Optional<OpenSession> findOpen(Sql sql, String sessionHash) {
    return sql.queryOne(
        "SELECT s.csrf_token, s.expires_at AS session_expires_at, k."
            + ApiKeyStore.KEY_COLUMNS.replace(", ", ", k.")
            + " FROM dashboard_session s JOIN api_key k ON k.id = s.api_key_id"
            + " WHERE s.session_hash = ? AND s.ended_at IS NULL",
        rs ->
            new OpenSession(
                rs.getString("csrf_token"),
                rs.getLong("session_expires_at"),
                ApiKeyStore.storedKey(rs)),
        sessionHash);
  }

  public int end(Sql sql, String sessionHash, Instant now) {
    return sql.update(
        "UPDATE dashboard_session SET ended_at = ? WHERE session_hash = ? AND ended_at IS NULL",
        now,
        sessionHash);
  }

  /** Forgets sessions that expired before {@code before}; sign-in calls it, so rows stay few. */
  public int deleteExpired(Sql sql, Instant before) {
    return sql.update("DELETE FROM dashboard_session WHERE expires_at < ?", before);
  }
}
