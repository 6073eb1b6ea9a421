package dev.herald.store;

import dev.herald.delivery.DeliveryTask;
import dev.herald.id.IdPrefix;
import dev.herald.id.Ids;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * SQL for the delivery work queue: inserting fan-out rows, claiming due work under a lease,
 * extending and releasing leases, and writing attempt results in batches.
 */
public final class DeliveryStore {

  /** A new delivery row. {@code leaseOwner} is set when the accepting node takes it at once. */
  public record NewDelivery(
      String id,
      String orgId,
      String appId,
      String messageId,
      String endpointId,
      boolean manual,
      Instant nextAttemptAt,
      String leaseOwner,
      Instant leaseExpiresAt,
      Instant createdAt) {}

  /**
   * The new state of a delivery after an attempt. {@code orderedEndpoint}: the endpoint's id when
   * it is ordered (its next waiting delivery becomes due once this one ends), else null.
   */
  public record Completion(
      String deliveryId,
      int status,
      int attemptCount,
      Instant nextAttemptAt,
      Instant now,
      String orderedEndpoint) {

    public Completion(
        String deliveryId, int status, int attemptCount, Instant nextAttemptAt, Instant now) {
      this(deliveryId, status, attemptCount, nextAttemptAt, now, null);
    }

    /** This completion for a delivery of an ordered endpoint. */
    public Completion ofOrderedEndpoint(String endpointId) {
      return new Completion(deliveryId, status, attemptCount, nextAttemptAt, now, endpointId);
    }

    /** True when the delivery is over (succeeded or failed for good), not waiting for a retry. */
    public boolean ends() {
      return status != 1;
    }
  }

