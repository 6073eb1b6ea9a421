package dev.herald.store;

import dev.herald.application.Application;
import dev.herald.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** SQL for applications. Every query is scoped to one org. */
public final class ApplicationStore {
  private static final String COLUMNS =
      "id, org_id, uid, name, metadata, throttle_rate, created_at, updated_at";

  public void insert(Sql sql, Application a) {
    sql.update(
        "INSERT INTO application (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        a.id(), a.orgId(), a.uid(), a.name(), Json.write(a.metadata()), a.throttleRate(),
        a.createdAt(), a.updatedAt());
  }

  /** The name every org's internal application gets. */
  public static final String INTERNAL_NAME = "Operational webhooks";

  /**
   * The id of an org's internal application. It contains a second underscore, which generated ids
   * never do, and is derived from the org's, so it is found without a lookup table.
   */
  public static String internalAppId(String orgId) {
    return "app_ops_" + orgId.substring(orgId.indexOf('_') + 1);
  }

  /** The org's internal application holding its operational-webhook endpoints (made with the org). */
  public Optional<Application> findInternal(Sql sql, String orgId) {
    return sql.queryOne("SELECT " + COLUMNS + " FROM application WHERE org_id = ? AND internal = TRUE",
        ApplicationStore::map, orgId);
  }

  public void update(Sql sql, Application a) {
    int n = sql.update(
        "UPDATE application SET uid = ?, name = ?, metadata = ?, throttle_rate = ?, updated_at = ?"
            + " WHERE id = ? AND org_id = ? AND deleted_at IS NULL",
        a.uid(), a.name(), Json.write(a.metadata()), a.throttleRate(), a.updatedAt(), a.id(), a.orgId());
    Rows.expectOne(n, "application", a.id());
  }

  public boolean softDelete(Sql sql, String orgId, String id, Instant now) {
    return sql.update(
            "UPDATE application SET deleted_at = ? WHERE id = ? AND org_id = ? AND deleted_at IS NULL",
            now, id, orgId)
        == 1;
  }

  /** Finds a live application by its id or its uid. */
  public Optional<Application> find(Sql sql, String orgId, String idOrUid) {
    return sql.queryOne(
        "SELECT " + COLUMNS + " FROM application WHERE org_id = ? AND deleted_at IS NULL AND internal = FALSE"
            + " AND (id = ? OR uid = ?) ORDER BY CASE WHEN id = ? THEN 0 ELSE 1 END LIMIT 1",
        ApplicationStore::map, orgId, idOrUid, idOrUid, idOrUid);
  }

  public Page<Application> list(Sql sql, String orgId, PageRequest page) {
    var rows = sql.query(
        "SELECT " + COLUMNS + " FROM application WHERE org_id = ? AND deleted_at IS NULL AND internal = FALSE"
            + page.cursorClause("id") + page.orderClause("id"),
        ApplicationStore::map, page.withCursor(orgId));
    return Page.of(rows, page, Application::id);
  }

  private static Application map(ResultSet rs) throws SQLException {
    return new Application(
        rs.getString("id"),
        rs.getString("org_id"),
        rs.getString("uid"),
        rs.getString("name"),
        Json.stringMap(rs.getString("metadata")),
        Sql.nullableInt(rs, "throttle_rate"),
        Instant.ofEpochMilli(rs.getLong("created_at")),
        Instant.ofEpochMilli(rs.getLong("updated_at")));
  }
}
