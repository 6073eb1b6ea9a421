package dev.herald.store;

import com.zaxxer.hikari.HikariConfig;
import java.sql.SQLException;

public record SqliteDialect() implements Dialect {

  @Override
  public String name() {
    return "sqlite";
  }

  @Override
  public void configurePool(HikariConfig config) {
    // WAL lets readers run beside the single writer; busy_timeout makes a second writer wait for
    // the lock instead of failing at once; synchronous=FULL makes every commit survive power loss.
    config.addDataSourceProperty("journal_mode", "WAL");
    config.addDataSourceProperty("busy_timeout", "10000");
    config.addDataSourceProperty("synchronous", "FULL");
    config.addDataSourceProperty("foreign_keys", "true");
    // SQLite's own checkpoint interval (1,000 pages), explicit because a longer one was
    // measured and refused: at 10,000 pages each commit cost a third less and throughput rose
    // 8 %, but the writer then stalls for a whole long checkpoint, and the p99 at 1,000 msg/s
    // reached 280 ms in two of five runs (docs/benchmarks.md, "The WAL's checkpoint"). Passive
    // checkpoints on another connection, with 10,000 here as the backstop, were measured too:
    // 12 % more throughput, but stalls of 0.4 and 1 s in two of eleven latency runs.
    config.addDataSourceProperty("wal_autocheckpoint", "1000");
    config.setConnectionInitSql("PRAGMA busy_timeout = 10000");
  }

  @Override
  public boolean isUniqueViolation(SQLException e) {
    // SQLITE_CONSTRAINT_UNIQUE (2067) and SQLITE_CONSTRAINT_PRIMARYKEY (1555)
    String msg = String.valueOf(e.getMessage());
    return msg.contains("SQLITE_CONSTRAINT_UNIQUE") || msg.contains("SQLITE_CONSTRAINT_PRIMARYKEY");
  }

  @Override
  public boolean isConnectionFailure(SQLException e) {
    return String.valueOf(e.getMessage()).contains("SQLITE_CANTOPEN");
  }

  @Override
  public boolean isUnstorableText(SQLException e) {
    return false;
  }

  @Override
  public boolean isTransientConflict(SQLException e) {
    // One writer connection: transactions never wait on each other, so no deadlock can form.
    return false;
  }

  @Override
  public String lockSkippingLocked() {
    // One writer connection: a claim cannot meet another claimer's locks.
    return "";
  }

  @Override
  public String pendingOfOrderedEndpoint() {
    return "status = 1 AND ordered";
  }

  @Override
  public String tenantIndexed(String alias) {
    return " AND " + alias + ".tenant_indexed";
  }

  @Override
  public boolean fillsTenantIndexes() {
    return true;
  }

  @Override
  public boolean reusesPreparedStatements() {
    // sqlite-jdbc compiles the SQL on every prepareStatement.
    return true;
  }

  @Override
  public boolean oneWriterConnection() {
    return true;
  }

  @Override
  public boolean readsInTransaction() {
    return true;
  }

  @Override
  public int claimBatch() {
    return 500;
  }

  @Override
  public boolean ownedByOneProcess() {
    return true;
  }

  @Override
  public java.util.Optional<WorkListener> workListener(
      DatabaseSettings settings,
      String nodeId,
      Runnable onWork,
      io.micrometer.core.instrument.Counter errors) {
    // One process: the local dispatcher is woken directly.
    return java.util.Optional.empty();
  }

  @Override
  public void lockForSetup(Sql sql) {
    // Write transactions are IMMEDIATE and there is one process: already serialised.
  }

  @Override
  public void notifyWork(Sql sql, String origin) {
    // One process: the local dispatcher is woken directly.
  }

  @Override
  public void preferIndexOrder(Sql sql) {
    // SQLite walks the index that matches ORDER BY when one exists.
  }
}
