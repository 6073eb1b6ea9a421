package dev.herald.transform;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.graalvm.polyglot.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a transformation call that runs past its wall-clock budget or allocates past its cap. The
 * community build of GraalJS has no CPU-time or heap limit of its own (those come with Oracle
 * GraalVM's isolates), so calls are watched from outside: every {@link #TICK_MILLIS} ms one thread
 * reads each running call's elapsed time and the bytes its thread allocated, and cancels the
 * context of a call over either limit ({@code Context.close(true)}, on a thread of its own since it
 * waits for the script to stop). A call that still runs {@code grace} after its budget is handed to
 * {@code onStuck}. Nothing is scheduled per call: starting and ending a watch is a set insertion
 * and removal.
 */
final class Watchdog implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Watchdog.class);
  static final long TICK_MILLIS = 5;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private final SandboxLimits limits;
  private final Set<Watch> running = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService ticks;
  private final Executor cancellers = Executors.newVirtualThreadPerTaskExecutor();

  Watchdog(SandboxLimits limits) {
    this.limits = limits;
    this.ticks =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "herald-transform-watchdog");
              t.setDaemon(true);
              return t;
            });
    ticks.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  /**
   * Watches the calling thread until the returned watch is closed, first against {@code
   * firstBudget} (compiling), then against the call's budget from {@link Watch#restart}.
   */
  Watch start(Duration firstBudget, Runnable onStuck) {
    Watch w = new Watch(Thread.currentThread().threadId(), firstBudget, onStuck);
    running.add(w);
    return w;
  }

  private void tick() {
    try {
      for (Watch w : running) {
        w.check();
      }
    } catch (Throwable t) {
      log.error("the transformation watchdog failed a round; it will keep running", t);
    }
  }

  /** One call being watched. */
  final class Watch implements AutoCloseable {
    private final long threadId;
    private final Runnable onStuck;
    private volatile long startNanos = System.nanoTime();
    private volatile long allocatedAtStart;
    private volatile Duration budget;
    private volatile Context context;
    private volatile String tripped;
    private boolean stuckReported;

    private Watch(long threadId, Duration budget, Runnable onStuck) {
      this.threadId = threadId;
      this.budget = budget;
      this.onStuck = onStuck;
      this.allocatedAtStart = THREADS.getThreadAllocatedBytes(threadId);
    }

    /** The handler is about to run: its budget and allocation count start now. */
    void restart() {
      allocatedAtStart = THREADS.getThreadAllocatedBytes(threadId);
      budget = limits.budget();
      startNanos = System.nanoTime();
    }

    /** The context the call runs in now (a compile and a call may use different ones). */
    void attach(Context c) {
      context = c;
      if (tripped != null) {
        cancel(c);
      }
    }

    /** Why the call was stopped, or null if it was not. */
    String tripped() {
      return tripped;
    }

    private void check() {
      long elapsedNanos = System.nanoTime() - startNanos;
      if (tripped != null) {
        if (!stuckReported && elapsedNanos > limits.budget().plus(limits.grace()).toNanos()) {
          stuckReported = true;
          onStuck.run();
        }
        return;
      }
      long allocated = THREADS.getThreadAllocatedBytes(threadId) - allocatedAtStart;
      if (elapsedNanos > budget.toNanos()) {
        trip("ran past its time budget of " + budget.toMillis() + " ms");
      } else if (allocated > limits.allocationBytes()) {
        trip(
            "allocated more than its memory budget of "
                + (limits.allocationBytes() >> 20)
                + " MiB");
      }
    }

    private void trip(String reason) {
      tripped = reason;
      Context c = context;
      if (c != null) {
        cancel(c);
      }
    }

    private void cancel(Context c) {
      cancellers.execute(
          () -> {
            try {
              c.close(true);
            } catch (RuntimeException e) {
              // Already closed, or closing reported the cancellation itself: stopped either way.
            }
          });
    }

    @Override
    public void close() {
      running.remove(this);
    }
  }

  @Override
  public void close() {
    ticks.shutdownNow();
  }
}
