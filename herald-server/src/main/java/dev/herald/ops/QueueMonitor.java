package dev.herald.ops;

import dev.herald.job.BackgroundJob;
import dev.herald.store.Database;
import dev.herald.store.QueueStatsStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * Reads queue depth and failing endpoints from the database every {@link #INTERVAL} into the
 * metrics, so a scrape or a health check never runs a counting query itself.
 */
public final class QueueMonitor implements AutoCloseable {
  static final Duration INTERVAL = Duration.ofSeconds(5);

  private final Database db;
  private final QueueStatsStore store;
  private final Metrics metrics;
  private final InstantSource clock;
  private final BackgroundJob job;

  public QueueMonitor(Database db, QueueStatsStore store, Metrics metrics, InstantSource clock) {
    this.db = db;
    this.store = store;
    this.metrics = metrics;
    this.clock = clock;
    BackgroundJob.Schedule schedule =
        BackgroundJob.Schedule.every(INTERVAL).firstRunAfterInterval();
    this.job =
        new BackgroundJob(
            "queue-monitor",
            schedule,
            metrics.backgroundErrors("queue-monitor"),
            () -> {
              refresh();
              return false;
            });
  }

  /** Reads the queue at once (a failure is logged and counted), then every {@link #INTERVAL}. */
  public void start() {
    job.runOnce();
    job.start();
  }

  /**
   * Reads the queue now; throws when the database cannot be read. Public so tests can force a
   * reading.
   */
  public void refresh() {
    Instant now = clock.instant();
    var counts = db.read(sql -> store.counts(sql, now));
    double oldest =
        counts.oldestDueAt() == null
            ? 0
            : Math.max(0, (now.toEpochMilli() - counts.oldestDueAt()) / 1000.0);
    metrics.updateQueue(
        new Metrics.QueueSnapshot(
            counts.pending(), counts.dueNow(), counts.inFlight(), counts.leasedByDead(), oldest));
    long failing = db.read(store::countFailing);
    var top =
        db.read(sql -> store.topFailing(sql, Metrics.TOP_FAILING)).stream()
            .map(
                f ->
                    new Metrics.FailingEndpoint(
                        f.endpointId(),
                        f.appId(),
                        (now.toEpochMilli() - f.failingSince()) / 1000.0))
            .toList();
    metrics.updateFailing(failing, top);
  }

  @Override
  public void close() {
    job.close();
  }
}
