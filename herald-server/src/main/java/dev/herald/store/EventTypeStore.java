package dev.herald.store;

import dev.herald.eventtype.EventType;
import dev.herald.eventtype.FeatureFlags;
import dev.herald.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** SQL for the event type catalogue. Lists page by name. */
public final class EventTypeStore {
  private static final String COLUMNS =
      "id, org_id, name, description, schemas, archived, deprecated, feature_flag, created_at, updated_at,"
          + " group_name, validate_payloads";

  public void insert(Sql sql, EventType e) {
    sql.update(
        "INSERT INTO event_type (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        e.id(),
        e.orgId(),
        e.name(),
        e.description(),
        schemasText(e),
        e.archived(),
        e.deprecated(),
        e.featureFlag(),
        e.createdAt(),
        e.updatedAt(),
        e.groupName(),
        e.validatePayloads());
  }

  public void update(Sql sql, EventType e) {
    int n =
        sql.update(
            "UPDATE event_type SET description = ?, schemas = ?, archived = ?, deprecated = ?,"
                + " feature_flag = ?, updated_at = ?, group_name = ?, validate_payloads = ?"
                + " WHERE id = ? AND org_id = ?",
            e.description(),
            schemasText(e),
            e.archived(),
            e.deprecated(),
            e.featureFlag(),
            e.updatedAt(),
            e.groupName(),
            e.validatePayloads(),
            e.id(),
            e.orgId());
    Rows.expectOne(n, "event_type", e.name());
  }

  public boolean delete(Sql sql, String orgId, String name) {
    return sql.update("DELETE FROM event_type WHERE org_id = ? AND name = ?", orgId, name) == 1;
  }

  public Optional<EventType> find(Sql sql, String orgId, String name) {
    return sql.queryOne(
        "SELECT " + COLUMNS + " FROM event_type WHERE org_id = ? AND name = ?",
        EventTypeStore::map,
        orgId,
        name);
  }

  /** The names among {@code names} that exist in the org and are not archived. */
  public List<String> existingNames(Sql sql, String orgId, Collection<String> names) {
    if (names.isEmpty()) {
      return List.of();
    }
    String marks = String.join(", ", java.util.Collections.nCopies(names.size(), "?"));
    Object[] args = new Object[names.size() + 1];
    args[0] = orgId;
    int i = 1;
    for (String n : names) {
      args[i++] = n;
    }
    return sql.query(
        "SELECT name FROM event_type WHERE org_id = ? AND archived = FALSE AND name IN ("
            + marks
            + ")",
        rs -> rs.getString(1),
        args);
  }

  public Page<EventType> list(Sql sql, String orgId, boolean includeArchived, PageRequest page) {
    return list(sql, orgId, includeArchived, FeatureFlags.ALL, page);
  }

  /** A page of the event types {@code flags} sees; filtered in SQL so pages stay full. */
  public Page<EventType> list(
      Sql sql, String orgId, boolean includeArchived, FeatureFlags flags, PageRequest page) {
    List<Object> args = new ArrayList<>(List.of(orgId));
    String visible = visibleClause(flags, args);
    var rows =
        sql.query(
            "SELECT "
                + COLUMNS
                + " FROM event_type WHERE org_id = ?"
                + (includeArchived ? "" : " AND archived = FALSE")
                + visible
                + page.cursorClause("name")
                + page.orderClause("name"),
            EventTypeStore::map,
            page.withCursor(args.toArray()));
    return Page.of(rows, page, EventType::name);
  }

  /** The names among {@code names} that exist in the org but carry a flag {@code flags} lacks. */
  public List<String> hiddenNames(
      Sql sql, String orgId, FeatureFlags flags, Collection<String> names) {
    if (names.isEmpty() || !flags.restricted()) {
      return List.of();
    }
    List<Object> args = new ArrayList<>(List.of(orgId));
    args.addAll(names);
    String granted =
        flags.granted().isEmpty()
            ? ""
            : " AND feature_flag NOT IN (" + marks(flags.granted().size()) + ")";
    args.addAll(flags.granted());
    return sql.query(
        "SELECT name FROM event_type WHERE org_id = ? AND name IN ("
            + marks(names.size())
            + ")"
            + " AND feature_flag IS NOT NULL"
            + granted,
        rs -> rs.getString(1),
        args.toArray());
  }

  private static String visibleClause(FeatureFlags flags, List<Object> args) {
    if (!flags.restricted()) {
      return "";
    }
    if (flags.granted().isEmpty()) {
      return " AND feature_flag IS NULL";
    }
    args.addAll(flags.granted());
    return " AND (feature_flag IS NULL OR feature_flag IN (" + marks(flags.granted().size()) + "))";
  }

  private static String marks(int n) {
    return String.join(", ", java.util.Collections.nCopies(n, "?"));
  }

  private static String schemasText(EventType e) {
    return e.schemas() == null ? null : Json.write(e.schemas());
  }

  private static EventType map(ResultSet rs) throws SQLException {
    String schemas = rs.getString("schemas");
    return new EventType(
        rs.getString("id"),
        rs.getString("org_id"),
        rs.getString("name"),
        rs.getString("description"),
        schemas == null ? null : Json.tree(schemas),
        rs.getBoolean("archived"),
        rs.getBoolean("deprecated"),
        rs.getString("feature_flag"),
        Instant.ofEpochMilli(rs.getLong("created_at")),
        Instant.ofEpochMilli(rs.getLong("updated_at")),
        rs.getString("group_name"),
        rs.getBoolean("validate_payloads"));
  }
}
