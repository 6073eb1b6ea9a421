package dev.herald.job;

import dev.herald.store.Database;
import dev.herald.store.TenantIndexes;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.Optional;

/**
 * Fills SQLite's indexes by application and endpoint id with the rows written since the last fill
 * ({@link TenantIndexes}), once a second: what a read by application or endpoint must fill first
 * stays about a second's worth. None on PostgreSQL, whose indexes take every row as it is written.
 */
public final class TenantIndexFill {
  static final Duration INTERVAL = Duration.ofSeconds(1);

  private TenantIndexFill() {}

  public static Optional<BackgroundJob> job(Database db, Counter errors) {
    if (!db.dialect().fillsTenantIndexes()) {
      return Optional.empty();
    }
    return Optional.of(
        new BackgroundJob(
            "tenant-index-fill",
            BackgroundJob.Schedule.every(INTERVAL),
            errors,
            () -> {
              db.write(TenantIndexes::fill);
              return false;
            }));
  }
}
