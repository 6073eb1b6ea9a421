package dev.herald.incoming;

import dev.herald.job.BackgroundJob;
import dev.herald.store.Database;
import dev.herald.store.InboundStore;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.time.InstantSource;

/**
 * Deletes expired de-duplication keys and request-log entries, a bounded batch per run (an expired
 * key is also replaced in place when its request comes again, so this only bounds the tables).
 */
public final class InboundPrune {
  static final Duration INTERVAL = Duration.ofMinutes(10);
  static final int BATCH = 1_000;

  private InboundPrune() {}

  public static BackgroundJob job(
      Database db, InboundStore store, InstantSource clock, Counter errors) {
    return new BackgroundJob(
        "inbound-prune",
        BackgroundJob.Schedule.every(INTERVAL).firstRunAfterInterval(),
        errors,
        () -> db.write(sql -> store.prune(sql, clock.instant(), BATCH)) >= BATCH);
  }
}
