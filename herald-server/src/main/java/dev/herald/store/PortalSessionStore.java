package dev.herald.store;

import java.time.Instant;
import java.util.Optional;

/**
 * SQL for portal links and the browser sessions they are exchanged for. Every column named here is
 * in {@code portal_session}; a session's rights come from the joined {@code api_key} row.
 */
public final class PortalSessionStore {

  /** A link as stored, with the token it was issued with. */
  public record Link(boolean opened, ApiKeyStore.StoredKey key) {}

  /** An open session and the token whose rights it carries. */
  public record OpenSession(String csrfToken, ApiKeyStore.StoredKey key) {}

  public void insertLink(Sql sql, String linkHash, String apiKeyId, Instant now) {
    sql.update(
        "INSERT INTO portal_session (link_hash, api_key_id, created_at) VALUES (?, ?, ?)",
        linkHash,
        apiKeyId,
        now);
  }

  public Optional<Link> findLink(Sql sql, String linkHash) {
    return sql.queryOne(
        "SELECT s.opened_at, k."
            + ApiKeyStore.KEY_COLUMNS.replace(", ", ", k.")
            + " FROM portal_session s JOIN api_key k ON k.id = s.api_key_id WHERE s.link_hash = ?",
        rs -> new Link(Sql.nullableLong(rs, "opened_at") != null, ApiKeyStore.storedKey(rs)),
        linkHash);
  }

  /**
   * Turns an unused link into a session. Returns 1 when this call did it, 0 when the link was
   * already used (by a concurrent request too: the guard on {@code opened_at} lets only one win).
   */
  public int open(Sql sql, String linkHash, String sessionHash, String csrfToken, Instant now) {
    return sql.update(
        "UPDATE portal_session SET session_hash = ?, csrf_token = ?, opened_at = ?"
            + " WHERE link_hash = ? AND opened_at IS NULL",
        sessionHash,
        csrfToken,
        now,
        linkHash);
  }

  /** The session if it was opened and not ended; the token's expiry is the caller's to check. */
  public Optional<OpenSession> findOpen(Sql sql, String sessionHash) {
    return sql.queryOne(
        "SELECT s.csrf_token, k."
            + ApiKeyStore.KEY_COLUMNS.replace(", ", ", k.")
            + " FROM portal_session s JOIN api_key k ON k.id = s.api_key_id"
            + " WHERE s.session_hash = ? AND s.ended_at IS NULL",
        rs -> new OpenSession(rs.getString("csrf_token"), ApiKeyStore.storedKey(rs)),
        sessionHash);
  }

  public int end(Sql sql, String sessionHash, Instant now) {
    return sql.update(
        "UPDATE portal_session SET ended_at = ? WHERE session_hash = ? AND ended_at IS NULL",
        now,
        sessionHash);
  }
}
