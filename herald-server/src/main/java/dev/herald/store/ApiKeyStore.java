package dev.herald.store;

import dev.herald.json.Json;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** SQL for orgs and API keys. */
public final class ApiKeyStore {

  /**
   * A stored key: the hash, its scope and expiry, and what an app-portal token was issued with.
   *
   * @param capabilities capability names, or null for no restriction (org keys, older tokens)
   * @param featureFlags feature flags held, or null for no restriction (org keys, older tokens)
   */
  public record StoredKey(
      String id,
      String orgId,
      String appId,
      String keyHash,
      Long expiresAt,
      Set<String> capabilities,
      Set<String> featureFlags,
      String sessionId) {}

  /** What an app-portal token is issued with. */
  public record PortalGrant(
      Collection<String> capabilities,
      Collection<String> featureFlags,
      String sessionId,
      Instant expiresAt) {}

  static final String KEY_COLUMNS =
      "id, org_id, app_id, key_hash, expires_at, capabilities, feature_flags, session_id";

  public long countOrgs(Sql sql) {
    return sql.queryLong("SELECT COUNT(*) FROM org");
  }

  /**
   * Inserts an org together with its internal application (which holds its operational-webhook
   * endpoints), so that no read ever has to create it.
   */
  public void insertOrg(Sql sql, String id, String name, Instant now) {
    sql.update("INSERT INTO org (id, name, created_at) VALUES (?, ?, ?)", id, name, now);
    sql.update(
        "INSERT INTO application (id, org_id, uid, name, metadata, throttle_rate, created_at,"
            + " updated_at, internal) VALUES (?, ?, NULL, ?, '{}', NULL, ?, ?, TRUE)",
        ApplicationStore.internalAppId(id),
        id,
        ApplicationStore.INTERNAL_NAME,
        now,
        now);
  }

  public Optional<String> firstOrgId(Sql sql) {
    return sql.queryOne("SELECT id FROM org ORDER BY id LIMIT 1", rs -> rs.getString(1));
  }

  public void insertKey(
      Sql sql,
      String id,
      String orgId,
      String appId,
      String keyHash,
      String name,
      Instant now,
      Instant expiresAt) {
    sql.update(
        "INSERT INTO api_key (id, org_id, app_id, key_hash, name, created_at, expires_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?)",
        id,
        orgId,
        appId,
        keyHash,
        name,
        now,
        expiresAt);
  }

  public void insertPortalToken(
      Sql sql,
      String id,
      String orgId,
      String appId,
      String keyHash,
      Instant now,
      PortalGrant grant) {
    sql.update(
        "INSERT INTO api_key (id, org_id, app_id, key_hash, name, created_at, expires_at,"
            + " capabilities, feature_flags, session_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        id,
        orgId,
        appId,
        keyHash,
        "app-portal",
        now,
        grant.expiresAt(),
        Json.write(List.copyOf(grant.capabilities())),
        Json.write(List.copyOf(grant.featureFlags())),
        grant.sessionId());
  }

  public Optional<StoredKey> findByHash(Sql sql, String keyHash) {
    return sql.queryOne(
        "SELECT " + KEY_COLUMNS + " FROM api_key WHERE key_hash = ?",
        ApiKeyStore::storedKey,
        keyHash);
  }

  /** Maps a row holding {@link #KEY_COLUMNS} (also read by {@link PortalSessionStore}). */
  static StoredKey storedKey(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new StoredKey(
        rs.getString("id"),
        rs.getString("org_id"),
        rs.getString("app_id"),
        rs.getString("key_hash"),
        Sql.nullableLong(rs, "expires_at"),
        names(rs.getString("capabilities")),
        names(rs.getString("feature_flags")),
        rs.getString("session_id"));
  }

  public int deleteKey(Sql sql, String keyHash) {
    return sql.update("DELETE FROM api_key WHERE key_hash = ?", keyHash);
  }

  /**
   * Moves the expiry of the application's portal tokens forward to {@code expiresAt}, never later
   * than it already is; only the tokens of {@code sessionIds} when that is not empty. Returns how
   * many tokens were cut short.
   */
  public int expireAppTokens(
      Sql sql, String orgId, String appId, Instant expiresAt, Collection<String> sessionIds) {
    String sessions =
        sessionIds.isEmpty()
            ? ""
            : " AND session_id IN ("
                + String.join(", ", Collections.nCopies(sessionIds.size(), "?"))
                + ")";
    Object[] args = new Object[4 + sessionIds.size()];
    args[0] = expiresAt;
    args[1] = orgId;
    args[2] = appId;
    args[3] = expiresAt;
    int i = 4;
    for (String s : sessionIds) {
      args[i++] = s;
    }
    return sql.update(
        "UPDATE api_key SET expires_at = ? WHERE org_id = ? AND app_id = ?"
            + " AND (expires_at IS NULL OR expires_at > ?)"
            + sessions,
        args);
  }

  private static Set<String> names(String json) {
    return json == null ? null : new LinkedHashSet<>(Json.stringList(json));
  }

  /** An org key as listed: never its hash. */
  public record OrgKeyRow(String id, String name, Instant createdAt, Instant lastUsedAt) {}

  /** The org's own keys (not app-portal tokens), oldest first. */
  public List<OrgKeyRow> listOrgKeys(Sql sql, String orgId) {
    return sql.query(
        "SELECT id, name, created_at, last_used_at FROM api_key"
            + " WHERE org_id = ? AND app_id IS NULL ORDER BY id",
        rs ->
            new OrgKeyRow(
                rs.getString("id"),
                rs.getString("name"),
                Instant.ofEpochMilli(rs.getLong("created_at")),
                Sql.nullableInstant(rs, "last_used_at")),
        orgId);
  }

  public Optional<StoredKey> findOrgKey(Sql sql, String orgId, String id) {
    return sql.queryOne(
        "SELECT " + KEY_COLUMNS + " FROM api_key WHERE id = ? AND org_id = ? AND app_id IS NULL",
        ApiKeyStore::storedKey,
        id,
        orgId);
  }

  public int deleteOrgKey(Sql sql, String orgId, String id) {
    return sql.update(
        "DELETE FROM api_key WHERE id = ? AND org_id = ? AND app_id IS NULL", id, orgId);
  }

  /** Records a use; never moves the time back (two nodes may write out of order). */
  public int touch(Sql sql, String id, Instant at) {
    return sql.update(
        "UPDATE api_key SET last_used_at = ? WHERE id = ?"
            + " AND (last_used_at IS NULL OR last_used_at < ?)",
        at,
        id,
        at);
  }
}
