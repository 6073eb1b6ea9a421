package dev.herald.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.herald.error.Unavailable;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection pools and transactions. On SQLite all writes go through one connection (SQLite has
 * one writer at a time anyway; serialising in the pool avoids busy-lock retries), reads use a
 * separate pool that WAL lets run beside the writer. On PostgreSQL both are the same pool.
 */
public final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  @FunctionalInterface
  public interface Work<T> {
    T run(Sql sql);
  }

  private final Dialect dialect;
  private java.nio.channels.FileChannel lockChannel;
  private final HikariDataSource writers;
  private final HikariDataSource readers;

  /** Statements run in write and in read transactions ({@code herald_db_statements_total}). */
  private final LongAdder writeStatements = new LongAdder();

  private final LongAdder readStatements = new LongAdder();

  /** Prepared statements kept per connection, where the dialect's driver does not keep them. */
  private final StatementCache statementCache;

  private Database(Dialect dialect, HikariDataSource writers, HikariDataSource readers) {
    this.statementCache = dialect.reusesPreparedStatements() ? new StatementCache() : null;
    this.dialect = dialect;
    this.writers = writers;
    this.readers = readers;
  }

  public static Database open(DatabaseSettings settings) {
    return open(settings, null);
  }

  /**
   * Opens the pools; with a meter registry, pool metrics (active, idle, pending, timeouts) are
   * published.
   */
  public static Database open(
      DatabaseSettings settings, io.micrometer.core.instrument.MeterRegistry meters) {
    Dialect dialect = settings.dialect();
    settings.sqliteFile().ifPresent(Database::createParentDirectory);
    java.nio.channels.FileChannel lock =
        settings.sqliteFile().map(Database::lockExclusively).orElse(null);
    HikariDataSource writers;
    HikariDataSource readers;
    if (dialect.oneWriterConnection()) {
      writers = pool(settings, "herald-write", 1, "IMMEDIATE", meters);
      readers = pool(settings, "herald-read", settings.poolSize(), "DEFERRED", meters);
    } else {
      writers = pool(settings, "herald-db", settings.poolSize(), null, meters);
      readers = writers;
    }
    Database db = new Database(dialect, writers, readers);
    db.lockChannel = lock;
    db.migrate();
    if (meters != null) {
      db.registerStatementCounters(meters);
    }
    return db;
  }

  /**
   * Statements per transaction kind, savepoints and commits included: divided by the messages
   * delivered, the database work each message costs (the benchmarks publish it).
   */
  private void registerStatementCounters(io.micrometer.core.instrument.MeterRegistry meters) {
    io.micrometer.core.instrument.FunctionCounter.builder(
            "herald.db.statements", writeStatements, LongAdder::sum)
        .tag("transaction", "write")
        .description("statements sent to the database, commits and savepoints included")
        .register(meters);
    io.micrometer.core.instrument.FunctionCounter.builder(
            "herald.db.statements", readStatements, LongAdder::sum)
        .tag("transaction", "read")
        .description("statements sent to the database, commits and savepoints included")
        .register(meters);
  }

  private static void createParentDirectory(java.nio.file.Path file) {
    try {
      java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot create the data directory for " + file, e);
    }
  }

  /**
   * One process per SQLite database: a second Herald on the same file would break the lease rules
   * (SQLite has no row locks to share work safely), so it is refused at start. The holder writes
   * its process id into the lock file, so the refusal can name it.
   */
  private static java.nio.channels.FileChannel lockExclusively(java.nio.file.Path dbFile) {
    java.nio.file.Path lockFile = dbFile.resolveSibling(dbFile.getFileName() + ".lock");
    try {
      var channel =
          java.nio.channels.FileChannel.open(
              lockFile,
              java.nio.file.StandardOpenOption.CREATE,
              java.nio.file.StandardOpenOption.WRITE);
      if (channel.tryLock() == null) {
        channel.close();
        throw inUse(dbFile, lockFile);
      }
      channel.truncate(0);
      channel.write(
          java.nio.ByteBuffer.wrap(
              (ProcessHandle.current().pid() + "\n")
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
      return channel;
    } catch (java.nio.channels.OverlappingFileLockException e) {
      throw new IllegalStateException("this process already has " + dbFile + " open", e);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot lock " + lockFile, e);
    }
  }

  private static DataDirectoryInUse inUse(java.nio.file.Path dbFile, java.nio.file.Path lockFile) {
    String holder;
    try {
      String pid = java.nio.file.Files.readString(lockFile).trim();
      holder =
          pid.matches("\\d+")
              ? "another Herald process (pid " + pid + ")"
              : "another Herald process";
    } catch (java.io.IOException e) {
      holder = "another Herald process";
    }
    return new DataDirectoryInUse(
        "the data directory "
            + dbFile.toAbsolutePath().getParent()
            + " is in use by "
            + holder
            + ", which holds "
            + lockFile.getFileName()
            + "; stop it or set HERALD_DATA_DIR to another directory"
            + " (one node per SQLite database; use PostgreSQL for several)");
  }

  private static HikariDataSource pool(
      DatabaseSettings settings,
      String name,
      int size,
      String sqliteTransactionMode,
      io.micrometer.core.instrument.MeterRegistry meters) {
    HikariConfig config = new HikariConfig();
    if (meters != null) {
      config.setMetricsTrackerFactory(
          new com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory(meters));
    }
    config.setPoolName(name);
    config.setJdbcUrl(settings.jdbcUrl());
    if (settings.user() != null) {
      config.setUsername(settings.user());
      config.setPassword(settings.password());
    }
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(Math.min(size, 2));
    config.setAutoCommit(false);
    // Callers see a 503 after this long rather than waiting without bound for a dead database.
    config.setConnectionTimeout(3_000);
    config.setInitializationFailTimeout(-1);
    settings.dialect().configurePool(config);
    if (sqliteTransactionMode != null) {
      config.addDataSourceProperty("transaction_mode", sqliteTransactionMode);
    }
    return new HikariDataSource(config);
  }

  /**
   * The newest migration this build carries, and how many it carries ({@code V<n>__…sql} of each
   * dialect; there is no V7). {@code SchemaVersionTest} keeps both equal to the files.
   */
  static final int SCHEMA_VERSION = 18;

  static final int MIGRATIONS = 17;

  /**
   * Brings the schema up to {@link #SCHEMA_VERSION} with Flyway, unless it is there already. Why
   * the check: on an existing database Flyway had nothing to do but still cost about a sixth of the
   * main thread's start (its plugin registry, database detection, a scan of the jar for migrations,
   * the validation of every applied one), and a restart is the start that happens most
   * (docs/benchmarks.md, start-up). A schema that is older, newer, or has a failed migration goes
   * to Flyway as before.
   */
  private void migrate() {
    boolean current;
    try (Connection c = writers.getConnection()) {
      current = schemaCurrent(c);
    } catch (SQLException e) {
      current = false;
    }
    if (!current) {
      Flyway.configure()
          .dataSource(writers)
          .locations(dialect.migrationLocation())
          .load()
          .migrate();
    }
    log.info("database ready: dialect={}", dialect.name());
  }

  /**
   * True when Flyway's history records {@link #MIGRATIONS} migrations, the newest {@link
   * #SCHEMA_VERSION}, all successful; false when there is no history yet. Leaves the connection's
   * transaction rolled back.
   */
  static boolean schemaCurrent(Connection c) {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT version, success FROM flyway_schema_history")) {
      int applied = 0;
      int newest = 0;
      while (rs.next()) {
        String version = rs.getString(1);
        if (!rs.getBoolean(2)) {
          return false;
        }
        if (version != null) {
          applied++;
          newest = Math.max(newest, Integer.parseInt(version));
        }
      }
      return applied == MIGRATIONS && newest == SCHEMA_VERSION;
    } catch (SQLException | RuntimeException e) {
      // No history yet (a new database), or one this check cannot read: Flyway decides.
      return false;
    } finally {
      try {
        c.rollback();
      } catch (SQLException e) {
        log.debug("rollback after the schema check failed", e);
      }
    }
  }

  public Dialect dialect() {
    return dialect;
  }

  /** How often a write transaction the database aborted to break a deadlock is run again. */
  static final int MAX_CONFLICT_RETRIES = 8;

  /**
   * Runs work in one write transaction: committed when it returns, rolled back when it throws.
   *
   * <p>When the database aborts the transaction to break a deadlock or a serialization conflict
   * with another node's transaction, the work is rolled back and run again in a new transaction (a
   * few times, after a short random pause), so the conflict never reaches a caller. Work must
   * therefore have no effects outside the transaction, or undo them when it starts again.
   */
  public <T> T write(Work<T> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        return run(writers, writeStatements, true, work);
      } catch (TransientConflict e) {
        if (attempt > MAX_CONFLICT_RETRIES) {
          throw new StoreException("gave up after " + attempt + " deadlocks in a row", e);
        }
        log.debug("write transaction lost a deadlock; running it again (attempt {})", attempt + 1);
        pauseBeforeRetry(attempt);
      }
    }
  }

  /**
   * A random pause that grows with the attempt, so two transactions in a cycle do not meet again.
   */
  static void pauseBeforeRetry(int attempt) {
    long maxMillis = Math.min(200, 5L << Math.min(attempt, 6));
    try {
      Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(1, maxMillis + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unavailable("interrupted while retrying a write", e);
    }
  }

  /**
   * Runs read-only work; on SQLite it never waits for the writer. On PostgreSQL it runs without a
   * transaction ({@link Dialect#readsInTransaction}): one round trip per statement, none for a
   * COMMIT.
   */
  public <T> T read(Work<T> work) {
    return run(readers, readStatements, dialect.readsInTransaction(), work);
  }

  /**
   * Runs read-only work that selects {@code message}, {@code delivery} or {@code attempt} rows by
   * application or endpoint id (with {@link Dialect#tenantIndexed}). On SQLite the indexes it reads
   * take rows in bulk ({@link TenantIndexes}), so it first fills them with every row written before
   * it: the read then sees every row committed before it was asked for. That fill is a write
   * transaction and waits for the writer.
   */
  public <T> T readByTenant(Work<T> work) {
    if (dialect.fillsTenantIndexes()) {
      write(TenantIndexes::fill);
    }
    return read(work);
  }

  public void writeVoid(java.util.function.Consumer<Sql> work) {
    write(
        sql -> {
          work.accept(sql);
          return null;
        });
  }

  /**
   * Runs work on a connection of the pool: in one transaction, committed when it returns and rolled
   * back when it throws, or else (reads on PostgreSQL) each statement on its own. The pool's
   * connections do not auto-commit; one lent in auto-commit is given back to the pool out of it
   * again (Hikari resets it; {@code DatabaseReadTest} checks).
   */
  private <T> T run(DataSource pool, LongAdder statements, boolean transaction, Work<T> work) {
    try (Connection c = pool.getConnection()) {
      if (!transaction) {
        c.setAutoCommit(true);
      }
      try {
        T result = work.run(new Sql(c, dialect, statements, statementCache));
        if (transaction) {
          statements.increment();
          c.commit();
        }
        return result;
      } catch (RuntimeException | Error e) {
        if (transaction) {
          rollbackQuietly(c);
        }
        throw e;
      } catch (SQLException e) {
        if (c.isClosed()) {
          // A statement of the work lost the connection and the pool closed it; work that caught
          // that failure itself (a group-commit savepoint) then meets Hikari's "Connection is
          // closed" here, which carries no SQL state. The database is away, not broken.
          throw new Unavailable("the database is unavailable: the connection was lost", e);
        }
        throw e;
      }
    } catch (SQLTransientConnectionException e) {
      throw new Unavailable("the database is unavailable: " + e.getMessage(), e);
    } catch (SQLException e) {
      if (dialect.isTransientConflict(e)) {
        throw new TransientConflict("the database aborted the commit to break a conflict", e);
      }
      if (dialect.isConnectionFailure(e)) {
        throw new Unavailable("the database is unavailable: " + e.getMessage(), e);
      }
      throw new StoreException("transaction failed", e);
    }
  }

  /**
   * True when {@code failure} is a write or read that got no connection at all: the pool waited its
   * whole timeout and the database gave none (it is down or unreachable), as opposed to a
   * connection lost during the work.
   */
  static boolean gotNoConnection(Throwable failure) {
    return failure instanceof Unavailable
        && failure.getCause() instanceof SQLTransientConnectionException;
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException e) {
      log.debug("rollback failed; the connection is discarded", e);
    }
  }

  /** True when a trivial query succeeds within the pool's timeout. */
  public boolean isHealthy() {
    try {
      return read(sql -> sql.queryLong("SELECT 1") == 1);
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public void close() {
    writers.close();
    if (readers != writers) {
      readers.close();
    }
    if (lockChannel != null) {
      try {
        lockChannel.close();
      } catch (java.io.IOException e) {
        log.debug("closing the database lock failed", e);
      }
    }
  }
}