  public void insert(Sql sql, List<NewDelivery> rows) {
    List<Object[]> params = new ArrayList<>(rows.size());
    for (NewDelivery d : rows) {
      params.add(
          new Object[] {
            d.id(),
            d.orgId(),
            d.appId(),
            d.messageId(),
            d.endpointId(),
            1,
            d.manual(),
            0,
            d.nextAttemptAt(),
            d.leaseOwner(),
            d.leaseExpiresAt(),
            d.createdAt(),
            d.createdAt(),
            d.endpointId()
          });
    }
    // ordered is read from the endpoint in the same statement, so it agrees with the endpoint row
    // this transaction sees (ordered endpoints' rows are locked by the accepting transaction),
    // whichever of the writers (accept, resend, operational events) inserts. The lookup costs the
    // writer about 2 µs per delivery (docs/benchmarks.md, V17).
    sql.batch(
        "INSERT INTO delivery (id, org_id, app_id, message_id, endpoint_id, status, manual, attempt_count,"
            + " next_attempt_at, lease_owner, lease_expires_at, created_at, updated_at, ordered)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            + " COALESCE((SELECT ordered FROM endpoint WHERE id = ?), FALSE))",
        params);
  }

  /**
   * Leases up to {@code limit} due deliveries to {@code owner}: pending, due, and not leased (or
   * leased by a node whose lease lapsed), earliest due first. On PostgreSQL rows locked by another
   * claimer are skipped. Endpoints in {@code skipEndpoints} are left alone (their local queues are
   * full). Three statements, each one round trip, whatever the limit. On PostgreSQL it plans the
   * rest of its transaction without sorting ({@link Dialect#preferIndexOrder}): run it in a
   * transaction of its own.
   */
  public List<DeliveryTask> claimDue(
      Sql sql,
      String owner,
      Instant now,
      Instant leaseUntil,
      int limit,
      Collection<String> skipEndpoints) {
    return claimDue(sql, owner, now, leaseUntil, limit, skipEndpoints, null, endpointId -> true)
        .tasks();
  }

  /**
   * What a claim found: {@code scanned} due rows looked at (a full page, {@code scanned == limit},
   * means more may be due) and the deliveries it leased, earliest due first.
   */
  public record Claimed(int scanned, List<DeliveryTask> tasks) {}

  /**
   * As {@link #claimDue(Sql, String, Instant, Instant, int, Collection)}, but leases only the rows
   * {@code admit} accepts, asked once per due row in due order with the row's endpoint id. The
   * claimer uses it to take no more of an endpoint's work than that endpoint's lane has room for:
   * the oldest due rows are often one slow endpoint's backlog, and taking them all would fill the
   * node's in-flight budget with work that waits for that endpoint while other endpoints' work
   * stays in the database. A row not admitted is only looked at, never written (on PostgreSQL its
   * lock ends with the transaction).
   *
   * <p>Only rows that fell due after {@code dueAfter} are read unless it is null: a claimer that
   * has already walked the due queue to its end reads only the part that became due since, instead
   * of walking again past every row it left behind (see {@link #lockDue}).
   */
  public Claimed claimDue(
      Sql sql,
      String owner,
      Instant now,
      Instant leaseUntil,
      int limit,
      Collection<String> skipEndpoints,
      Instant dueAfter,
      Predicate<String> admit) {
    // Step 1: lock due ids in due order on the partial index alone (see lockDue). PostgreSQL's
    // statistics on a queue lag behind it: a backlog that built up since the last ANALYZE (or on a
    // table never analysed) is estimated at a few hundred rows, and the planner then reads all of
    // it and sorts it (100-370 ms at 200,000 due) instead of walking the index and stopping after
    // `limit` rows (about 1 ms). The claim's transaction therefore plans without sorting.
    sql.dialect().preferIndexOrder(sql);
    Statement lock = lockDue(sql.dialect(), now, dueAfter, limit, skipEndpoints);
    List<String[]> due = sql.query(lock.sql(), DeliveryStore::idAndEndpoint, lock.args());
    return leaseAdmitted(sql, owner, now, leaseUntil, due, admit);
  }

  /**
   * Leases, for each endpoint in {@code rooms}, up to its number of due deliveries, earliest due
   * first, through {@code admit} as {@link #claimDue(Sql, String, Instant, Instant, int,
   * Collection, Instant, Predicate)}. A claimer uses it for endpoints whose work it left in the
   * database while their lanes were full: each lookup reads that endpoint's due rows alone (index
   * {@code delivery_endpoint_due}), where the claim of all due work walks past every other
   * endpoint's backlog to reach them. It takes rows nobody leased: on SQLite that index holds no
   * others, and a lapsed lease (a node that died) is the claim of all due work's to find. {@code
   * scanned} is the number of rows looked at.
   */
  public Claimed claimDueOf(
      Sql sql,
      String owner,
      Instant now,
      Instant leaseUntil,
      Map<String, Integer> rooms,
      Predicate<String> admit) {
    List<String[]> due = new ArrayList<>();
    rooms.forEach(
        (endpointId, room) -> {
          Statement lock = lockDueOf(sql.dialect(), endpointId, now, room);
          due.addAll(sql.query(lock.sql(), DeliveryStore::idAndEndpoint, lock.args()));
        });
    return leaseAdmitted(sql, owner, now, leaseUntil, due, admit);
  }

  /** Step 1 of {@link #claimDueOf} for one endpoint: its unleased due ids, earliest first. */
  static Statement lockDueOf(Dialect dialect, String endpointId, Instant now, int limit) {
    return new Statement(
        "SELECT id, endpoint_id FROM delivery WHERE endpoint_id = ? AND status = 1"
            + " AND lease_owner IS NULL AND next_attempt_at <= ?"
            + " ORDER BY next_attempt_at LIMIT ?"
            + dialect.lockSkippingLocked(),
        endpointId,
        now,
        limit);
  }

  private static String[] idAndEndpoint(ResultSet rs) throws SQLException {
    return new String[] {rs.getString(1), rs.getString(2)};
  }

  /** Steps 2-3 of a claim: leases the locked due rows {@code admit} accepts and reads them. */
  private Claimed leaseAdmitted(
      Sql sql,
      String owner,
      Instant now,
      Instant leaseUntil,
      List<String[]> due,
      Predicate<String> admit) {
    List<String> ids = new ArrayList<>(due.size());
    for (String[] row : due) {
      if (admit.test(row[1])) {
        ids.add(row[0]);
      }
    }
    if (ids.isEmpty()) {
      return new Claimed(due.size(), List.of());
    }
    // Step 2: lease them, in one statement (a batch of one UPDATE per row cost 15-40 ms at 500
    // rows), which returns the delivery's part of what sending needs. The guard repeats the lease
    // condition, so a row another claimer took in between (impossible under the lock or the single
    // writer, but cheap to check) is left alone.
    Statement lease = lease(owner, leaseUntil, now, ids);
    Map<String, DeliveryTask> leased = new HashMap<>();
    sql.query(lease.sql(), DeliveryStore::mapLeased, lease.args())
        .forEach(t -> leased.put(t.deliveryId(), t));
    if (leased.isEmpty()) {
      return new Claimed(due.size(), List.of());
    }
    // Step 3: each message's part and payload once, shared by its deliveries (a fan-out claim of
    // 500 deliveries is of a few messages). Joined to the deliveries in a read of their own, the
    // claim re-read the 500 delivery rows it had just written, in one more round trip: the lease
    // and that read as one PostgreSQL statement took the whole claim from about 20 to 14 ms at
    // 200,000 due (docs/benchmarks.md); returning the columns from the lease does the same on
    // SQLite too, where an UPDATE cannot sit in a WITH clause.
    List<String> messageIds =
        leased.values().stream().map(DeliveryTask::messageId).distinct().toList();
    Statement read = readMessages(messageIds);
    Map<String, MessagePart> messageOf = new HashMap<>();
    sql.query(
        read.sql(),
        rs ->
            messageOf.put(
                rs.getString(1),
                new MessagePart(
                    rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)), rs.getBytes(4))),
        read.args());
    // Handed out in step 1's due order; a delivery whose message is gone is left to lapse.
    List<DeliveryTask> tasks = new ArrayList<>(leased.size());
    for (String id : ids) {
      DeliveryTask t = leased.get(id);
      MessagePart m = t == null ? null : messageOf.get(t.messageId());
      if (m != null) {
        tasks.add(withMessage(t, m));
      }
    }
    return new Claimed(due.size(), tasks);
  }

  /** What a claimed delivery takes from its message: trace context, creation time, payload. */
  private record MessagePart(String traceparent, Instant createdAt, byte[] payload) {}

  /**
   * Step 2 of {@link #claimDue}: leases the locked ids, returning the leased rows' columns that
   * sending needs ({@link #mapLeased}). The guard leaves out {@code status = 1}, which only a
   * pending row's lease holder changes: with it, the planner combined the primary key with the
   * whole of {@code delivery_due} (a bitmap of every due row, 35 ms at 200,000 due) instead of
   * looking up the ids alone.
   */
  static Statement lease(String owner, Instant leaseUntil, Instant now, List<String> ids) {
    List<Object> args = new ArrayList<>(List.of(owner, leaseUntil));
    args.addAll(ids);
    args.add(now);
    return new Statement(
        "UPDATE delivery SET lease_owner = ?, lease_expires_at = ? WHERE id IN ("
            + placeholders(ids.size())
            + ") AND (lease_expires_at IS NULL OR lease_expires_at < ?)"
            + " RETURNING id, org_id, app_id, message_id, endpoint_id, attempt_count, manual,"
            + " failing_notified",
        args.toArray());
  }

  /**
   * Step 3 of {@link #claimDue}: of these messages, the trace context, the time deliveries are
   * timed from and the payload (a message may have none left: null).
   */
  static Statement readMessages(Collection<String> messageIds) {
    return new Statement(
        "SELECT m.id, m.traceparent, COALESCE(m.deliver_at, m.created_at), p.payload"
            + " FROM message m LEFT JOIN message_payload p ON p.message_id = m.id"
            + " WHERE m.id IN ("
            + placeholders(messageIds.size())
            + ")",
        messageIds.toArray());
  }

  private static String placeholders(int n) {
    return String.join(", ", Collections.nCopies(n, "?"));
  }

  /** One SQL statement with its arguments, so a benchmark can EXPLAIN exactly what a claim runs. */
  record Statement(String sql, Object... args) {}

  /**
   * Step 1 of {@link #claimDue}: the statement that locks due ids (with their endpoints), earliest
   * due first. It touches only the delivery table and its partial index on due work ({@code
   * delivery_due}), so its cost does not grow with joins over a large backlog; the lock is taken
   * here on PostgreSQL. Run after {@link Dialect#preferIndexOrder}, it walks that index in order
   * and stops after {@code limit} rows, past the leased ones (in flight, at the front) and those of
   * skipped endpoints.
   */
  static Statement lockDue(
      Dialect dialect, Instant now, int limit, Collection<String> skipEndpoints) {
    return lockDue(dialect, now, null, limit, skipEndpoints);
  }

  /**
   * As {@link #lockDue(Dialect, Instant, int, Collection)}, of the rows due after {@code dueAfter}
   * alone when it is not null: a range of {@code delivery_due}, so the walk starts there instead of
   * at the front of the queue.
   */
  static Statement lockDue(
      Dialect dialect, Instant now, Instant dueAfter, int limit, Collection<String> skipEndpoints) {
    List<Object> args = new ArrayList<>(List.of(now, now));
    String after = "";
    if (dueAfter != null) {
      after = " AND next_attempt_at > ?";
      args.add(dueAfter);
    }
    String skip = "";
    if (!skipEndpoints.isEmpty()) {
      skip = " AND endpoint_id NOT IN (" + placeholders(skipEndpoints.size()) + ")";
      args.addAll(skipEndpoints);
    }
    args.add(limit);
    String lock = dialect.lockSkippingLocked();
    return new Statement(
        "SELECT id, endpoint_id FROM delivery WHERE status = 1 AND next_attempt_at <= ?"
            + " AND (lease_expires_at IS NULL OR lease_expires_at < ?)"
            + after
            + skip
            + " ORDER BY next_attempt_at LIMIT ?"
            + lock,
        args.toArray());
  }

  /** A row the lease step returned: the delivery's part of a task, without its message's. */
  private static DeliveryTask mapLeased(ResultSet rs) throws SQLException {
    return new DeliveryTask(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getInt(6),
        rs.getBoolean(7),
        null,
        null,
        null,
        rs.getBoolean(8));
  }

  private static DeliveryTask withMessage(DeliveryTask t, MessagePart m) {
    return new DeliveryTask(
        t.deliveryId(),
        t.orgId(),
        t.appId(),
        t.messageId(),
        t.endpointId(),
        t.attemptsMade(),
        t.manual(),
        m.payload(),
        m.traceparent(),
        m.createdAt(),
        t.failingReported());
  }

  /**
   * Pushes the lease of every delivery this node holds to {@code leaseUntil}. On PostgreSQL rows
   * locked by a transaction in progress are skipped: that is the attempt writer completing them
   * (their lease ends anyway), and waiting for it while holding locks on other rows of this node
   * deadlocked with it, losing the writer's whole batch.
   */
  public int extendLeases(
      Sql sql, String owner, Collection<String> deliveryIds, Instant leaseUntil) {
    // Only the deliveries the node still holds in memory: a delivery whose result was lost must
    // lapse so another attempt happens. Rows locked by the attempt writer are skipped (their lease
    // is extended next round, or they are being completed), which also rules out a deadlock
    // between the two updates.
    String lock = sql.dialect().lockSkippingLocked();
    List<String> ids = new ArrayList<>(deliveryIds);
    int updated = 0;
    for (int from = 0; from < ids.size(); from += 500) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
      List<Object> args = new ArrayList<>();
      args.add(leaseUntil);
      args.add(owner);
      args.addAll(chunk);
      updated +=
          sql.update(
              "UPDATE delivery SET lease_expires_at = ? WHERE id IN (SELECT id FROM delivery"
                  + " WHERE lease_owner = ? AND status = 1 AND id IN ("
                  + String.join(", ", Collections.nCopies(chunk.size(), "?"))
                  + ")"
                  + lock
                  + ")",
              args.toArray());
    }
    return updated;
  }

  /**
   * Gives back every lease. Only for SQLite at start: one process owns a SQLite database (a file
   * lock enforces it), so any lease found at start belongs to a previous run of this node.
   */
  public int releaseAllLeases(Sql sql) {
    return sql.update(
        "UPDATE delivery SET lease_owner = NULL, lease_expires_at = NULL WHERE lease_owner IS NOT NULL");
  }

  /**
   * Gives back leases (at shutdown, or of work this node will not start) so others take them at
   * once. The rows become due {@code now} (they were due already: only due work is leased): other
   * nodes' claims read the queue's front only now and then, and otherwise what fell due since their
   * last walk ({@link #claimDue(Sql, String, Instant, Instant, int, Collection, Instant,
   * Predicate)}), which a row due long ago and given back now would not be part of.
   */
  public int releaseLeases(Sql sql, String owner, Collection<String> deliveryIds, Instant now) {
    if (deliveryIds.isEmpty()) {
      return 0;
    }
    List<Object[]> params = new ArrayList<>();
    for (String id : deliveryIds) {
      params.add(new Object[] {now, id, owner});
    }
    int n = 0;
    for (int c :
        sql.batch(
            "UPDATE delivery SET lease_owner = NULL, lease_expires_at = NULL, next_attempt_at = ?"
                + " WHERE id = ? AND lease_owner = ? AND status = 1",
            params)) {
      n += Math.max(c, 0);
    }
    return n;
  }

  /**
   * Writes attempt results. Each update is guarded by the lease: a node that lost its lease (it
   * stalled past expiry and another node took over) changes nothing.
   *
   * @return per completion, whether the row was updated
   */
  public boolean[] complete(Sql sql, String owner, List<Completion> completions) {
    List<Object[]> params = new ArrayList<>(completions.size());
    for (Completion c : completions) {
      params.add(
          new Object[] {
            c.status(),
            c.attemptCount(),
            c.nextAttemptAt(),
            c.now(),
            c.status(),
            c.deliveryId(),
            owner
          });
    }
    // A delivery that stays pending re-reads its endpoint's ordered setting: it may have been in
    // flight when the setting changed (EndpointStore.reorder marks the others).
    int[] counts =
        sql.batch(
            "UPDATE delivery SET status = ?, attempt_count = ?, next_attempt_at = ?, lease_owner = NULL,"
                + " lease_expires_at = NULL, updated_at = ?, ordered = CASE WHEN ? = 1 THEN"
                + " COALESCE((SELECT e.ordered FROM endpoint e WHERE e.id = delivery.endpoint_id),"
                + " ordered) ELSE ordered END WHERE id = ? AND lease_owner = ?",
            params);
    boolean[] out = new boolean[counts.length];
    for (int i = 0; i < counts.length; i++) {
      out[i] = counts[i] != 0;
    }
    return out;
  }

  /** Marks deliveries whose failure was reported by an operational webhook. */
  public void markFailingReported(Sql sql, List<String> deliveryIds) {
    sql.batch(
        "UPDATE delivery SET failing_notified = TRUE WHERE id = ?",
        deliveryIds.stream().map(id -> new Object[] {id}).toList());
  }

  /**
   * True when a failure of this message at this endpoint was reported (failing or exhausted) and no
   * delivery of it there succeeded since, so a resend that succeeds reports the recovery once.
   */
  public boolean hasUnrecoveredFailureReport(Sql sql, String messageId, String endpointId) {
    return sql.queryLong(
            "SELECT COUNT(*) FROM delivery d WHERE d.message_id = ? AND d.endpoint_id = ?"
                + " AND d.failing_notified = TRUE AND d.status = 2 AND NOT EXISTS (SELECT 1 FROM delivery s"
                + " WHERE s.message_id = d.message_id AND s.endpoint_id = d.endpoint_id AND s.status = 0"
                + " AND s.created_at >= d.created_at AND s.id <> d.id)",
            messageId,
            endpointId)
        > 0;
  }

  /** A delivery joined with what the attempt-log views show about it. */
  public record DeliveryRow(
      String id,
      String messageId,
      String endpointId,
      int status,
      boolean leased,
      Instant nextAttemptAt) {}

  private static final String ROW_COLUMNS =
      "d.id AS d_id, d.message_id AS d_message_id, d.endpoint_id AS d_endpoint_id, d.status AS d_status,"
          + " d.lease_owner AS d_lease_owner, d.next_attempt_at AS d_next_attempt_at";

  private static DeliveryRow mapRow(ResultSet rs) throws SQLException {
    Long next = Sql.nullableLong(rs, "d_next_attempt_at");
    return new DeliveryRow(
        rs.getString("d_id"),
        rs.getString("d_message_id"),
        rs.getString("d_endpoint_id"),
        rs.getInt("d_status"),
        rs.getString("d_lease_owner") != null,
        next == null ? null : Instant.ofEpochMilli(next));
  }

  /** A message as seen from one endpoint: the message and its delivery's state. */
  public record EndpointMessage(dev.herald.message.Message message, DeliveryRow delivery) {}

  /**
   * Messages sent (or being sent) to an endpoint, newest first by default; scheduled deliveries
   * only.
   */
  public Page<EndpointMessage> listForEndpoint(
      Sql sql,
      String orgId,
      String endpointId,
      MessageStore.Filter f,
      Integer status,
      boolean withContent,
      PageRequest page) {
    List<Object> args = new ArrayList<>(List.of(orgId, endpointId));
    String where = MessageStore.filterClause(f, args, "m");
    if (status != null) {
      where += " AND d.status = ?";
      args.add(status);
    }
    var rows =
        sql.query(
            "SELECT m.id, m.org_id, m.app_id, m.event_type, m.event_id, m.channels, m.traceparent, m.created_at,"
                + " m.expires_at, m.tags, m.deliver_at, "
                + (withContent ? "p.payload" : "NULL AS payload")
                + ", "
                + ROW_COLUMNS
                + " FROM delivery d JOIN message m ON m.id = d.message_id"
                + " LEFT JOIN message_payload p ON p.message_id = m.id"
                + " WHERE d.org_id = ? AND d.endpoint_id = ? AND d.manual = FALSE"
                + sql.dialect().tenantIndexed("d")
                + where
                + page.cursorClause("m.id")
                + page.orderClause("m.id"),
            rs -> new EndpointMessage(MessageStore.map(rs), mapRow(rs)),
            page.withCursor(args.toArray()));
    return Page.of(rows, page, em -> em.message().id());
  }

  /** The scheduled deliveries of a message, one per endpoint it went to, by endpoint id. */
  public Page<DeliveryRow> listForMessage(
      Sql sql, String orgId, String messageId, PageRequest page) {
    var rows =
        sql.query(
            "SELECT "
                + ROW_COLUMNS
                + " FROM delivery d WHERE d.org_id = ? AND d.message_id = ? AND d.manual = FALSE"
                + page.cursorClause("d.endpoint_id")
                + page.orderClause("d.endpoint_id"),
            DeliveryStore::mapRow,
            page.withCursor(orgId, messageId));
    return Page.of(rows, page, DeliveryRow::endpointId);
  }

  /** Counts of an endpoint's deliveries by state, created within [since, until). */
  public record Stats(long success, long pending, long sending, long fail) {}

  public Stats stats(Sql sql, String orgId, String endpointId, Instant since, Instant until) {
    List<Object> args = new ArrayList<>(List.of(orgId, endpointId));
    String range = "";
    if (since != null) {
      range += " AND created_at >= ?";
      args.add(since);
    }
    if (until != null) {
      range += " AND created_at < ?";
      args.add(until);
    }
    long[] counts = new long[4];
    sql.query(
        "SELECT status, CASE WHEN lease_owner IS NULL THEN 0 ELSE 1 END AS leased, COUNT(*) FROM delivery"
            + " WHERE org_id = ? AND endpoint_id = ?"
            + sql.dialect().tenantIndexed("delivery")
            + range
            + " GROUP BY status, CASE WHEN lease_owner IS NULL THEN 0 ELSE 1 END",
        rs -> {
          int st = rs.getInt(1);
          boolean leased = rs.getInt(2) == 1;
          long n = rs.getLong(3);
          switch (st) {
            case 0 -> counts[0] += n;
            case 2 -> counts[3] += n;
            default -> counts[leased ? 2 : 1] += n;
          }
          return null;
        },
        args.toArray());
    return new Stats(counts[0], counts[1], counts[2], counts[3]);
  }

  /**
   * How many deliveries a recover of the endpoint's [since, until) would put back in the queue:
   * exactly the rows {@link #requeueFailed} takes. The id bound lets {@code delivery_endpoint
   * (endpoint_id, id)} read only the range; a minute of slack because an id's time and {@code
   * created_at} are read from the clock one after the other.
   */
  public long countFailed(Sql sql, String endpointId, Instant since, Instant until) {
    return sql.queryLong(
        "SELECT COUNT(*) FROM delivery WHERE endpoint_id = ? AND id >= ? AND status = 2"
            + " AND manual = FALSE AND created_at >= ? AND created_at < ?"
            + sql.dialect().tenantIndexed("delivery"),
        endpointId,
        Ids.lowerBound(IdPrefix.DELIVERY, since.toEpochMilli() - 60_000),
        since,
        until);
  }

  /**
   * Recover: puts failed scheduled deliveries of an endpoint, created in [since, until), back in
   * the queue with a fresh retry schedule. Works in batches after {@code afterId}; returns the last
   * id touched, or null when there was nothing left.
   */
  public String requeueFailed(
      Sql sql,
      String endpointId,
      Instant since,
      Instant until,
      String afterId,
      int batch,
      Instant now) {
    TenantIndexes.fill(sql);
    List<Object> args =
        new ArrayList<>(List.of(endpointId, since, until, afterId == null ? "" : afterId, batch));
    List<String> ids =
        sql.query(
            "SELECT id FROM delivery WHERE endpoint_id = ? AND status = 2 AND manual = FALSE AND created_at >= ?"
                + " AND created_at < ? AND id > ?"
                + sql.dialect().tenantIndexed("delivery")
                + " ORDER BY id LIMIT ?",
            rs -> rs.getString(1),
            args.toArray());
    if (ids.isEmpty()) {
      return null;
    }
    sql.batch(
        "UPDATE delivery SET status = 1, attempt_count = 0, next_attempt_at = ?, updated_at = ?"
            + " WHERE id = ? AND status = 2",
        ids.stream().map(id -> new Object[] {now, now, id}).toList());
    return ids.get(ids.size() - 1);
  }
}
