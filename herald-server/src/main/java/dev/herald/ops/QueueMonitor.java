package dev.herald.ops;

import dev.herald.store.Database;
import dev.herald.store.QueueStatsStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads queue depth and failing endpoints from the database every {@link #INTERVAL} into the
 * metrics, so a scrape or a health check never runs a counting query itself.
 */
public final class QueueMonitor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(QueueMonitor.class);
  static final Duration INTERVAL = Duration.ofSeconds(5);

  private final Database db;
  private final QueueStatsStore store;
  private final Metrics metrics;
  private final InstantSource clock;
  private volatile boolean running = true;
  private volatile boolean databaseUp = true;
  private Thread thread;

  public QueueMonitor(Database db, QueueStatsStore store, Metrics metrics, InstantSource clock) {
    this.db = db;
    this.store = store;
    this.metrics = metrics;
    this.clock = clock;
  }

  public void start() {
    refresh();
    thread = Thread.ofPlatform().daemon().name("herald-queue-monitor").start(() -> {
      while (running) {
        try {
          Thread.sleep(INTERVAL.toMillis());
        } catch (InterruptedException e) {
          return;
        }
        refresh();
      }
    });
  }

  /** Reads the queue now. Public so tests and the health check can force a fresh reading. */
  public void refresh() {
    try {
      Instant now = clock.instant();
      var counts = db.read(sql -> store.counts(sql, now));
      double oldest = counts.oldestDueAt() == null ? 0 : Math.max(0, (now.toEpochMilli() - counts.oldestDueAt()) / 1000.0);
      metrics.updateQueue(new Metrics.QueueSnapshot(counts.pending(), counts.dueNow(), counts.inFlight(),
          counts.leasedByDead(), oldest));
      long failing = db.read(store::countFailing);
      var top = db.read(sql -> store.topFailing(sql, Metrics.TOP_FAILING)).stream()
          .map(f -> new Metrics.FailingEndpoint(f.endpointId(), f.appId(), (now.toEpochMilli() - f.failingSince()) / 1000.0))
          .toList();
      metrics.updateFailing(failing, top);
      databaseUp = true;
    } catch (RuntimeException e) {
      databaseUp = false;
      log.debug("queue monitor: {}", e.getMessage());
    }
  }

  public boolean databaseUp() {
    return databaseUp;
  }

  @Override
  public void close() {
    running = false;
    if (thread != null) {
      thread.interrupt();
    }
  }
}
