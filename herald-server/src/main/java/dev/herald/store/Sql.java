package dev.herald.store;

import dev.herald.error.Conflict;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The small JDBC runner every store uses: one connection (usually inside a transaction), positional
 * parameters, row mappers. SQL exceptions are translated here once, through the dialect.
 */
public final class Sql {

  @FunctionalInterface
  public interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private final Connection connection;
  private final Dialect dialect;

  /** Statements sent to the database, a JDBC batch and a savepoint counting as one each. */
  private final java.util.concurrent.atomic.LongAdder statements;

  /** Where prepared statements are kept for reuse; null: each is closed after its one use. */
  private final StatementCache cache;

  /**
   * On a connection outside {@link Database}'s transactions (tools, tests): statements are not
   * counted, nor kept.
   */
  Sql(Connection connection, Dialect dialect) {
    this(connection, dialect, new java.util.concurrent.atomic.LongAdder(), null);
  }

  Sql(
      Connection connection,
      Dialect dialect,
      java.util.concurrent.atomic.LongAdder statements,
      StatementCache cache) {
    this.connection = connection;
    this.dialect = dialect;
    this.statements = statements;
    this.cache = cache;
  }

  /** The statement this connection keeps for {@code sql}, prepared now if it has none (tests). */
  PreparedStatement preparedFor(String sql) {
    try (StatementCache.Prepared p = prepare(sql)) {
      return p.statement;
    } catch (SQLException e) {
      throw translate(sql, e);
    }
  }

  private StatementCache.Prepared prepare(String sql) throws SQLException {
    return cache == null ? StatementCache.once(connection, sql) : cache.take(connection, sql);
  }

  public Dialect dialect() {
    return dialect;
  }

  /**
   * Runs work inside a savepoint: when it throws, only its own changes are rolled back and the
   * enclosing transaction carries on. Group commit runs each caller's work this way.
   */
  public <T> T inSavepoint(Database.Work<T> work) {
    java.sql.Savepoint savepoint;
    statements.add(2);
    try {
      savepoint = connection.setSavepoint();
    } catch (SQLException e) {
      throw translate("SAVEPOINT", e);
    }
    try {
      T result = work.run(this);
      connection.releaseSavepoint(savepoint);
      return result;
    } catch (SQLException e) {
      throw translate("RELEASE SAVEPOINT", e);
    } catch (RuntimeException | Error e) {
      try {
        connection.rollback(savepoint);
      } catch (SQLException rollbackFailure) {
        e.addSuppressed(rollbackFailure);
      }
      throw e;
    }
  }

  public int update(String sql, Object... args) {
    return run(
        sql,
        ps -> {
          bind(ps, args);
          return ps.executeUpdate();
        });
  }

  /** Runs one statement for each parameter row in a single JDBC batch. */
  public int[] batch(String sql, List<Object[]> rows) {
    if (rows.isEmpty()) {
      return new int[0];
    }
    return run(
        sql,
        ps -> {
          for (Object[] row : rows) {
            bind(ps, row);
            ps.addBatch();
          }
          return ps.executeBatch();
        });
  }

  public <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) {
    return run(
        sql,
        ps -> {
          bind(ps, args);
          try (ResultSet rs = ps.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
              out.add(mapper.map(rs));
            }
            return out;
          }
        });
  }

  @FunctionalInterface
  private interface StatementUse<T> {
    T apply(PreparedStatement ps) throws SQLException;
  }

  /**
   * Counts the statement, runs {@code use} on it, and gives it back for reuse; a statement whose
   * use failed is closed instead, and SQL failures are translated.
   */
  private <T> T run(String sql, StatementUse<T> use) {
    statements.increment();
    try (StatementCache.Prepared p = prepare(sql)) {
      try {
        return use.apply(p.statement);
      } catch (SQLException | RuntimeException e) {
        p.discard();
        throw e;
      }
    } catch (SQLException e) {
      throw translate(sql, e);
    }
  }

  public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... args) {
    List<T> rows = query(sql, mapper, args);
    if (rows.size() > 1) {
      throw new IllegalStateException("expected at most one row, got " + rows.size() + ": " + sql);
    }
    // A row whose mapped value is SQL NULL reads as empty.
    return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(rows.get(0));
  }

  public long queryLong(String sql, Object... args) {
    return queryOne(sql, rs -> rs.getLong(1), args).orElse(0L);
  }

  private static void bind(PreparedStatement ps, Object[] args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      int index = i + 1;
      switch (a) {
        case null -> ps.setNull(index, Types.NULL);
        case String s -> ps.setString(index, s);
        case Long l -> ps.setLong(index, l);
        case Integer n -> ps.setInt(index, n);
        case Boolean b -> ps.setBoolean(index, b);
        case byte[] bytes -> ps.setBytes(index, bytes);
        case java.time.Instant t -> ps.setLong(index, t.toEpochMilli());
        default -> throw new IllegalArgumentException("unsupported parameter type " + a.getClass());
      }
    }
  }

  private RuntimeException translate(String sql, SQLException e) {
    if (dialect.isUniqueViolation(e)) {
      return new Conflict("conflict", "a resource with the same unique key already exists");
    }
    if (dialect.isUnstorableText(e)) {
      // A safety net: input validation refuses U+0000 first, so this names what slipped through.
      return new dev.herald.error.BadRequest(
          "invalid_text",
          "a text value contains the NUL character (U+0000)," + " which cannot be stored");
    }
    if (dialect.isTransientConflict(e)) {
      return new TransientConflict(
          "the database aborted a statement to break a deadlock: " + sql, e);
    }
    // A statement on a connection the pool already closed (it broke earlier in a shared
    // group-commit
    // transaction) fails with no SQL state at all: that is a lost connection too, not a bug.
    if (dialect.isConnectionFailure(e) || connectionClosed()) {
      return new dev.herald.error.Unavailable("the database is unavailable", e);
    }
    return new StoreException("SQL failed: " + sql, e);
  }

  private boolean connectionClosed() {
    try {
      return connection.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }

  /** Reads a nullable INTEGER/BIGINT column. */
  public static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  /** Reads a nullable epoch-milliseconds column. */
  public static java.time.Instant nullableInstant(ResultSet rs, String column) throws SQLException {
    Long millis = nullableLong(rs, column);
    return millis == null ? null : java.time.Instant.ofEpochMilli(millis);
  }

  public static Integer nullableInt(ResultSet rs, String column) throws SQLException {
    int v = rs.getInt(column);
    return rs.wasNull() ? null : v;
  }
}
