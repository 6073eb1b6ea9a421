package dev.herald.transform;

import java.lang.management.ManagementFactory;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.graalvm.polyglot.Context;

/**
 * Stops a transformation call that runs past its wall-clock budget or allocates past its cap. The
 * community build of GraalJS has no CPU-time or heap limit of its own (those come with Oracle
 * GraalVM's isolates), so each call is watched from outside: every {@link #TICK_MILLIS} ms its
 * elapsed time and the bytes its thread allocated are read, and a call over either limit has its
 * context cancelled ({@code Context.close(true)}, on a thread of its own since it waits for the
 * script to stop).
 */
final class Watchdog implements AutoCloseable {
  static final long TICK_MILLIS = 5;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private final SandboxLimits limits;
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
  }

  /** Watches the calling thread until the returned watch is closed. */
  Watch start() {
    Watch w = new Watch(Thread.currentThread().threadId());
    w.tick = ticks.scheduleAtFixedRate(w::check, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    return w;
  }

  /** Runs {@code action} after {@code delayMillis}, on the watchdog's thread. */
  ScheduledFuture<?> after(long delayMillis, Runnable action) {
    return ticks.schedule(action, delayMillis, TimeUnit.MILLISECONDS);
  }

  /** One call being watched. */
  final class Watch implements AutoCloseable {
    private final long threadId;
    private final long startNanos = System.nanoTime();
    private final long allocatedAtStart;
    private volatile Context context;
    private volatile String tripped;
    private ScheduledFuture<?> tick;

    private Watch(long threadId) {
      this.threadId = threadId;
      this.allocatedAtStart = THREADS.getThreadAllocatedBytes(threadId);
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
      if (tripped != null) {
        return;
      }
      long elapsedNanos = System.nanoTime() - startNanos;
      long allocated = THREADS.getThreadAllocatedBytes(threadId) - allocatedAtStart;
      if (elapsedNanos > limits.budget().toNanos()) {
        trip("ran past its time budget of " + limits.budget().toMillis() + " ms");
      } else if (allocated > limits.allocationBytes()) {
        trip(
            "allocated more than its memory budget of "
                + (limits.allocationBytes() >> 20)
                + " MiB");
      }
    }

    private void trip(String reason) {
      tripped = reason;
      tick.cancel(false);
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
      tick.cancel(false);
    }
  }

  @Override
  public void close() {
    ticks.shutdownNow();
  }
}
