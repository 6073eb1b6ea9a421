package dev.herald.retention;

import dev.herald.id.IdPrefix;
import dev.herald.id.Ids;
import dev.herald.job.BackgroundJob;
import dev.herald.store.Database;
import dev.herald.store.RetentionStore;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the database bounded: drops payloads past their retention period, and messages and attempts
 * older than {@code HERALD_RETENTION_DAYS}, in small batches with a pause between them so the hot
 * path never waits behind a large delete.
 */
public final class RetentionJob implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);
  static final int BATCH = 1000;
  private static final Duration PAUSE_BETWEEN_BATCHES = Duration.ofMillis(20);

  private final Database db;
  private final RetentionStore store;
  private final InstantSource clock;
  private final Duration retention;
  private final BackgroundJob job;

  /** Cleared at close: a pass in progress stops after its current batch. */
  private volatile boolean running = true;

  /**
   * @param errors the {@code herald_background_errors_total{job="retention"}} series
   */
  public RetentionJob(
      Database db,
      RetentionStore store,
      InstantSource clock,
      Duration retention,
      Duration interval,
      Counter errors) {
    this.db = db;
    this.store = store;
    this.clock = clock;
    this.retention = retention;
    this.job =
        new BackgroundJob(
            "retention",
            BackgroundJob.Schedule.every(interval).firstRunAfterInterval(),
            errors,
            () -> {
              runOnce();
              return false;
            });
  }

  public void start() {
    job.start();
  }

  /** One full pass; returns the number of rows removed. Public for tests and the CLI. */
  public long runOnce() throws InterruptedException {
    Instant now = clock.instant();
    long cutoff = now.minus(retention).toEpochMilli();
    String attemptBound = Ids.lowerBound(IdPrefix.ATTEMPT, cutoff);
    String messageBound = Ids.lowerBound(IdPrefix.MESSAGE, cutoff);
    long removed = 0;
    removed += drain(() -> db.write(sql -> store.deleteExpiredPayloads(sql, now, BATCH)));
    removed += drain(() -> db.write(sql -> store.deleteAttemptsBefore(sql, attemptBound, BATCH)));
    removed += drain(() -> db.write(sql -> store.deleteMessagesBefore(sql, messageBound, BATCH)));
    removed += drain(() -> db.write(sql -> store.deleteExpiredIdempotencyKeys(sql, now, BATCH)));
    removed += drain(() -> db.write(sql -> store.deleteExpiredPortalTokens(sql, now, BATCH)));
    if (removed > 0) {
      log.info("retention removed {} rows (retention {})", removed, retention);
    }
    return removed;
  }

  private long drain(java.util.function.IntSupplier batch) throws InterruptedException {
    long total = 0;
    while (running) {
      int n = batch.getAsInt();
      total += n;
      if (n < BATCH) {
        break;
      }
      Thread.sleep(PAUSE_BETWEEN_BATCHES.toMillis());
    }
    return total;
  }

  @Override
  public void close() {
    running = false;
    job.close();
  }
}
