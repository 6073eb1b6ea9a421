package dev.herald.store;

import dev.herald.application.Application;
import dev.herald.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL for applications. Every query is scoped to one org. */
public final class ApplicationStore {
  private static final String COLUMNS =
      "id, org_id, uid, name, metadata, throttle_rate, created_at, updated_at";

  public void insert(Sql sql, Application a) {
    sql.update(
        "INSERT INTO application (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        a.id(),
        a.orgId(),
        a.uid(),
        a.name(),
        Json.write(a.metadata()),
        a.throttleRate(),
        a.createdAt(),
        a.updatedAt());
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

  /**
   * The org's internal application holding its operational-webhook endpoints (made with the org).
   */
  public Optional<Application> findInternal(Sql sql, String orgId) {
    return sql.queryOne(
        "SELECT " + COLUMNS + " FROM application WHERE org_id = ? AND internal = TRUE",
        ApplicationStore::map,
        orgId);
  }

  public void update(Sql sql, Application a) {
    int n =
        sql.update(
            "UPDATE application SET uid = ?, name = ?, metadata = ?, throttle_rate = ?, updated_at = ?"
                + " WHERE id = ? AND org_id = ? AND deleted_at IS NULL",
            a.uid(),
            a.name(),
            Json.write(a.metadata()),
            a.throttleRate(),
            a.updatedAt(),
            a.id(),
            a.orgId());
    Rows.expectOne(n, "application", a.id());
  }

  public boolean softDelete(Sql sql, String orgId, String id, Instant now) {
    return sql.update(
            "UPDATE application SET deleted_at = ? WHERE id = ? AND org_id = ? AND deleted_at IS NULL",
            now,
            id,
            orgId)
        == 1;
  }

  /**
   * The application's throttleRate (null: none, or the application is gone), for the dispatcher.
   */
  public Integer throttleRate(Sql sql, String appId) {
    return sql.queryOne(
            "SELECT throttle_rate FROM application WHERE id = ? AND deleted_at IS NULL",
            rs -> Sql.nullableInt(rs, "throttle_rate"),
            appId)
        .orElse(null);
  }

  /** The application's uid, if it has one (deleted applications included: events name them). */
  public Optional<String> uidOf(Sql sql, String appId) {
    return sql.queryOne("SELECT uid FROM application WHERE id = ?", rs -> rs.getString(1), appId);
  }

  /** Finds a live application by its id or its uid. */
  public Optional<Application> find(Sql sql, String orgId, String idOrUid) {
    return sql.queryOne(
        "SELECT "
            + COLUMNS
            + " FROM application WHERE org_id = ? AND deleted_at IS NULL AND internal = FALSE"
            + " AND (id = ? OR uid = ?) ORDER BY CASE WHEN id = ? THEN 0 ELSE 1 END LIMIT 1",
        ApplicationStore::map,
        orgId,
        idOrUid,
        idOrUid,
        idOrUid);
  }

  /**
   * The org's live applications whose id or uid is among {@code idOrUids}, in one statement (a
   * batch of accepted messages); the caller prefers an id match over a uid match, as {@link #find}.
   */
  public List<Application> findAll(Sql sql, String orgId, java.util.Collection<String> idOrUids) {
    String marks = String.join(", ", java.util.Collections.nCopies(idOrUids.size(), "?"));
    List<Object> args = new ArrayList<>(List.of(orgId));
    args.addAll(idOrUids);
    args.addAll(idOrUids);
    return sql.query(
        "SELECT "
            + COLUMNS
            + " FROM application WHERE org_id = ? AND deleted_at IS NULL"
            + " AND internal = FALSE AND (id IN ("
            + marks
            + ") OR uid IN ("
            + marks
            + "))",
        ApplicationStore::map,
        args.toArray());
  }

  /**
   * Svix's application list filters, each leaving out applications by their live endpoints: those
   * with none, those whose every endpoint is disabled, those whose every endpoint is a Svix Play
   * URL.
   */
  public record ListFilter(
      boolean excludeNoEndpoints, boolean excludeOnlyDisabled, boolean excludeOnlySvixPlay) {
    public static final ListFilter NONE = new ListFilter(false, false, false);
  }

  /** Where Svix Play endpoints live; an application with only these is left out on request. */
  static final String SVIX_PLAY_URL = "https://play.svix.com/";

  public Page<Application> list(Sql sql, String orgId, ListFilter filter, PageRequest page) {
    String live = "SELECT 1 FROM endpoint e WHERE e.app_id = a.id AND e.deleted_at IS NULL";
    StringBuilder where = new StringBuilder();
    if (filter.excludeNoEndpoints()) {
      where.append(" AND EXISTS (").append(live).append(")");
    }
    if (filter.excludeOnlyDisabled()) {
      where
          .append(" AND (NOT EXISTS (")
          .append(live)
          .append(") OR EXISTS (")
          .append(live)
          .append(" AND e.disabled = FALSE))");
    }
    if (filter.excludeOnlySvixPlay()) {
      where
          .append(" AND (NOT EXISTS (")
          .append(live)
          .append(") OR EXISTS (")
          .append(live)
          .append(" AND SUBSTR(e.url, 1, ")
          .append(SVIX_PLAY_URL.length())
          .append(") <> '")
          .append(SVIX_PLAY_URL)
          .append("'))");
    }
    var rows =
        sql.query(
            "SELECT "
                + COLUMNS
                + " FROM application a WHERE a.org_id = ? AND a.deleted_at IS NULL"
                + " AND a.internal = FALSE"
                + where
                + page.cursorClause("a.id")
                + page.orderClause("a.id"),
            ApplicationStore::map,
            page.withCursor(orgId));
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
