package dev.herald.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepared statements kept open per database connection and reused, so a statement Herald runs
 * again and again (the accept batch's inserts, the API key lookup) is compiled once per connection
 * rather than on every call. sqlite-jdbc compiles each {@code prepareStatement} anew: before this
 * cache, compiling took about 7 % of Herald's CPU under load, half of it on the serial writer (see
 * docs/benchmarks.md). PostgreSQL's driver keeps its own per-connection cache, so only dialects
 * that ask for it ({@link Dialect#reusesPreparedStatements}) use this one.
 *
 * <p>Statements are kept against the driver's own connection, not the pool's wrapper of it (a new
 * wrapper each time the connection is borrowed), and are only used by the thread that borrowed it.
 * A statement taken out is not in the cache until it is given back, so a query run while another
 * with the same SQL is still open gets a statement of its own. Each connection keeps the {@value
 * #CAPACITY} most recently used statements; SQL whose text varies with its input (a list of {@code
 * ?}) takes one slot per shape.
 */
final class StatementCache {
  private static final Logger log = LoggerFactory.getLogger(StatementCache.class);
  static final int CAPACITY = 128;

  /** Per connection of the driver. Closed connections are dropped when a new one comes. */
  private final Map<Connection, Idle> byConnection = new IdentityHashMap<>();

  /** A statement for {@code sql} on the connection {@code pooled} wraps, fresh or reused. */
  Prepared take(Connection pooled, String sql) throws SQLException {
    Connection driver =
        pooled.isWrapperFor(Connection.class) ? pooled.unwrap(Connection.class) : pooled;
    Idle idle = idleOf(driver);
    PreparedStatement ps = idle.remove(sql);
    if (ps == null || ps.isClosed()) {
      ps = driver.prepareStatement(sql);
    }
    return new Prepared(idle, sql, ps);
  }

  private synchronized Idle idleOf(Connection driver) {
    Idle idle = byConnection.get(driver);
    if (idle == null) {
      dropClosed();
      idle = new Idle();
      byConnection.put(driver, idle);
    }
    return idle;
  }

  /** Statements hold their connection: entries of closed connections are removed, not collected. */
  private void dropClosed() {
    for (Iterator<Connection> it = byConnection.keySet().iterator(); it.hasNext(); ) {
      try {
        if (it.next().isClosed()) {
          it.remove();
        }
      } catch (SQLException e) {
        it.remove();
      }
    }
  }

  /** One connection's statements not in use, least recently used first. */
  static final class Idle extends LinkedHashMap<String, PreparedStatement> {
    Idle() {
      super(16, 0.75f, true);
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
      if (size() <= CAPACITY) {
        return false;
      }
      closeQuietly(eldest.getValue());
      return true;
    }
  }

  /**
   * A statement in use. Closing it gives it back for the next caller, or closes it for good when
   * the use failed ({@link #discard}) or another statement for the same SQL was given back first.
   */
  static final class Prepared implements AutoCloseable {
    /** Where the statement goes back to; null for a statement used once. */
    private final Idle idle;

    private final String sql;
    final PreparedStatement statement;
    private boolean failed;

    Prepared(Idle idle, String sql, PreparedStatement statement) {
      this.idle = idle;
      this.sql = sql;
      this.statement = statement;
    }

    /** The statement failed: it is closed rather than used again. */
    void discard() {
      failed = true;
    }

    @Override
    public void close() {
      if (failed || idle == null) {
        closeQuietly(statement);
        return;
      }
      try {
        statement.clearParameters();
        statement.clearBatch();
      } catch (SQLException e) {
        closeQuietly(statement);
        return;
      }
      PreparedStatement previous = idle.put(sql, statement);
      if (previous != null && previous != statement) {
        closeQuietly(previous);
      }
    }
  }

  /** A statement that is closed after its one use (connections without a cache). */
  static Prepared once(Connection connection, String sql) throws SQLException {
    return new Prepared(null, sql, connection.prepareStatement(sql));
  }

  private static void closeQuietly(PreparedStatement ps) {
    try {
      ps.close();
    } catch (SQLException e) {
      log.debug("closing a cached statement failed", e);
    }
  }
}
