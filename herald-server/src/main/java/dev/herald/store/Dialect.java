package dev.herald.store;

import com.zaxxer.hikari.HikariConfig;
import java.sql.SQLException;

/**
 * What differs between the databases Herald runs on. Everything else in the store is plain SQL that
 * both accept; a dialect overrides only these points.
 */
public sealed interface Dialect permits SqliteDialect, PostgresDialect {

  String name();

  /** Flyway location of this dialect's migrations. */
  default String migrationLocation() {
    return "classpath:db/migration/" + name();
  }

  void configurePool(HikariConfig config);

  boolean isUniqueViolation(SQLException e);

  boolean isConnectionFailure(SQLException e);

  /** True when a text value could not be stored (PostgreSQL refuses U+0000 in text). */
  boolean isUnstorableText(SQLException e);

  /**
   * True when the database aborted the statement to break a deadlock or a serialization conflict:
   * the transaction may simply be run again.
   */
  boolean isTransientConflict(SQLException e);

  /**
   * The clause that locks the rows a {@code SELECT} returns while skipping rows other claimers hold
   * ({@code FOR UPDATE SKIP LOCKED}); empty where one writer runs at a time anyway.
   */
  String lockSkippingLocked();

  /**
   * The condition on a {@code delivery} row that selects an ordered endpoint's pending deliveries,
   * those in flight included, in a way that reaches the index this database keeps for them (with
   * {@code endpoint_id = ?} beside it): SQLite's {@code delivery_ordered_pending} holds ordered
   * endpoints' rows alone, because its {@code delivery_endpoint_due} leaves leased rows out
   * (migration V17); PostgreSQL's {@code delivery_endpoint_due} holds every pending row.
   */
  String pendingOfOrderedEndpoint();

  /**
   * The condition that lets a query by application or endpoint id on {@code message}, {@code
   * delivery} or {@code attempt} (table alias {@code alias}) reach the index by that id, starting
   * with " AND", or "" where those indexes hold every row. SQLite's hold only rows that {@link
   * TenantIndexes#fill} has marked (migration V18), so such a read must follow a fill: see {@link
   * Database#readByTenant}.
   */
  default String tenantIndexed(String alias) {
    return "";
  }

  /** Whether rows enter the indexes by application or endpoint id only when filled in bulk. */
  default boolean fillsTenantIndexes() {
    return false;
  }

  /**
   * Whether Herald keeps prepared statements open per connection and reuses them ({@link
   * StatementCache}): for drivers that compile every statement they are asked to prepare.
   * PostgreSQL's driver keeps server-side prepared statements per connection itself.
   */
  default boolean reusesPreparedStatements() {
    return false;
  }

  /**
   * True when the database takes one writer at a time (SQLite): every write then goes through one
   * pooled connection in IMMEDIATE mode, queueing in the pool instead of retrying on a busy lock,
   * and reads use a pool of their own that WAL lets run beside the writer.
   */
  boolean oneWriterConnection();

  /**
   * True when a read of several statements needs a transaction to see one snapshot (SQLite). False
   * where each statement sees its own snapshot inside a transaction as well (PostgreSQL at READ
   * COMMITTED, its default and Herald's): reads there run without one, saving the COMMIT's round
   * trip.
   */
  boolean readsInTransaction();

  /**
   * True when one process owns the database (SQLite, enforced by a file lock): any lease found at
   * start was then this node's own, from its last run, and may be given back at once.
   */
  boolean ownedByOneProcess();

  /**
   * The listener that wakes {@code onWork} when another node {@link #notifyWork notifies} of work
   * (PostgreSQL LISTEN); empty where one process owns the database. Notices node {@code nodeId}
   * sent itself are ignored.
   */
  java.util.Optional<WorkListener> workListener(
      DatabaseSettings settings,
      String nodeId,
      Runnable onWork,
      io.micrometer.core.instrument.Counter errors);

  /**
   * Serialises one-time set-up (bootstrap) across nodes starting at once on an empty database, for
   * the rest of the current transaction.
   */
  void lockForSetup(Sql sql);

  /**
   * Tells other nodes, once the current transaction commits, that work is waiting they could take
   * (PostgreSQL NOTIFY). A no-op where one process owns the database. {@code origin}: the node that
   * left the work and comes back for it by itself (its listener ignores the notice), or null when
   * every node's listener should wake, this one's included.
   */
  void notifyWork(Sql sql, String origin);

  /**
   * For the rest of the current transaction, plans {@code ORDER BY … LIMIT} by walking an index in
   * its order instead of reading every match and sorting it. For a work queue whose statistics lag
   * behind its churn (see {@code DeliveryStore.claimDue}). A no-op where the planner already does
   * so.
   */
  void preferIndexOrder(Sql sql);

  /**
   * The most due deliveries one claim takes ({@code DeliveryStore.claimDue}). Its cost grows with
   * the rows it leases, not with the backlog: on PostgreSQL each leased row is a new row version
   * with its index entries, and a claim of 500 took 14-20 ms at a 200,000 backlog where 200 took
   * 8-11 ms, draining as fast. SQLite's claim rides the group commit's batch and costs about 1 ms
   * at any size tried, and smaller claims drained a million-row backlog more slowly (11,391
   * deliveries/s with 250 against 13,482 with 500). Measurements in docs/benchmarks.md.
   */
  int claimBatch();

  /** The channel name nodes LISTEN on for {@link #notifyWork}. */
  String WORK_CHANNEL = "herald_work";
}
