package dev.herald.store;

import dev.herald.json.Json;
import dev.herald.message.Message;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL for messages and their payloads. */
public final class MessageStore {
  private static final String COLUMNS =
      "m.id, m.org_id, m.app_id, m.event_type, m.event_id, m.channels, m.traceparent, m.created_at,"
          + " m.expires_at, m.tags, m.deliver_at";

  /** Filters of a message list; null fields do not filter. */
  public record Filter(
      String channel, Instant before, Instant after, List<String> eventTypes, String tag) {

    public Filter(String channel, Instant before, Instant after, List<String> eventTypes) {
      this(channel, before, after, eventTypes, null);
    }
  }

  public void insert(Sql sql, Message m) {
    insertAll(sql, List.of(m));
  }

  /** Messages and their payloads, one prepared batch per table whatever the number of messages. */
  public void insertAll(Sql sql, List<Message> all) {
    List<Object[]> rows = new ArrayList<>(all.size());
    List<Object[]> payloads = new ArrayList<>(all.size());
    for (Message m : all) {
      rows.add(
          new Object[] {
            m.id(),
            m.orgId(),
            m.appId(),
            m.eventType(),
            m.eventId(),
            m.channels() == null ? null : Json.write(m.channels()),
            m.traceparent(),
            m.createdAt(),
            m.expiresAt(),
            m.tags() == null ? null : Json.write(m.tags()),
            m.deliverAt()
          });
      payloads.add(new Object[] {m.id(), m.payload(), m.expiresAt()});
    }
    sql.batch(
        "INSERT INTO message (id, org_id, app_id, event_type, event_id, channels, traceparent, created_at,"
            + " expires_at, tags, deliver_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows);
    sql.batch(
        "INSERT INTO message_payload (message_id, payload, expires_at) VALUES (?, ?, ?)", payloads);
  }

  /**
   * Which of these (application, eventId) pairs a stored message already has, as {@code appId +
   * "\n" + eventId}: one statement for a batch of accepted messages.
   */
  public java.util.Set<String> takenEventIds(
      Sql sql, java.util.Collection<String> appIds, java.util.Collection<String> eventIds) {
    List<Object> args = new ArrayList<>(appIds);
    args.addAll(eventIds);
    java.util.Set<String> taken = new java.util.HashSet<>();
    // A superset (every pair of the two lists), narrowed by the caller's own pairs.
    sql.query(
        "SELECT app_id, event_id FROM message WHERE app_id IN ("
            + String.join(", ", java.util.Collections.nCopies(appIds.size(), "?"))
            + ") AND event_id IN ("
            + String.join(", ", java.util.Collections.nCopies(eventIds.size(), "?"))
            + ")",
        rs -> taken.add(rs.getString(1) + "\n" + rs.getString(2)),
        args.toArray());
    return taken;
  }

  /** Finds a message of the application by id or eventId, with its payload when still held. */
  public Optional<Message> find(Sql sql, String orgId, String appId, String idOrEventId) {
    return sql.queryOne(
        "SELECT "
            + COLUMNS
            + ", p.payload FROM message m LEFT JOIN message_payload p ON p.message_id = m.id"
            + " WHERE m.org_id = ? AND m.app_id = ? AND (m.id = ? OR m.event_id = ?)"
            + " ORDER BY CASE WHEN m.id = ? THEN 0 ELSE 1 END LIMIT 1",
        MessageStore::map,
        orgId,
        appId,
        idOrEventId,
        idOrEventId,
        idOrEventId);
  }

  /**
   * The application's messages with these ids, without payloads (an attempt list's {@code
   * with_msg}).
   */
  public List<Message> findAll(
      Sql sql, String orgId, String appId, java.util.Collection<String> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    List<Object> args = new ArrayList<>(List.of(orgId, appId));
    args.addAll(ids);
    return sql.query(
        "SELECT "
            + COLUMNS
            + ", NULL AS payload FROM message m"
            + " WHERE m.org_id = ? AND m.app_id = ? AND m.id IN ("
            + String.join(", ", java.util.Collections.nCopies(ids.size(), "?"))
            + ")",
        MessageStore::map,
        args.toArray());
  }

  public Page<Message> list(
      Sql sql, String orgId, String appId, Filter f, boolean withContent, PageRequest page) {
    List<Object> args = new ArrayList<>(List.of(orgId, appId));
    String where = filterClause(f, args, "m");
    var rows =
        sql.query(
            "SELECT "
                + COLUMNS
                + ", "
                + (withContent ? "p.payload" : "NULL AS payload")
                + " FROM message m LEFT JOIN message_payload p ON p.message_id = m.id"
                + " WHERE m.org_id = ? AND m.app_id = ?"
                + sql.dialect().tenantIndexed("m")
                + where
                + page.cursorClause("m.id")
                + page.orderClause("m.id"),
            MessageStore::map,
            page.withCursor(args.toArray()));
    return Page.of(rows, page, Message::id);
  }

  /**
   * SQL conditions for a filter; appends their arguments. A channel or tag matches as the quoted
   * JSON string inside the JSON array text. REPLACE rather than LIKE: LIKE treats '_' (allowed in
   * both) as a wildcard, and SQLite's LIKE ignores case; REPLACE compares exactly on both
   * databases.
   */
  static String filterClause(Filter f, List<Object> args, String alias) {
    StringBuilder where = new StringBuilder();
    if (f.channel() != null) {
      String column = alias + ".channels";
      where.append(" AND REPLACE(").append(column).append(", ?, '') <> ").append(column);
      args.add("\"" + f.channel() + "\"");
    }
    if (f.tag() != null) {
      // Json.write escapes the tag as it is stored ('\' is allowed in tags and stored as "\\").
      String column = alias + ".tags";
      where.append(" AND REPLACE(").append(column).append(", ?, '') <> ").append(column);
      args.add(Json.write(f.tag()));
    }
    if (f.before() != null) {
      where.append(" AND ").append(alias).append(".created_at < ?");
      args.add(f.before());
    }
    if (f.after() != null) {
      where.append(" AND ").append(alias).append(".created_at > ?");
      args.add(f.after());
    }
    if (f.eventTypes() != null && !f.eventTypes().isEmpty()) {
      where
          .append(" AND ")
          .append(alias)
          .append(".event_type IN (")
          .append(String.join(", ", java.util.Collections.nCopies(f.eventTypes().size(), "?")))
          .append(")");
      args.addAll(f.eventTypes());
    }
    return where.toString();
  }

  /** The message's eventId, if it was sent with one. */
  public Optional<String> eventIdOf(Sql sql, String messageId) {
    return sql.queryOne(
        "SELECT event_id FROM message WHERE id = ?", rs -> rs.getString(1), messageId);
  }

  public int expungePayload(Sql sql, String messageId) {
    return sql.update("DELETE FROM message_payload WHERE message_id = ?", messageId);
  }

  static Message map(ResultSet rs) throws SQLException {
    return new Message(
        rs.getString("id"),
        rs.getString("org_id"),
        rs.getString("app_id"),
        rs.getString("event_type"),
        rs.getString("event_id"),
        Json.stringList(rs.getString("channels")),
        rs.getBytes("payload"),
        rs.getString("traceparent"),
        Instant.ofEpochMilli(rs.getLong("created_at")),
        Instant.ofEpochMilli(rs.getLong("expires_at")),
        Json.stringList(rs.getString("tags")),
        Sql.nullableInstant(rs, "deliver_at"));
  }
}
