package dev.herald.store;

import dev.herald.message.Message;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL for an endpoint's message log as the portal shows it: each message sent there, its delivery
 * state and the status code of the last response the endpoint gave for it, and the count of failed
 * deliveries a recover would retry.
 */
public final class MessageLogStore {
  /**
   * The delivery state a log may be narrowed to, as shown (a leased pending delivery is sending).
   */
  public enum State {
    SUCCESS(" AND d.status = 0"),
    PENDING(" AND d.status = 1 AND d.lease_owner IS NULL"),
    FAILED(" AND d.status = 2"),
    SENDING(" AND d.status = 1 AND d.lease_owner IS NOT NULL");

    private final String condition;

    State(String condition) {
      this.condition = condition;
    }
  }

  /**
   * One line of the log. {@code message} carries no payload; {@code lastResponseCode} is null
   * before the first attempt, 0 when the endpoint gave no HTTP response.
   */
  public record Entry(
      Message message,
      int status,
      boolean leased,
      Instant nextAttemptAt,
      Integer lastResponseCode) {}

  // The last attempt at this endpoint for the message, resends included; read through the
  // attempt_message index (message_id, id).
  private static final String LAST_CODE =
      "(SELECT a.response_status_code FROM attempt a WHERE a.message_id = d.message_id"
          + " AND a.endpoint_id = d.endpoint_id ORDER BY a.id DESC LIMIT 1)";

  /**
   * @param state null for every state
   * @param statusCodeClass 0 (no HTTP response), 100, 200, 300, 400 or 500, or null for any
   */
  public Page<Entry> list(
      Sql sql,
      String orgId,
      String endpointId,
      MessageStore.Filter filter,
      State state,
      Integer statusCodeClass,
      PageRequest page) {
    List<Object> args = new ArrayList<>(List.of(orgId, endpointId));
    String where = MessageStore.filterClause(filter, args, "m");
    if (state != null) {
      where += state.condition;
    }
    if (statusCodeClass != null) {
      where += " AND " + LAST_CODE + " >= ? AND " + LAST_CODE + " < ?";
      args.add(statusCodeClass == 0 ? Integer.MIN_VALUE : statusCodeClass);
      args.add(statusCodeClass == 0 ? 100 : statusCodeClass + 100);
    }
    var rows =
        sql.query(
            "SELECT m.id, m.org_id, m.app_id, m.event_type, m.event_id, m.channels, m.traceparent,"
                + " m.created_at, m.expires_at, m.tags, m.deliver_at, NULL AS payload,"
                + " d.status AS d_status, d.lease_owner AS d_lease_owner,"
                + " d.next_attempt_at AS d_next_attempt_at, "
                + LAST_CODE
                + " AS last_code"
                + " FROM delivery d JOIN message m ON m.id = d.message_id"
                + " WHERE d.org_id = ? AND d.endpoint_id = ? AND d.manual = FALSE"
                + sql.dialect().tenantIndexed("d")
                + where
                + page.cursorClause("m.id")
                + page.orderClause("m.id"),
            rs -> {
              Long code = Sql.nullableLong(rs, "last_code");
              return new Entry(
                  MessageStore.map(rs),
                  rs.getInt("d_status"),
                  rs.getString("d_lease_owner") != null,
                  Sql.nullableInstant(rs, "d_next_attempt_at"),
                  code == null ? null : code.intValue());
            },
            page.withCursor(args.toArray()));
    return Page.of(rows, page, e -> e.message().id());
  }
}
