package dev.herald.transform;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SandboxPolicy;
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

  /**
   * Runs when the engine is created. The interpreter's own code is compiled by the JVM as it is
   * first used, so on a cold JVM the first {@code console.log}, {@code JSON.stringify} of a large
   * value or regular expression costs hundreds of milliseconds, more than a call's budget: the
   * warm-up uses them all first, outside any budget.
   */
  private static final String WARM_UP =
      """
      function handler(w) {
        let s = '';
        for (let i = 0; i < 100; i++) {
          const o = JSON.parse(JSON.stringify({i: i, s: 'x'.repeat(i), a: [i, String(i), true]}));
          s += o.s.toUpperCase().slice(1) + /x+(\\d*)/.test(o.s) + o.a.map(String).join('-');
          console.log('warm', i, o.a);
          w.payload['k' + (i % 7)] = Object.keys(o).concat(Object.entries(o).flat()).length;
        }
        w.payload.len = JSON.stringify(s.split('').reverse().join('')).length;
        w.headers = {'x-warm': new Date(0).toISOString()};
        try {
          w.payload.missing.deeper = 1;
        } catch (e) {
          w.payload.error = String(e) + e.stack;
        }
        return w;
      }
      """;

  /** Failing scripts, so that reporting a script's error is warm too. */
  private static final List<String> WARM_UP_FAILURES =
      List.of(
          "function handler(w) { return w.payload.missing.deeper }",
          "function handler(w) { return Java.type('java.lang.System') }",
          "function handler(w) { return eval('1') }",
          "const notAHandler = 1;",
          "function handler(w) { syntax error here }");

  private final SandboxLimits limits;
  private final AtomicInteger lost = new AtomicInteger();
  private volatile Runtime runtime;
  private volatile Engine engine;

  /** The threads, created on first use; the engine follows on the first of these threads. */
  private record Runtime(ThreadPoolExecutor executor, Watchdog watchdog, WarmContexts warm) {}

  public Sandbox(SandboxLimits limits) {
    this.limits = limits;
  }

  public SandboxLimits limits() {
    return limits;
  }

  /** True once the engine exists (for start-up tests: it must not before the first call). */
  public boolean started() {
    return engine != null;
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
    try {
      done.complete(call(rt, warmKey, code, webhook, done));
    } catch (ScriptFailed f) {
      done.completeExceptionally(f);
    } catch (Throwable t) {
      log.error("a transformation failed inside Herald; reported as the call's failure", t);
      done.completeExceptionally(new ScriptFailed("internal error: " + t));
    }
  }

  private Transformed call(
      Runtime rt,
      String warmKey,
      String code,
      Webhook webhook,
      CompletableFuture<Transformed> done) {
    Engine engine = engine();
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
        throw new ScriptFailed(reason(e, watch.tripped()));
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

  private String reason(PolyglotException e, String tripped) {
    if (tripped != null) {
      return "stopped: " + tripped;
    }
    if (e.isResourceExhausted()) {
      String m = String.valueOf(e.getMessage());
      return m.startsWith("Statement count limit")
          ? "stopped: executed more than " + limits.statements() + " statements"
          : "stopped: " + m;
    }
    if (e.isCancelled() || e.isInterrupted()) {
      return "stopped: cancelled";
    }
    if (e.isSyntaxError()) {
      return "SyntaxError: " + e.getMessage();
    }
    String where =
        e.getSourceLocation() != null
                && "transformation.js".equals(e.getSourceLocation().getSource().getName())
            ? " (line " + e.getSourceLocation().getStartLine() + ")"
            : "";
    return e.getMessage() + where;
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

  /**
   * The shared engine, created by the first call on a transformation thread (about a second on a
   * cold JVM, so neither start-up nor an HTTP or delivery thread pays it), then warmed with one
   * script so the first real call is not timed against its budget while classes still load.
   */
  private Engine engine() {
    Engine e = engine;
    if (e != null) {
      return e;
    }
    synchronized (this) {
      if (engine != null) {
        return engine;
      }
      long started = System.nanoTime();
      e =
          Engine.newBuilder("js")
              .sandbox(SandboxPolicy.CONSTRAINED)
              .out(java.io.OutputStream.nullOutputStream())
              .err(java.io.OutputStream.nullOutputStream())
              // Interpreter only by design (no truffle-runtime in the build): say nothing of it.
              .option("engine.WarnInterpreterOnly", "false")
              .build();
      try (Script s = Script.compile(e, WARM_UP, limits, null)) {
        s.call("{\"url\":\"https://example.com\"}", "{\"a\":[1]}", null);
      } catch (RuntimeException warmUpFailure) {
        log.warn("warming up the transformation engine failed; going on", warmUpFailure);
      }
      for (String failing : WARM_UP_FAILURES) {
        try (Script s = Script.compile(e, failing, limits, null)) {
          s.call("{\"url\":\"https://example.com\"}", "{}", null);
        } catch (PolyglotException expected) {
          reason(expected, null);
        }
      }
      log.info(
          "transformation engine started in {} ms (GraalJS, interpreter only, sandbox"
              + " CONSTRAINED)",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
      engine = e;
      return e;
    }
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
    Engine e = engine;
    if (e != null) {
      // Closing cancels and waits for every context: a written-off thread never stops, so the
      // wait is bounded and the node's shutdown goes on without it.
      Thread closing =
          Thread.ofPlatform()
              .daemon()
              .name("herald-transform-close")
              .start(
                  () -> {
                    try {
                      e.close(true);
                    } catch (RuntimeException ignored) {
                      // Closing at shutdown is best effort.
                    }
                  });
      try {
        closing.join(limits.grace());
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
