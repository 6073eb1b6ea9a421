package dev.herald.store;

import java.time.Instant;
import java.util.Optional;

/** SQL for installation-wide settings every node must agree on ({@code herald_setting}). */
public final class SettingStore {

  public Optional<String> find(Sql sql, String name) {
    return sql.queryOne(
        "SELECT value FROM herald_setting WHERE name = ?", rs -> rs.getString(1), name);
  }

  public void insert(Sql sql, String name, String value, Instant now) {
    sql.update(
        "INSERT INTO herald_setting (name, value, created_at) VALUES (?, ?, ?)", name, value, now);
  }

  /** One encrypted endpoint secret, if any endpoint exists: proof of which key wrote the data. */
  public Optional<String> anyEncryptedSecret(Sql sql) {
    return sql.queryOne(
        "SELECT secret_enc FROM endpoint ORDER BY id LIMIT 1", rs -> rs.getString(1));
  }
}
