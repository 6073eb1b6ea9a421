package dev.herald.store;

import dev.herald.delivery.Attempt;
import dev.herald.delivery.DeliveryStatus;
import dev.herald.id.IdPrefix;
import dev.herald.id.Ids;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL for the attempt log. */
public final class AttemptStore {
  private static final String COLUMNS =
      "a.id, a.org_id, a.app_id, a.message_id, a.endpoint_id, a.delivery_id, a.url, a.status,"
          + " a.response_status_code, a.response, a.response_duration_ms, a.trigger_type, a.created_at";

  /** Filters of an attempt list; null fields do not filter. */
  public record Filter(
      String endpointId,
      String messageId,
      Integer status,
      Integer statusCodeClass,
      MessageStore.Filter message) {}

  public void insert(Sql sql, List<Attempt> attempts) {
    List<Object[]> params = new ArrayList<>(attempts.size());
    for (Attempt a : attempts) {
      params.add(
          new Object[] {
            a.id(),
            a.orgId(),
            a.appId(),
            a.messageId(),
            a.endpointId(),
            a.deliveryId(),
            a.url(),
            a.status().code(),
            a.responseStatusCode(),
            a.response(),
            a.responseDurationMs(),
            a.triggerType().code(),
            a.timestamp()
          });
    }
    sql.batch(
        "INSERT INTO attempt (id, org_id, app_id, message_id, endpoint_id, delivery_id, url, status,"
            + " response_status_code, response, response_duration_ms, trigger_type, created_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        params);
  }

  public Page<Attempt> list(Sql sql, String orgId, String appId, Filter f, PageRequest page) {
    List<Object> args = new ArrayList<>(List.of(orgId, appId));
    StringBuilder where = new StringBuilder();
    if (f.endpointId() != null) {
      where.append(" AND a.endpoint_id = ?");
      // With a message given, attempt_message finds its few rows; only a list by endpoint alone
      // goes through attempt_endpoint, which SQLite fills in bulk (a read by tenant).
      if (f.messageId() == null) {
        where.append(sql.dialect().tenantIndexed("a"));
      }
      args.add(f.endpointId());
    }
    if (f.messageId() != null) {
      where.append(" AND a.message_id = ?");
      args.add(f.messageId());
    }
    if (f.status() != null) {
      where.append(" AND a.status = ?");
      args.add(f.status());
    }
    if (f.statusCodeClass() != null) {
      int lo = f.statusCodeClass();
      where.append(
          lo == 0
              ? " AND a.response_status_code < 100"
              : " AND a.response_status_code >= ? AND a.response_status_code < ?");
      if (lo != 0) {
        args.add(lo);
        args.add(lo + 100);
      }
    }
    String join = "";
    if (f.message() != null) {
      String messageWhere =
          MessageStore.filterClause(
              new MessageStore.Filter(
                  f.message().channel(), null, null, f.message().eventTypes(), f.message().tag()),
              args,
              "m");
      if (!messageWhere.isEmpty()) {
        join = " JOIN message m ON m.id = a.message_id";
        where.append(messageWhere);
      }
      if (f.message().before() != null) {
        where.append(" AND a.created_at < ?");
        args.add(f.message().before());
      }
      if (f.message().after() != null) {
        where.append(" AND a.created_at > ?");
        args.add(f.message().after());
      }
    }
    var rows =
        sql.query(
            "SELECT "
                + COLUMNS
                + " FROM attempt a"
                + join
                + " WHERE a.org_id = ? AND a.app_id = ?"
                + where
                + page.cursorClause("a.id")
                + page.orderClause("a.id"),
            AttemptStore::map,
            page.withCursor(args.toArray()));
    return Page.of(rows, page, Attempt::id);
  }

  public Optional<Attempt> find(
      Sql sql, String orgId, String appId, String messageId, String attemptId) {
    return sql.queryOne(
        "SELECT "
            + COLUMNS
            + " FROM attempt a WHERE a.org_id = ? AND a.app_id = ? AND a.message_id = ? AND a.id = ?",
        AttemptStore::map,
        orgId,
        appId,
        messageId,
        attemptId);
  }

  /** One hour of an endpoint's attempts: {@code hour} counts back from the window's end (0). */
  public record HourCount(int hour, long attempts, long succeeded) {}

  /**
   * An endpoint's attempts since {@code since}, counted per hour before {@code now}. Reads the
   * {@code attempt_endpoint (endpoint_id, id)} index: ids start with their creation time.
   */
  public List<HourCount> hourly(Sql sql, String endpointId, Instant since, Instant now) {
    return sql.query(
        "SELECT (CAST(? AS BIGINT) - a.created_at) / 3600000 AS hours_ago, COUNT(*) AS n,"
            + " SUM(CASE WHEN a.status = ? THEN 1 ELSE 0 END) AS ok"
            + " FROM attempt a WHERE a.endpoint_id = ? AND a.id >= ?"
            + sql.dialect().tenantIndexed("a")
            + " GROUP BY 1",
        rs -> new HourCount(rs.getInt("hours_ago"), rs.getLong("n"), rs.getLong("ok")),
        now.toEpochMilli(),
        DeliveryStatus.SUCCESS.code(),
        endpointId,
        Ids.lowerBound(IdPrefix.ATTEMPT, since.toEpochMilli()));
  }

  /** Durations of an endpoint's newest attempts since {@code since}, at most {@code limit}. */
  public List<Long> recentDurations(Sql sql, String endpointId, Instant since, int limit) {
    return sql.query(
        "SELECT a.response_duration_ms FROM attempt a WHERE a.endpoint_id = ? AND a.id >= ?"
            + sql.dialect().tenantIndexed("a")
            + " ORDER BY a.id DESC LIMIT ?",
        rs -> rs.getLong(1),
        endpointId,
        Ids.lowerBound(IdPrefix.ATTEMPT, since.toEpochMilli()),
        limit);
  }

  /** The endpoint's newest failed attempt, if any since {@code since}. */
  public Optional<Attempt> lastFailure(Sql sql, String endpointId, Instant since) {
    return sql.queryOne(
        "SELECT "
            + COLUMNS
            + " FROM attempt a WHERE a.endpoint_id = ? AND a.id >= ? AND a.status = ?"
            + sql.dialect().tenantIndexed("a")
            + " ORDER BY a.id DESC LIMIT 1",
        AttemptStore::map,
        endpointId,
        Ids.lowerBound(IdPrefix.ATTEMPT, since.toEpochMilli()),
        DeliveryStatus.FAIL.code());
  }

  public int expungeResponse(Sql sql, String attemptId) {
    return sql.update("UPDATE attempt SET response = NULL WHERE id = ?", attemptId);
  }

  static Attempt map(ResultSet rs) throws SQLException {
    return new Attempt(
        rs.getString("id"),
        rs.getString("org_id"),
        rs.getString("app_id"),
        rs.getString("message_id"),
        rs.getString("endpoint_id"),
        rs.getString("delivery_id"),
        rs.getString("url"),
        DeliveryStatus.of(rs.getInt("status")),
        rs.getInt("response_status_code"),
        rs.getString("response"),
        rs.getLong("response_duration_ms"),
        Attempt.TriggerType.of(rs.getInt("trigger_type")),
        Instant.ofEpochMilli(rs.getLong("created_at")));
  }
}
