package dev.herald.transform;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.PolyglotException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs transformations: one shared GraalJS {@link Engine}, created on first use (a node whose
 * endpoints have none never loads GraalJS), a bounded executor apart from HTTP and delivery
 * threads, a {@link Watchdog} and the {@link WarmContexts}.
 *
 * <p>A script that ignores cancellation (GraalJS cannot stop a recursion that catches its own stack
 * overflows, because the cancellation is itself caught as one) is reported failed {@code grace}
 * after its budget; its thread is written off and replaced. After {@code lostThreads} such threads
 * the node runs no more transformations until restarted, so one tenant cannot take every core.
 */
public final class Sandbox implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Sandbox.class);

  private final SandboxLimits limits;
  private final AtomicInteger lost = new AtomicInteger();
  private final Counter ok;
  private final Counter failed;
  private final Counter stopped;
  private final Timer duration;
  private volatile Runtime runtime;
  private final SharedEngine engine = new SharedEngine();

  /** The threads, created on first use; the engine follows on the first of these threads. */
  private record Runtime(ThreadPoolExecutor executor, Watchdog watchdog, WarmContexts warm) {}

  public Sandbox(SandboxLimits limits) {
    this(limits, new SimpleMeterRegistry());
  }

  /**
   * Counts calls in {@code herald_transformations_total{outcome="ok|failed|stopped"}} (stopped: by
   * a limit), times them in {@code herald_transformation_duration_seconds}, and shows the threads
   * written off in {@code herald_transformation_threads_lost}.
   */
  public Sandbox(SandboxLimits limits, MeterRegistry registry) {
    this.limits = limits;
    this.ok = outcome(registry, "ok");
    this.failed = outcome(registry, "failed");
    this.stopped = outcome(registry, "stopped");
    this.duration =
        Timer.builder("herald.transformation.duration")
            .description("Transformation calls, from the start of the call to its answer")
            .register(registry);
    Gauge.builder("herald.transformation.threads.lost", lost, AtomicInteger::get)
        .description("Transformation threads running a script that ignored cancellation")
        .register(registry);
  }

  private static Counter outcome(MeterRegistry registry, String outcome) {
    return Counter.builder("herald.transformations")
        .description("Transformation calls by outcome")
        .tag("outcome", outcome)
        .register(registry);
  }

  public SandboxLimits limits() {
    return limits;
  }

  /** True once the engine exists (for start-up tests: it must not before the first call). */
  public boolean started() {
    return engine.started();
  }

  /**
   * Runs {@code code}'s handler on {@code webhook}. {@code warmKey} names the compiled context to
   * reuse (endpoint id); null compiles a context for this call only (simulate). Never throws: a
   * failure completes the future with {@link ScriptFailed}.
   */
  public CompletableFuture<Transformed> run(String warmKey, String code, Webhook webhook) {
    CompletableFuture<Transformed> done = new CompletableFuture<>();
    try {
      if (lost.get() >= limits.lostThreads()) {
        throw new ScriptFailed(
            "transformations are suspended on this node: "
                + lost.get()
                + " scripts could not be stopped (restart the node)");
      }
      if (webhook.payloadJson().length > limits.inputBytes()) {
        throw new ScriptFailed(
            "the payload is over the transformation input limit of "
                + limits.inputBytes()
                + " bytes");
      }
      Runtime rt = runtime();
      long submitted = System.nanoTime();
      rt.executor().execute(() -> complete(done, rt, warmKey, code, webhook, submitted));
    } catch (RejectedExecutionException e) {
      done.completeExceptionally(
          new ScriptFailed(
              "too many transformations waiting on this node (" + limits.queued() + ")"));
    } catch (Throwable t) {
      done.completeExceptionally(t instanceof ScriptFailed ? t : new ScriptFailed(t.toString()));
    }
    return done;
  }

  private void complete(
      CompletableFuture<Transformed> done,
      Runtime rt,
      String warmKey,
      String code,
      Webhook webhook,
      long submittedNanos) {
    long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - submittedNanos);
    if (waited > limits.maxWait().toMillis()) {
      // Behind a queue of slow scripts: fail now (retried later) rather than hold the attempt.
      done.completeExceptionally(
          new ScriptFailed("waited " + waited + " ms for a transformation thread; not run"));
      return;
    }
    long started = System.nanoTime();
    try {
      Transformed t = call(rt, warmKey, code, webhook, done);
      ok.increment();
      done.complete(t);
    } catch (ScriptFailed f) {
      (f.getMessage().startsWith("stopped:") ? stopped : failed).increment();
      done.completeExceptionally(f);
    } catch (Throwable t) {
      failed.increment();
      log.error("a transformation failed inside Herald; reported as the call's failure", t);
      done.completeExceptionally(new ScriptFailed("internal error: " + t));
    } finally {
      duration.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }
  }

  private Transformed call(
      Runtime rt,
      String warmKey,
      String code,
      Webhook webhook,
      CompletableFuture<Transformed> done) {
    Engine engine = this.engine.get(limits);
    Script script = null;
    AtomicBoolean writtenOff = new AtomicBoolean();
    Duration compileBudget = max(limits.budget(), SandboxLimits.COMPILE_BUDGET);
    try (Watchdog.Watch watch =
        rt.watchdog().start(compileBudget, () -> writeOffIfStuck(done, rt, warmKey, writtenOff))) {
      try {
        script = warmKey == null ? null : rt.warm().take(warmKey, code);
        if (script == null) {
          script = Script.compile(engine, code, limits, watch);
        }
        watch.restart();
        Script.Output out = script.call(webhook.envelopeJson(), webhook.payloadText(), watch);
        Transformed t = Transformed.check(out, limits);
        if (warmKey != null) {
          rt.warm().put(warmKey, script);
          script = null;
        }
        return t;
      } catch (PolyglotException e) {
        throw ScriptFailed.of(e, watch.tripped(), limits);
      } catch (IllegalStateException e) {
        // Using a context the watchdog closed a moment ago.
        String why = watch.tripped();
        throw new ScriptFailed(why != null ? "stopped: " + why : "failed: " + e.getMessage());
      }
    } finally {
      if (writtenOff.get()) {
        takeBack(rt);
      }
      if (script != null) {
        script.close();
      }
    }
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private void writeOffIfStuck(
      CompletableFuture<Transformed> done, Runtime rt, String warmKey, AtomicBoolean writtenOff) {
    synchronized (this) {
      if (done.isDone()) {
        return;
      }
      writtenOff.set(true);
      int n = lost.incrementAndGet();
      ThreadPoolExecutor ex = rt.executor();
      ex.setMaximumPoolSize(ex.getMaximumPoolSize() + 1);
      ex.setCorePoolSize(ex.getCorePoolSize() + 1);
      log.error(
          "a transformation ({}) did not stop when cancelled; its thread is written off and"
              + " replaced ({} of {} before transformations are suspended on this node)",
          warmKey == null ? "simulate" : "endpoint " + warmKey,
          n,
          limits.lostThreads());
    }
    ScriptFailed failed =
        new ScriptFailed(
            "stopped: ran past its time budget of "
                + limits.budget().toMillis()
                + " ms and ignored cancellation; its thread was written off");
    // Not on the watchdog's thread: what waits on the call (an attempt) continues from here.
    Thread.ofVirtual().start(() -> done.completeExceptionally(failed));
  }

  /** A written-off call came back after all (a builtin that polls late): its thread returns. */
  private synchronized void takeBack(Runtime rt) {
    lost.decrementAndGet();
    ThreadPoolExecutor ex = rt.executor();
    ex.setCorePoolSize(ex.getCorePoolSize() - 1);
    ex.setMaximumPoolSize(ex.getMaximumPoolSize() - 1);
    log.warn("a written-off transformation thread stopped after all; it is taken back");
  }

  private Runtime runtime() {
    Runtime rt = runtime;
    if (rt != null) {
      return rt;
    }
    synchronized (this) {
      if (runtime == null) {
        runtime = start();
      }
      return runtime;
    }
  }

  private Runtime start() {
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            limits.threads(),
            limits.threads(),
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(limits.queued()),
            r -> {
              Thread t = new Thread(r, "herald-transform-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    return new Runtime(executor, new Watchdog(limits), new WarmContexts(limits.warmContexts()));
  }

  @Override
  public void close() {
    Runtime rt = runtime;
    if (rt == null) {
      return;
    }
    rt.executor().shutdownNow();
    rt.watchdog().close();
    rt.warm().close();
    engine.close(limits.grace());
  }
}
