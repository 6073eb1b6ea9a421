package dev.herald.job;

import dev.herald.error.Unavailable;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one background job over and over on its own daemon thread: the claim and lease loops, the
 * task runner, retention, the queue monitor, the LISTEN connection. No run can end the loop: every
 * {@link Throwable} is logged with its stack trace, counted in {@code
 * herald_background_errors_total {job}} and followed by the next run. The database being away
 * ({@link Unavailable}) is expected rather than a bug: it is logged in one line without a stack
 * trace, and the job backs off from 200 ms doubling up to 5 s until a run succeeds.
 *
 * <p>{@link #wake()} makes the next run happen now instead of after the interval; a wake-up that
 * arrives during a run is kept, so the run after it never misses what the waker wanted seen. {@link
 * #runOnce()} runs the job once on the caller's thread with the same handling, so a test can step a
 * job that was never started.
 */
public final class BackgroundJob implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BackgroundJob.class);
  static final long FIRST_BACKOFF_MILLIS = 200;
  static final long MAX_BACKOFF_MILLIS = 5_000;

  /**
   * How long {@link #close()} waits for a run in progress to end (a batch to commit, a lease given
   * back).
   */
  static final Duration STOP_WAIT = Duration.ofSeconds(15);

  /** One run of a job. */
  @FunctionalInterface
  public interface Run {
    /** Returns true to run again at once (more work is waiting), false to wait the interval. */
    boolean run() throws Exception;
  }

  /**
   * When a job runs: every {@code interval} (after a run, not from its start), {@code afterFailure}
   * after a run that failed other than by {@link Unavailable}, and the first run at once unless
   * {@code firstRunDelayed}.
   */
  public record Schedule(Duration interval, Duration afterFailure, boolean firstRunDelayed) {
    public Schedule {
      if (interval.isNegative() || afterFailure.isNegative()) {
        throw new IllegalArgumentException(
            "a job's interval and delay after failure must not be negative");
      }
    }

    public static Schedule every(Duration interval) {
      return new Schedule(interval, interval, false);
    }

    public Schedule afterFailure(Duration delay) {
      return new Schedule(interval, delay, firstRunDelayed);
    }

    /** The first run waits one interval, as the loop did when it slept before running. */
    public Schedule firstRunAfterInterval() {
      return new Schedule(interval, afterFailure, true);
    }
  }

  private final String name;
  private final Schedule schedule;
  private final Counter errors;
  private final Run job;
  private final Object lock = new Object();
  private boolean wakeRequested;
  private boolean stopped;
  private long backoffMillis;
  private Thread thread;

  /**
   * @param name the {@code job} label of the error metric and the thread's name after "herald-"
   * @param errors the job's {@code herald_background_errors_total} series (see {@code Metrics})
   */
  public BackgroundJob(String name, Schedule schedule, Counter errors, Run job) {
    this.name = name;
    this.schedule = schedule;
    this.errors = errors;
    this.job = job;
  }

  public String name() {
    return name;
  }

  public void start() {
    thread = Thread.ofPlatform().daemon().name("herald-" + name).start(this::loop);
  }

  /** Runs the job now, or as soon as the run in progress ends. */
  public void wake() {
    synchronized (lock) {
      wakeRequested = true;
      lock.notifyAll();
    }
  }

  /** One run on the caller's thread, with the loop's failure handling; never throws. */
  public void runOnce() {
    runAndTellDelay();
  }

  private void loop() {
    long delay = schedule.firstRunDelayed() ? schedule.interval().toMillis() : 0;
    while (pause(delay)) {
      delay = runAndTellDelay();
    }
  }

  /** Runs the job once and returns how long to wait before the next run. */
  private long runAndTellDelay() {
    try {
      boolean again = job.run();
      backoffMillis = 0;
      return again ? 0 : schedule.interval().toMillis();
    } catch (Unavailable e) {
      errors.increment();
      backoffMillis =
          Math.min(Math.max(backoffMillis * 2, FIRST_BACKOFF_MILLIS), MAX_BACKOFF_MILLIS);
      log.warn(
          "{}: the database is unavailable ({}); will keep running, next try in {} ms",
          name,
          e.getMessage(),
          backoffMillis);
      return backoffMillis;
    } catch (Throwable t) {
      errors.increment();
      log.error("{} failed; will keep running", name, t);
      return schedule.afterFailure().toMillis();
    }
  }

  /** Waits up to {@code millis} or until woken; false once the job is stopped. */
  private boolean pause(long millis) {
    synchronized (lock) {
      if (millis > 0) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        long left = millis;
        while (!stopped && !wakeRequested && left > 0) {
          try {
            lock.wait(left);
          } catch (InterruptedException e) {
            // Nothing here interrupts a job; an interrupt from elsewhere must not end the loop.
          }
          left = (deadline - System.nanoTime()) / 1_000_000;
        }
        // Kept through a run asked to go again at once (delay 0), so that wake-up is still
        // honoured.
        wakeRequested = false;
      }
      return !stopped;
    }
  }

  /**
   * Stops the loop: no run starts after this, and a run in progress may end (up to {@link
   * #STOP_WAIT}). A job whose run is long stops it by a flag of its own, set before this.
   */
  @Override
  public void close() {
    synchronized (lock) {
      stopped = true;
      lock.notifyAll();
    }
    if (thread != null && thread != Thread.currentThread()) {
      try {
        thread.join(STOP_WAIT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
