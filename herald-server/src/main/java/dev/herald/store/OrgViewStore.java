package dev.herald.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Read-only SQL for the dashboard's views across all of an org's applications: the message
 * explorer, the endpoint health board and the recover dry run. Every query is bounded by a limit or
 * by one endpoint's rows.
 */
public final class OrgViewStore {

  /** The message explorer's filters; null fields do not filter. */
  public record MessageFilter(
      String messageId,
      String eventId,
      String appId,
      String endpointId,
      String eventType,
      Integer status,
      String fromId,
      long fromMillis) {}

  public record MessageRow(
      String id, String appId, String appName, String eventType, String eventId, long createdAt) {}

  public record DeliveryRow(
      String messageId,
      String endpointId,
      String url,
      int status,
      int attemptCount,
      Long nextAttemptAt) {}

  public record AttemptRow(
      String id,
      String endpointId,
      String url,
      int status,
      int responseStatusCode,
      String response,
      long durationMs,
      long createdAt) {}

  public record EndpointRow(
      String id,
      String appId,
      String appName,
      String url,
      String description,
      boolean disabled,
      Long failingSince,
      Integer throttleRate) {}

  /**
   * Newest first. A message id or an eventId with an application is one index read; otherwise the
   * primary key's range from {@code fromId} is read newest first until {@code limit} rows match.
   */
  public List<MessageRow> messages(Sql sql, String orgId, MessageFilter f, int limit) {
    StringBuilder where = new StringBuilder(" WHERE m.org_id = ? AND a.internal = FALSE");
    List<Object> args = new ArrayList<>(List.of(orgId));
    if (f.messageId() != null) {
      where.append(" AND m.id = ?");
      args.add(f.messageId());
    }
    if (f.eventId() != null) {
      where.append(" AND m.event_id = ?");
      args.add(f.eventId());
    }
    if (f.appId() != null) {
      where.append(" AND m.app_id = ?").append(sql.dialect().tenantIndexed("m"));
      args.add(f.appId());
    }
    if (f.eventType() != null) {
      where.append(" AND m.event_type = ?");
      args.add(f.eventType());
    }
    if (f.endpointId() != null || f.status() != null) {
      where.append(" AND EXISTS (SELECT 1 FROM delivery d WHERE d.message_id = m.id");
      if (f.endpointId() != null) {
        where.append(" AND d.endpoint_id = ?");
        args.add(f.endpointId());
      }
      if (f.status() != null) {
        where.append(" AND d.status = ?");
        args.add(f.status());
      }
      where.append(")");
    }
    where.append(" AND m.id >= ? AND m.created_at >= ?");
    args.add(f.fromId());
    args.add(f.fromMillis());
    args.add(limit);
    return sql.query(
        "SELECT m.id, m.app_id, a.name, m.event_type, m.event_id, m.created_at"
            + " FROM message m JOIN application a ON a.id = m.app_id"
            + where
            + " ORDER BY m.id DESC LIMIT ?",
        rs ->
            new MessageRow(
                rs.getString("id"),
                rs.getString("app_id"),
                rs.getString("name"),
                rs.getString("event_type"),
                rs.getString("event_id"),
                rs.getLong("created_at")),
        args.toArray());
  }

  /** The deliveries of the given messages (through {@code delivery_message}). */
  public List<DeliveryRow> deliveries(Sql sql, String orgId, List<String> messageIds) {
    if (messageIds.isEmpty()) {
      return List.of();
    }
    List<Object> args = new ArrayList<>(messageIds);
    args.add(orgId);
    return sql.query(
        "SELECT d.message_id, d.endpoint_id, e.url, d.status, d.attempt_count, d.next_attempt_at"
            + " FROM delivery d JOIN endpoint e ON e.id = d.endpoint_id"
            + " WHERE d.message_id IN ("
            + String.join(", ", Collections.nCopies(messageIds.size(), "?"))
            + ") AND d.org_id = ? ORDER BY d.message_id, d.id",
        rs ->
            new DeliveryRow(
                rs.getString("message_id"),
                rs.getString("endpoint_id"),
                rs.getString("url"),
                rs.getInt("status"),
                rs.getInt("attempt_count"),
                Sql.nullableLong(rs, "next_attempt_at")),
        args.toArray());
  }

