package dev.herald.store;

import dev.herald.transform.Transformation;
import java.time.Instant;
import java.util.Optional;

/** SQL for endpoint transformations ({@code endpoint_transformation}, one row per endpoint). */
public final class TransformationStore {

  public Optional<Transformation> find(Sql sql, String endpointId) {
    return sql.queryOne(
        "SELECT code, enabled, updated_at FROM endpoint_transformation WHERE endpoint_id = ?",
        rs ->
            new Transformation(
                rs.getString(1), rs.getBoolean(2), Instant.ofEpochMilli(rs.getLong(3))),
        endpointId);
  }

  public void save(Sql sql, String endpointId, Transformation t) {
    sql.update(
        "INSERT INTO endpoint_transformation (endpoint_id, code, enabled, updated_at)"
            + " VALUES (?, ?, ?, ?) ON CONFLICT (endpoint_id) DO UPDATE SET code = excluded.code,"
            + " enabled = excluded.enabled, updated_at = excluded.updated_at",
        endpointId,
        t.code(),
        t.enabled(),
        t.updatedAt());
  }

  /** The event type of a message, for the webhook object a transformation is given. */
  public Optional<String> eventTypeOf(Sql sql, String messageId) {
    return sql.queryOne(
        "SELECT event_type FROM message WHERE id = ?", rs -> rs.getString(1), messageId);
  }
}
