package dev.herald.transform;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The cost of one transformation call, for docs/benchmarks.md. Not part of the build's tests (it
 * times things); run it with
 *
 * <pre>
 * ./mvnw -o -q -pl herald-server test -Dtest=TransformationCostMeasurement \
 *     -Dherald.measure=true -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * and read the lines it prints (also in target/surefire-reports/*-output.txt).
 */
@EnabledIfSystemProperty(named = "herald.measure", matches = "true")
class TransformationCostMeasurement {

  private static final String SVIX_CUSTOM_URL =
      "function handler(webhook) { if (webhook.payload.customUrl) {"
          + " webhook.url = webhook.payload.customUrl; } return webhook; }";

  private static final String RESHAPE =
      "function handler(w) { w.payload = {text: w.eventType + ': ' + w.payload.n,"
          + " items: (w.payload.items || []).map(i => i.id)}; return w; }";

  @Test
  void prints_the_cost_per_call() throws Exception {
    // A roomy budget: this measures cost, and a loaded machine must not stop a call midway.
    try (Sandbox sandbox =
        new Sandbox(SandboxLimits.defaults().withBudget(java.time.Duration.ofSeconds(10)))) {
      long engineStart = System.nanoTime();
      sandbox.run(null, SVIX_CUSTOM_URL, webhook(1024)).get();
      report(
          "first call (engine creation + warm-up + compile)", System.nanoTime() - engineStart, 1);
      measure(sandbox, "Svix example, 1 KiB payload, warm context", SVIX_CUSTOM_URL, 1024, 20_000);
      measure(sandbox, "reshape, 1 KiB payload, warm context", RESHAPE, 1024, 20_000);
      measure(sandbox, "Svix example, 64 KiB payload, warm context", SVIX_CUSTOM_URL, 65_536, 500);
      measure(
          sandbox,
          "Svix example, 1 MiB payload, warm context",
          SVIX_CUSTOM_URL,
          (1 << 20) - 4096,
          20);
      measureScriptAlone(SVIX_CUSTOM_URL, 20_000);
      long cold = System.nanoTime();
      int n = 200;
      for (int i = 0; i < n; i++) {
        sandbox.run(null, SVIX_CUSTOM_URL, webhook(1024)).get();
      }
      report("Svix example, 1 KiB payload, fresh context (simulate)", System.nanoTime() - cold, n);
    }
  }

  /** The call alone on a warm context: no executor hand-off, watchdog or contract checks. */
  private static void measureScriptAlone(String code, int n) {
    try (org.graalvm.polyglot.Engine engine =
            org.graalvm.polyglot.Engine.newBuilder("js")
                .sandbox(org.graalvm.polyglot.SandboxPolicy.CONSTRAINED)
                .out(java.io.OutputStream.nullOutputStream())
                .err(java.io.OutputStream.nullOutputStream())
                .option("engine.WarnInterpreterOnly", "false")
                .build();
        Script script = Script.compile(engine, code, SandboxLimits.defaults(), null)) {
      Webhook w = webhook(1024);
      for (int i = 0; i < n; i++) {
        script.call(w.envelopeJson(), w.payloadText(), null);
      }
      long started = System.nanoTime();
      for (int i = 0; i < n; i++) {
        script.call(w.envelopeJson(), w.payloadText(), null);
      }
      report("Svix example, 1 KiB payload, the script call alone", System.nanoTime() - started, n);
    }
  }

  private static void measure(Sandbox sandbox, String what, String code, int size, int n)
      throws Exception {
    Webhook w = webhook(size);
    for (int i = 0; i < Math.min(n, 2_000); i++) {
      sandbox.run("ep_measure_" + code.hashCode(), code, w).get();
    }
    long started = System.nanoTime();
    for (int i = 0; i < n; i++) {
      sandbox.run("ep_measure_" + code.hashCode(), code, w).get();
    }
    report(what, System.nanoTime() - started, n);
  }

  private static void report(String what, long nanos, int n) {
    System.out.println(
        String.format(
            Locale.ROOT,
            "transformation cost: %-55s %10.1f us/call (n=%d)",
            what,
            nanos / 1e3 / n,
            n));
  }

  private static Webhook webhook(int size) {
    StringBuilder b = new StringBuilder("{\"n\":1,\"items\":[");
    int i = 0;
    while (b.length() < size - 40) {
      b.append(i == 0 ? "" : ",").append("{\"id\":").append(i++).append(",\"v\":\"abcdefgh\"}");
    }
    b.append("]}");
    return new Webhook(
        "https://example.com/h", "invoice.paid", b.toString().getBytes(StandardCharsets.UTF_8));
  }
}
