package dev.herald.transform;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SandboxPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one GraalJS engine of a node, shared by every transformation context, created on first use
 * and warmed before it is handed out.
 */
final class SharedEngine {
  private static final Logger log = LoggerFactory.getLogger(SharedEngine.class);

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

  private volatile Engine engine;

  boolean started() {
    return engine != null;
  }

  /**
   * The shared engine, created by the first call on a transformation thread (about a second on a
   * cold JVM, so neither start-up nor an HTTP or delivery thread pays it), then warmed with a few
   * scripts, working and failing, so the first real calls are not timed against their budget while
   * the interpreter's code is still cold.
   */
  Engine get(SandboxLimits limits) {
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
          ScriptFailed.reason(expected, null, limits);
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

  /**
   * Closing cancels and waits for every context: a written-off thread never stops, so the wait is
   * bounded by {@code wait} and the node's shutdown goes on without it.
   */
  void close(Duration wait) {
    Engine e = engine;
    if (e != null) {
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
        closing.join(wait);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
