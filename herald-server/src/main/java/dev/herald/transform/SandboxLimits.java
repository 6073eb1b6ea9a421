package dev.herald.transform;

import java.time.Duration;

/**
 * What one transformation call may use. The budget and the allocation cap are enforced by {@link
 * Watchdog}; the statement limit by GraalJS itself; the size caps around the call.
 *
 * @param budget wall-clock time of one call of the handler; compiling a context (creating it and
 *     running the code's top level) has {@link #COMPILE_BUDGET} apart, since on a JVM that has not
 *     run it before the parser alone can take longer than a call
 * @param statements JavaScript statements one call may execute
 * @param allocationBytes bytes the calling thread may allocate during one call (garbage included)
 * @param grace how long after {@code budget} a call that ignores cancellation is waited for before
 *     its thread is written off ({@link Sandbox})
 * @param inputBytes the webhook object handed to the script, as JSON
 * @param outputBytes the transformed payload
 * @param logBytes console output kept per call
 * @param threads calls that run at once (the executor's size)
 * @param queued calls that may wait for a thread; more are refused at once
 * @param maxWait a call that waited longer for a thread fails without running (retried later)
 * @param warmContexts compiled transformations kept ready (one per endpoint and code version)
 * @param lostThreads threads written off before the node stops running transformations
 */
public record SandboxLimits(
    Duration budget,
    long statements,
    long allocationBytes,
    Duration grace,
    int inputBytes,
    int outputBytes,
    int logBytes,
    int threads,
    int queued,
    Duration maxWait,
    int warmContexts,
    int lostThreads) {

  public static final Duration BUDGET = Duration.ofMillis(250);
  public static final Duration COMPILE_BUDGET = Duration.ofSeconds(1);
  public static final long STATEMENTS = 1_000_000;
  public static final long ALLOCATION_BYTES = 64L << 20;
  // Long enough that a call the machine merely slowed down (a GC pause, a loaded host) is not taken
  // for one that ignores cancellation: a written-off call that returns is taken back, but is
  // reported failed meanwhile.
  public static final Duration GRACE = Duration.ofSeconds(2);
  public static final int INPUT_BYTES = 1 << 20;
  public static final int OUTPUT_BYTES = 1 << 20;
  public static final int LOG_BYTES = 4096;
  public static final int THREADS = 2;
  public static final int QUEUED = 1024;
  public static final Duration MAX_WAIT = Duration.ofSeconds(5);
  public static final int WARM_CONTEXTS = 256;
  public static final int LOST_THREADS = 4;

  public static SandboxLimits defaults() {
    return new SandboxLimits(
        BUDGET,
        STATEMENTS,
        ALLOCATION_BYTES,
        GRACE,
        INPUT_BYTES,
        OUTPUT_BYTES,
        LOG_BYTES,
        THREADS,
        QUEUED,
        MAX_WAIT,
        WARM_CONTEXTS,
        LOST_THREADS);
  }

  /** The same limits with another time budget. */
  public SandboxLimits withBudget(Duration newBudget) {
    return new SandboxLimits(
        newBudget,
        statements,
        allocationBytes,
        grace,
        inputBytes,
        outputBytes,
        logBytes,
        threads,
        queued,
        maxWait,
        warmContexts,
        lostThreads);
  }
}