  /** A message's attempts, oldest first (through {@code attempt_message}). */
  public List<AttemptRow> attempts(Sql sql, String orgId, String messageId) {
    return sql.query(
        "SELECT id, endpoint_id, url, status, response_status_code, response,"
            + " response_duration_ms, created_at FROM attempt"
            + " WHERE message_id = ? AND org_id = ? ORDER BY id LIMIT 500",
        rs ->
            new AttemptRow(
                rs.getString("id"),
                rs.getString("endpoint_id"),
                rs.getString("url"),
                rs.getInt("status"),
                rs.getInt("response_status_code"),
                rs.getString("response"),
                rs.getLong("response_duration_ms"),
                rs.getLong("created_at")),
        messageId,
        orgId);
  }

  /**
   * The org's endpoints (operational ones left out); with {@code problemsOnly}, those disabled,
   * failing or throttled. Reads the org's endpoint rows: endpoints are few next to messages.
   */
  public List<EndpointRow> endpoints(Sql sql, String orgId, boolean problemsOnly, int limit) {
    return endpointRows(
        sql,
        problemsOnly
            ? " AND (e.disabled = TRUE OR e.failing_since IS NOT NULL"
                + " OR e.throttle_rate IS NOT NULL)"
            : "",
        List.of(orgId),
        limit);
  }

  /** Those of {@code ids} that are endpoints of the org (operational ones left out). */
  public List<EndpointRow> endpointsById(Sql sql, String orgId, List<String> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    List<Object> args = new java.util.ArrayList<>();
    args.add(orgId);
    args.addAll(ids);
    return endpointRows(
        sql,
        " AND e.id IN (" + String.join(", ", java.util.Collections.nCopies(ids.size(), "?")) + ")",
        args,
        ids.size());
  }

  private List<EndpointRow> endpointRows(Sql sql, String where, List<Object> args, int limit) {
    List<Object> all = new java.util.ArrayList<>(args);
    all.add(limit);
    return sql.query(
        "SELECT e.id, e.app_id, a.name, e.url, e.description, e.disabled, e.failing_since,"
            + " e.throttle_rate FROM endpoint e JOIN application a ON a.id = e.app_id"
            + " WHERE e.org_id = ? AND e.deleted_at IS NULL AND a.deleted_at IS NULL"
            + " AND a.internal = FALSE"
            + where
            + " ORDER BY e.disabled DESC, e.failing_since, e.id LIMIT ?",
        rs ->
            new EndpointRow(
                rs.getString("id"),
                rs.getString("app_id"),
                rs.getString("name"),
                rs.getString("url"),
                rs.getString("description"),
                rs.getBoolean("disabled"),
                Sql.nullableLong(rs, "failing_since"),
                Sql.nullableInt(rs, "throttle_rate")),
        all.toArray());
  }

  public record AppRow(String id, String uid, String name, long createdAt, long endpoints) {}

  /**
   * The org's applications, newest first; with {@code search}, those whose name contains it (any
   * case) or whose id or uid is it. A search reads the org's application rows.
   */
  public List<AppRow> applications(Sql sql, String orgId, String search, int limit) {
    List<Object> args = new ArrayList<>(List.of(orgId));
    String where = "";
    if (search != null) {
      String like =
          "%" + search.toLowerCase(java.util.Locale.ROOT).replaceAll("([\\\\%_])", "\\\\$1") + "%";
      where = " AND (LOWER(a.name) LIKE ? ESCAPE '\\' OR a.id = ? OR a.uid = ?)";
      args.addAll(List.of(like, search, search));
    }
    args.add(limit);
    return sql.query(
        "SELECT a.id, a.uid, a.name, a.created_at, (SELECT COUNT(*) FROM endpoint e"
            + " WHERE e.app_id = a.id AND e.deleted_at IS NULL) AS endpoints"
            + " FROM application a WHERE a.org_id = ? AND a.deleted_at IS NULL"
            + " AND a.internal = FALSE"
            + where
            + " ORDER BY a.id DESC LIMIT ?",
        rs ->
            new AppRow(
                rs.getString("id"),
                rs.getString("uid"),
                rs.getString("name"),
                rs.getLong("created_at"),
                rs.getLong("endpoints")),
        args.toArray());
  }
}
