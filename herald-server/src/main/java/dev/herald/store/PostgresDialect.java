package dev.herald.store;

import com.zaxxer.hikari.HikariConfig;
import java.sql.SQLException;

public record PostgresDialect() implements Dialect {

  @Override
  public String name() {
    return "postgresql";
  }

  @Override
  public void configurePool(HikariConfig config) {
    config.addDataSourceProperty("reWriteBatchedInserts", "true");
    // Fail fast instead of hanging when the server is gone: the API answers 503 meanwhile.
    config.addDataSourceProperty("connectTimeout", "5");
    config.addDataSourceProperty("socketTimeout", "60");
  }

  @Override
  public boolean isUniqueViolation(SQLException e) {
    return "23505".equals(e.getSQLState());
  }

  @Override
  public boolean isConnectionFailure(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.startsWith("08") || state.equals("57P01"));
  }

  @Override
  public boolean isUnstorableText(SQLException e) {
    // 22021 character_not_in_repertoire: PostgreSQL text cannot hold U+0000
    return "22021".equals(e.getSQLState());
  }

  @Override
  public boolean isTransientConflict(SQLException e) {
    // 40P01 deadlock_detected, 40001 serialization_failure
    return "40P01".equals(e.getSQLState()) || "40001".equals(e.getSQLState());
  }

  @Override
  public String lockSkippingLocked() {
    return " FOR UPDATE SKIP LOCKED";
  }

  @Override
  public String pendingOfOrderedEndpoint() {
    // The ordered column is not read here: nodes of an earlier version, during a rolling upgrade,
    // write deliveries without it.
    return "status = 1";
  }

  @Override
  public boolean oneWriterConnection() {
    return false;
  }

  @Override
  public boolean readsInTransaction() {
    return false;
  }

  @Override
  public int claimBatch() {
    return 200;
  }

  @Override
  public boolean ownedByOneProcess() {
    return false;
  }

  @Override
  public java.util.Optional<WorkListener> workListener(
      DatabaseSettings settings,
      String nodeId,
      Runnable onWork,
      io.micrometer.core.instrument.Counter errors) {
    return java.util.Optional.of(new WorkListener(settings, nodeId, onWork, errors));
  }

  /** Arbitrary but fixed key of the advisory lock that serialises bootstrap. */
  private static final long SETUP_LOCK_KEY = 0x4845_5241_4c44L;

  @Override
  public void lockForSetup(Sql sql) {
    sql.queryOne("SELECT pg_advisory_xact_lock(?)", rs -> 1, SETUP_LOCK_KEY);
  }

  @Override
  public void notifyWork(Sql sql, String origin) {
    // Notices with the same payload in one transaction are delivered once.
    sql.queryOne("SELECT pg_notify(?, ?)", rs -> 1, WORK_CHANNEL, origin == null ? "" : origin);
  }

  @Override
  public void preferIndexOrder(Sql sql) {
    sql.update("SET LOCAL enable_sort = off");
  }
}
