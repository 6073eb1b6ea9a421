package dev.herald.transform;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.ResourceLimits;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * One transformation compiled in its own GraalJS context: the code's top level has run and {@code
 * handler} is defined. Used by one call at a time; {@link WarmContexts} keeps it between calls.
 */
final class Script implements AutoCloseable {

  /**
   * Evaluated before the user's code, so the JSON functions it captures are the built-in ones. The
   * webhook crosses the boundary as JSON text both ways: the sandbox gives the script no access to
   * host objects, so nothing else could cross.
   */
  private static final String RUNNER =
      """
      (function () {
        const parse = JSON.parse, stringify = JSON.stringify;
        return function (envelope, payloadText) {
          if (typeof globalThis.handler !== 'function') {
            throw new TypeError('the code must declare a function named handler');
          }
          const webhook = parse(envelope);
          try {
            webhook.payload = parse(payloadText);
          } catch (notJson) {
            webhook.payload = payloadText;
          }
          const out = globalThis.handler(webhook);
          if (out === null || typeof out !== 'object') {
            throw new TypeError('handler must return the webhook object, not '
                + (out === null ? 'null' : typeof out));
          }
          return [typeof out.method === 'string' ? out.method : null,
              typeof out.url === 'string' ? out.url : null,
              stringify(out.payload === undefined ? null : out.payload),
              out.headers === undefined || out.headers === null ? null : stringify(out.headers),
              out.cancel === true];
        };
      })()
      """;

  /**
   * Size checks around the built-ins that make a huge value in one call ({@code 'y'.repeat(1e9)},
   * {@code new Uint8Array(2e9)}, {@code new Array(1e9).fill(0)}): the watchdog cancels between
   * steps, not inside one native call, so such a call ran until the JVM ran out of memory. Run
   * before the code, in the code's own context; a script cannot undo them (non-configurable). Not
   * exhaustive: a value grown step by step is stopped by the watchdog's allocation budget instead.
   */
  private static final String GUARDS =
      """
      (function () {
        const MAX = %d;
        const tooBig = (what) => {
          throw new RangeError(what + ' over the transformation limit of ' + MAX);
        };
        const guard = (owner, name, check) => {
          const original = owner[name];
          Object.defineProperty(owner, name, {
            value: function (...args) {
              check(this, args);
              return original.apply(this, args);
            },
            writable: false, configurable: false, enumerable: false
          });
        };
        const size = (n) => (typeof n === 'number' ? n : Number(n) || 0);
        guard(String.prototype, 'repeat', (s, a) => {
          if (String(s).length * size(a[0]) > MAX) tooBig('string');
        });
        guard(String.prototype, 'padStart', (s, a) => { if (size(a[0]) > MAX) tooBig('string'); });
        guard(String.prototype, 'padEnd', (s, a) => { if (size(a[0]) > MAX) tooBig('string'); });
        guard(Array.prototype, 'fill', (arr) => { if (arr.length > MAX) tooBig('array'); });
        guard(Array.prototype, 'join', (arr, a) => {
          const sep = a[0] === undefined ? 1 : String(a[0]).length;
          if (arr.length * Math.max(sep, 1) > MAX) tooBig('string');
        });
        guard(Array, 'from', (t, a) => {
          if (a[0] != null && size(a[0].length) > MAX) tooBig('array');
        });
        for (const name of ['ArrayBuffer', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray',
            'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array',
            'Float64Array', 'BigInt64Array', 'BigUint64Array', 'DataView']) {
          const C = globalThis[name];
          if (typeof C !== 'function') continue;
          Object.defineProperty(globalThis, name, {
            value: new Proxy(C, {
              construct(target, args, newTarget) {
                if (size(args[0]) > MAX) tooBig(name);
                return Reflect.construct(target, args, newTarget === globalThis[name] ? target : newTarget);
              }
            }),
            writable: false, configurable: false, enumerable: false
          });
        }
      })();
      """
          .formatted(8 * 1024 * 1024);

  final String code;
  private final Context context;
  private final Value runner;
  private final CappedLog log;

  private Script(String code, Context context, Value runner, CappedLog log) {
    this.code = code;
    this.context = context;
    this.runner = runner;
    this.log = log;
  }

  /**
   * A context on the shared engine, under {@link SandboxPolicy#CONSTRAINED}: no host access, I/O,
   * threads, processes or environment; with a statement limit; without {@code eval}/{@code
   * Function} code generation, {@code load}, {@code print} and the {@code Graal} object.
   */
  static Script compile(Engine engine, String code, SandboxLimits limits, Watchdog.Watch watch) {
    CappedLog log = new CappedLog(limits.logBytes());
    Context context =
        Context.newBuilder("js")
            .engine(engine)
            .sandbox(SandboxPolicy.CONSTRAINED)
            .out(log)
            .err(log)
            .in(java.io.InputStream.nullInputStream())
            .resourceLimits(
                ResourceLimits.newBuilder().statementLimit(limits.statements(), null).build())
            .option("js.allow-eval", "false")
            .option("js.load", "false")
            .option("js.print", "false")
            .option("js.graal-builtin", "false")
            .build();
    if (watch != null) {
      watch.attach(context);
    }
    try {
      context.eval("js", GUARDS);
      Value runner = context.eval("js", RUNNER);
      context.eval(Source.newBuilder("js", code, "transformation.js").buildLiteral());
      context.resetLimits();
      return new Script(code, context, runner, log);
    } catch (RuntimeException e) {
      context.close(true);
      throw e;
    }
  }

  /**
   * Runs {@code handler} on the webhook. The webhook crosses into the sandbox as JSON text and
   * comes back as five plain values, read here before the context is used again.
   */
  Output call(String envelopeJson, String payloadText, Watchdog.Watch watch) {
    log.reset();
    if (watch != null) {
      watch.attach(context);
    }
    try {
      Value out = runner.execute(envelopeJson, payloadText);
      return new Output(
          text(out.getArrayElement(0)),
          text(out.getArrayElement(1)),
          text(out.getArrayElement(2)),
          text(out.getArrayElement(3)),
          out.getArrayElement(4).asBoolean(),
          log.text());
    } finally {
      context.resetLimits();
    }
  }

  private static String text(Value v) {
    return v.isNull() ? null : v.asString();
  }

  /** What the runner read off the handler's answer; {@code payload} and {@code headers} as JSON. */
  record Output(
      String method, String url, String payload, String headers, boolean cancel, String logs) {}

  @Override
  public void close() {
    try {
      context.close(true);
    } catch (RuntimeException e) {
      // Closing a context that was cancelled may report the cancellation again: it is closed.
    }
  }
}
