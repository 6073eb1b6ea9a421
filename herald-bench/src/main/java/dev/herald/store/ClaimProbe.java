package dev.herald.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Times Herald's own claim statement ({@link DeliveryStore#claimDue}) against a running node's
 * database, so the figure is for exactly the SQL the node runs. It lives in Herald's {@code store}
 * package only to build a {@link Sql} on its own connection (Database would refuse: the node holds
 * the SQLite file's lock).
 *
 * <p>PostgreSQL: the whole claim (SELECT … FOR UPDATE SKIP LOCKED, then the lease UPDATE) runs in a
 * transaction that is rolled back, so nothing is taken from the node.
 *
 * <p>SQLite: the node's writer connection begins its next IMMEDIATE transaction as soon as one ends
 * (sqlite-jdbc does that), so it holds the write lock for its whole life and no second process can
 * write. The probe opens the file read-only: the claim's SELECT runs in full and its UPDATE is
 * refused at once, so the time measured is the SELECT's, which is the part that grows with the
 * backlog.
 */
public final class ClaimProbe {

  /** One timed claim: how long it took and how many deliveries it took (-1: unknown, see above). */
  public record Sample(Duration took, int rows) {}

  private ClaimProbe() {}

  /**
   * Times {@code times} claims of up to {@code batch} deliveries each; null: the node's own batch
   * for this database ({@link Dialect#claimBatch}).
   */
  public static List<Sample> run(
      String jdbcUrl, String user, String password, Integer batch, int times) throws SQLException {
    Dialect dialect = new DatabaseSettings(jdbcUrl, user, password, 1).dialect();
    int limit = batch == null ? dialect.claimBatch() : batch;
    boolean sqlite = dialect instanceof SqliteDialect;
    DeliveryStore store = new DeliveryStore();
    try (Connection c = connect(jdbcUrl, user, password)) {
      Sql sql = new Sql(c, dialect);
      List<Sample> samples = new ArrayList<>();
      for (int i = 0; i < times; i++) {
        Instant now = Instant.now();
        long started = System.nanoTime();
        int rows;
        try {
          rows =
              store.claimDue(sql, "bench-probe", now, now.plusSeconds(60), limit, List.of()).size();
        } catch (StoreException e) {
          if (!sqlite) {
            throw e;
          }
          rows = -1; // the SELECT found due rows; the UPDATE was refused on the read-only file
        }
        long took = System.nanoTime() - started;
        c.rollback();
        samples.add(new Sample(Duration.ofNanos(took), rows));
      }
      return samples;
    }
  }

  /**
   * The plans of the claim's statements ({@link DeliveryStore#claimDue}) as the node runs them now,
   * after {@link Dialect#preferIndexOrder} as the claim does: {@code EXPLAIN (ANALYZE, BUFFERS)} on
   * PostgreSQL, in a transaction rolled back afterwards, for the lock step, then for the lease and
   * the read of their messages of the ids the lock step takes; {@code EXPLAIN QUERY PLAN} of the
   * lock step on SQLite. Then the lock step with every endpoint that has pending deliveries in the
   * skip list (up to the dispatcher's 500): what the node's own claim runs when every endpoint's
   * lane is full, as while all receivers are down. On PostgreSQL the table's statistics and index
   * sizes follow.
   */
  public static String explain(String jdbcUrl, String user, String password, Integer batch)
      throws SQLException {
    Dialect dialect = new DatabaseSettings(jdbcUrl, user, password, 1).dialect();
    int limit = batch == null ? dialect.claimBatch() : batch;
    boolean sqlite = dialect instanceof SqliteDialect;
    StringBuilder out = new StringBuilder();
    try (Connection c = connect(jdbcUrl, user, password)) {
      Sql sql = new Sql(c, dialect);
      List<String> endpoints =
          sql.query(
              "SELECT DISTINCT endpoint_id FROM delivery WHERE status = 1"
                  + " ORDER BY endpoint_id LIMIT 500",
              rs -> rs.getString(1));
      for (List<String> skip : List.of(List.<String>of(), endpoints)) {
        Instant now = Instant.now();
        dialect.preferIndexOrder(sql);
        DeliveryStore.Statement lock = DeliveryStore.lockDue(dialect, now, limit, skip);
        explain(
            sql,
            "lock step, limit " + limit + ", skipping " + skip.size() + " endpoints",
            lock,
            out);
        c.rollback();
        if (skip.isEmpty() && !sqlite) {
          dialect.preferIndexOrder(sql);
          List<String> ids = sql.query(lock.sql(), rs -> rs.getString(1), lock.args());
          if (ids.isEmpty()) {
            // The running node holds every due row right now: there is nothing for the later steps.
            out.append(
                "-- lease, read and payload steps not explained: the lock step took no rows\n");
          } else {
            explain(
                sql,
                "lease step, " + ids.size() + " ids",
                DeliveryStore.lease("bench-probe", now.plusSeconds(60), now, ids),
                out);
            List<String> messages =
                sql.query(
                    "SELECT DISTINCT message_id FROM delivery WHERE id IN ("
                        + String.join(", ", java.util.Collections.nCopies(ids.size(), "?"))
                        + ")",
                    rs -> rs.getString(1),
                    ids.toArray());
            explain(
                sql,
                "message step, " + messages.size() + " messages",
                DeliveryStore.readMessages(messages),
                out);
          }
          c.rollback();
        }
      }
      if (!sqlite) {
        out.append(
            String.join(
                "\n",
                sql.query(
                    "SELECT 'delivery: ' || c.reltuples::bigint"
                        + " || ' rows estimated by the planner (-1: never analysed), '"
                        + " || n_live_tup || ' live, ' || n_dead_tup"
                        + " || ' dead tuples, ' || n_tup_hot_upd || ' of ' || n_tup_upd || ' updates HOT, autovacuum '"
                        + " || autovacuum_count || ', autoanalyze ' || autoanalyze_count"
                        + " FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid WHERE s.relname = 'delivery'",
                    rs -> rs.getString(1))));
        out.append('\n');
        sql.query(
                "SELECT 'index ' || indexrelname || ': ' || pg_size_pretty(pg_relation_size(indexrelid))"
                    + " FROM pg_stat_user_indexes WHERE relname = 'delivery' ORDER BY indexrelname",
                rs -> rs.getString(1))
            .forEach(l -> out.append(l).append('\n'));
        c.rollback();
      }
    }
    return out.toString();
  }

  private static void explain(Sql sql, String title, DeliveryStore.Statement s, StringBuilder out) {
    boolean sqlite = sql.dialect() instanceof SqliteDialect;
    out.append("-- ")
        .append(title)
        .append("\n-- ")
        .append(s.sql().replaceAll("(\\?, ){8,}", "?, …, "))
        .append('\n');
    String explain = (sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN (ANALYZE, BUFFERS) ") + s.sql();
    int detail = sqlite ? 4 : 1;
    sql.query(explain, rs -> rs.getString(detail), s.args())
        .forEach(l -> out.append(l.replaceAll("'\\{[^}]{200,}}'", "'{…}'")).append('\n'));
    out.append('\n');
  }

  /** Deliveries still pending (due or not, leased or not). */
  public static long pending(String jdbcUrl, String user, String password) throws SQLException {
    try (Connection c = connect(jdbcUrl, user, password)) {
      Dialect dialect = new DatabaseSettings(jdbcUrl, user, password, 1).dialect();
      long n = new Sql(c, dialect).queryLong("SELECT COUNT(*) FROM delivery WHERE status = 1");
      c.rollback();
      return n;
    }
  }

  /** A connection of its own, in a transaction; read-only on SQLite (see the class comment). */
  private static Connection connect(String jdbcUrl, String user, String password)
      throws SQLException {
    Properties props = new Properties();
    if (user != null) {
      props.setProperty("user", user);
    }
    if (password != null) {
      props.setProperty("password", password);
    }
    if (jdbcUrl.startsWith("jdbc:sqlite:")) {
      props.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY
    }
    Connection c = DriverManager.getConnection(jdbcUrl, props);
    c.setAutoCommit(false);
    return c;
  }
}
