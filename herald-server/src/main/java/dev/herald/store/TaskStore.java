package dev.herald.store;

import dev.herald.json.Json;
import dev.herald.task.Task;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL for durable background tasks, leased like deliveries so exactly one node runs each. */
public final class TaskStore {
  private static final String COLUMNS =
      "id, org_id, app_id, kind, status, params, progress, failure, updated_at";

  public void insert(Sql sql, Task t, Instant now) {
    sql.update(
        "INSERT INTO task (id, org_id, app_id, kind, status, params, progress, created_at, updated_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        t.id(),
        t.orgId(),
        t.appId(),
        t.kind(),
        t.status(),
        Json.write(t.params()),
        t.progress(),
        now,
        now);
  }

  public Optional<Task> find(Sql sql, String orgId, String id) {
    return sql.queryOne(
        "SELECT " + COLUMNS + " FROM task WHERE org_id = ? AND id = ?", TaskStore::map, orgId, id);
  }

  /** One page of the org's tasks, optionally only those with {@code status} and of {@code kind}. */
  public Page<Task> list(Sql sql, String orgId, String status, String kind, PageRequest page) {
    List<Object> args = new ArrayList<>(List.of(orgId));
    StringBuilder where = new StringBuilder(" WHERE org_id = ?");
    if (status != null) {
      where.append(" AND status = ?");
      args.add(status);
    }
    if (kind != null) {
      where.append(" AND kind = ?");
      args.add(kind);
    }
    where.append(page.cursorClause("id"));
    List<Task> rows =
        sql.query(
            "SELECT " + COLUMNS + " FROM task" + where + page.orderClause("id"),
            TaskStore::map,
            page.withCursor(args.toArray()));
    return Page.of(rows, page, Task::id);
  }

  /**
   * SQLite only, at start: leases found then belong to this node's previous run (see
   * DeliveryStore).
   */
  public int releaseAllLeases(Sql sql) {
    return sql.update(
        "UPDATE task SET lease_owner = NULL, lease_expires_at = NULL WHERE lease_owner IS NOT NULL");
  }

  /** Leases one running task whose lease is free or lapsed. */
  public Optional<Task> claim(Sql sql, String owner, Instant now, Instant leaseUntil) {
    String lock = sql.dialect().lockSkippingLocked();
    List<Task> due =
        sql.query(
            "SELECT "
                + COLUMNS
                + " FROM task WHERE status = 'running'"
                + " AND (lease_expires_at IS NULL OR lease_expires_at < ?) ORDER BY id LIMIT 1"
                + lock,
            TaskStore::map,
            now);
    if (due.isEmpty()) {
      return Optional.empty();
    }
    int n =
        sql.update(
            "UPDATE task SET lease_owner = ?, lease_expires_at = ? WHERE id = ?"
                + " AND (lease_expires_at IS NULL OR lease_expires_at < ?)",
            owner,
            leaseUntil,
            due.get(0).id(),
            now);
    return n == 1 ? Optional.of(due.get(0)) : Optional.empty();
  }

  /**
   * Records progress and renews the lease; false when the lease was lost to another node. Progress
   * ends a run of failures.
   */
  public boolean progress(
      Sql sql, String id, String owner, String progress, Instant now, Instant leaseUntil) {
    return sql.update(
            "UPDATE task SET progress = ?, updated_at = ?, lease_expires_at = ?, failures = 0"
                + " WHERE id = ? AND lease_owner = ?",
            progress,
            now,
            leaseUntil,
            id,
            owner)
        == 1;
  }

  /**
   * Counts one more failed run of a task this node holds and keeps its reason; the task ends as
   * failed once {@code maxFailures} runs failed in a row. Otherwise the lease is kept, so the next
   * run waits for it to lapse. Returns the failures counted so far, 0 when the lease was lost.
   */
  public int recordFailure(
      Sql sql, String id, String owner, String reason, int maxFailures, Instant now) {
    int n =
        sql.update(
            "UPDATE task SET failures = failures + 1, failure = ?, updated_at = ?"
                + " WHERE id = ? AND lease_owner = ? AND status = 'running'",
            reason,
            now,
            id,
            owner);
    if (n == 0) {
      return 0;
    }
    int failures = (int) sql.queryLong("SELECT failures FROM task WHERE id = ?", id);
    if (failures >= maxFailures) {
      finish(sql, id, Task.FAILED, now);
    }
    return failures;
  }

  /**
   * Gives back the lease of a task still running (at shutdown) so it resumes at once, here or
   * elsewhere.
   */
  public int release(Sql sql, String id, String owner) {
    return sql.update(
        "UPDATE task SET lease_owner = NULL, lease_expires_at = NULL WHERE id = ? AND lease_owner = ?"
            + " AND status = 'running'",
        id,
        owner);
  }

  public void finish(Sql sql, String id, String status, Instant now) {
    sql.update(
        "UPDATE task SET status = ?, updated_at = ?, lease_owner = NULL, lease_expires_at = NULL WHERE id = ?",
        status,
        now,
        id);
  }

  private static Task map(ResultSet rs) throws SQLException {
    return new Task(
        rs.getString("id"),
        rs.getString("org_id"),
        rs.getString("app_id"),
        rs.getString("kind"),
        rs.getString("status"),
        Json.tree(rs.getString("params")),
        rs.getString("progress"),
        Task.FAILED.equals(rs.getString("status")) ? rs.getString("failure") : null,
        Instant.ofEpochMilli(rs.getLong("updated_at")));
  }
}
