package dev.herald.store;

import java.time.Instant;
import java.util.Optional;

/** SQL for orgs and API keys. */
public final class ApiKeyStore {

  /** A stored key: the hash, its scope and expiry. */
  public record StoredKey(String id, String orgId, String appId, String keyHash, Long expiresAt) {}

  public long countOrgs(Sql sql) {
    return sql.queryLong("SELECT COUNT(*) FROM org");
  }

  /**
   * Inserts an org together with its internal application (which holds its operational-webhook
   * endpoints), so that no read ever has to create it.
   */
  public void insertOrg(Sql sql, String id, String name, Instant now) {
    sql.update("INSERT INTO org (id, name, created_at) VALUES (?, ?, ?)", id, name, now);
    sql.update("INSERT INTO application (id, org_id, uid, name, metadata, throttle_rate, created_at,"
            + " updated_at, internal) VALUES (?, ?, NULL, ?, '{}', NULL, ?, ?, TRUE)",
        ApplicationStore.internalAppId(id), id, ApplicationStore.INTERNAL_NAME, now, now);
  }

  public Optional<String> firstOrgId(Sql sql) {
    return sql.queryOne("SELECT id FROM org ORDER BY id LIMIT 1", rs -> rs.getString(1));
  }

  public void insertKey(
      Sql sql, String id, String orgId, String appId, String keyHash, String name, Instant now,
      Instant expiresAt) {
    sql.update(
        "INSERT INTO api_key (id, org_id, app_id, key_hash, name, created_at, expires_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?)",
        id, orgId, appId, keyHash, name, now, expiresAt);
  }

  public Optional<StoredKey> findByHash(Sql sql, String keyHash) {
    return sql.queryOne(
        "SELECT id, org_id, app_id, key_hash, expires_at FROM api_key WHERE key_hash = ?",
        rs -> new StoredKey(
            rs.getString("id"), rs.getString("org_id"), rs.getString("app_id"),
            rs.getString("key_hash"), Sql.nullableLong(rs, "expires_at")),
        keyHash);
  }

  public int deleteKey(Sql sql, String keyHash) {
    return sql.update("DELETE FROM api_key WHERE key_hash = ?", keyHash);
  }
}
