package dev.herald.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The sandbox on its own: lazy engine, warm contexts per code version, limits around a call. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SandboxTest {
  private Sandbox sandbox;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  /**
   * A roomy time budget: these tests are about other limits, and a busy two-core machine can spend
   * more than the default 250 ms on a script's first use of a builtin.
   */
  @BeforeAll
  void start() {
    sandbox = new Sandbox(SandboxLimits.defaults().withBudget(Duration.ofSeconds(5)), registry);
  }

  @AfterAll
  void stop() {
    sandbox.close();
  }

  private static Webhook webhook(String payload) {
    return new Webhook("https://example.com/h", "a.b", payload.getBytes(StandardCharsets.UTF_8));
  }

  private Transformed run(String key, String code, String payload) throws Exception {
    return sandbox.run(key, code, webhook(payload)).get();
  }

  @Test
  void creates_no_engine_until_the_first_call() throws Exception {
    Sandbox fresh = new Sandbox(SandboxLimits.defaults());
    try {
      assertThat(fresh.started()).isFalse();
      fresh.run(null, "function handler(w) { return w }", webhook("{}")).get();
      assertThat(fresh.started()).isTrue();
    } finally {
      fresh.close();
    }
  }

  @Test
  void keeps_one_warm_context_per_endpoint_and_recompiles_when_the_code_changes() throws Exception {
    String counting =
        "let calls = 0; function handler(w) { w.payload = {calls: ++calls}; return w }";
    assertThat(run("ep_1", counting, "{}").payload()).isEqualTo("{\"calls\":1}");
    assertThat(run("ep_1", counting, "{}").payload()).isEqualTo("{\"calls\":2}");
    assertThat(run("ep_2", counting, "{}").payload()).isEqualTo("{\"calls\":1}");
    String changed = counting.replace("++calls", "100 + ++calls");
    assertThat(run("ep_1", changed, "{}").payload()).isEqualTo("{\"calls\":101}");
  }

  @Test
  void a_stopped_script_loses_its_warm_context() throws Exception {
    String code =
        "let calls = 0; function handler(w) { calls++; if (w.payload.spin) for (;;) {}"
            + " w.payload = {calls: calls}; return w }";
    assertThat(run("ep_3", code, "{}").payload()).isEqualTo("{\"calls\":1}");
    assertThatThrownBy(() -> run("ep_3", code, "{\"spin\":true}"))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(ScriptFailed.class)
        .cause()
        .hasMessageStartingWith("stopped:");
    assertThat(run("ep_3", code, "{}").payload()).isEqualTo("{\"calls\":1}");
  }

  @Test
  void counts_calls_by_outcome_in_the_registry() throws Exception {
    double ok = count("ok");
    double failed = count("failed");
    double stopped = count("stopped");
    run(null, "function handler(w) { return w }", "{}");
    assertThatThrownBy(() -> run(null, "function handler(w) { throw new Error('no') }", "{}"))
        .hasCauseInstanceOf(ScriptFailed.class);
    assertThatThrownBy(() -> run(null, "function handler(w) { for (;;) {} }", "{}"))
        .hasCauseInstanceOf(ScriptFailed.class);
    assertThat(count("ok")).isEqualTo(ok + 1);
    assertThat(count("failed")).isEqualTo(failed + 1);
    assertThat(count("stopped")).isEqualTo(stopped + 1);
    assertThat(registry.get("herald.transformation.threads.lost").gauge().value()).isZero();
  }

  private double count(String outcome) {
    return registry.get("herald.transformations").tag("outcome", outcome).counter().count();
  }

  @Test
  void passes_a_payload_that_is_not_json_as_a_string() throws Exception {
    Transformed t =
        run(null, "function handler(w) { w.payload = {was: typeof w.payload}; return w }", "a=1");
    assertThat(t.payload()).isEqualTo("{\"was\":\"string\"}");
  }

  @Test
  void refuses_input_and_output_over_the_size_caps() {
    String big = "\"" + "x".repeat(SandboxLimits.INPUT_BYTES) + "\"";
    assertThatThrownBy(() -> run(null, "function handler(w) { return w }", big))
        .hasCauseInstanceOf(ScriptFailed.class)
        .cause()
        .hasMessageContaining("input limit");
    assertThatThrownBy(
            () ->
                run(
                    null,
                    "function handler(w) { w.payload = 'y'.repeat(1100000); return w }",
                    "{}"))
        .hasCauseInstanceOf(ScriptFailed.class)
        .cause()
        .hasMessageContaining("over the limit of " + SandboxLimits.OUTPUT_BYTES);
  }

  @Test
  void caps_console_output() throws Exception {
    Transformed t =
        run(
            null,
            "function handler(w) { for (let i = 0; i < 1000; i++) console.log('line ' + i);"
                + " return w }",
            "{}");
    assertThat(t.logs())
        .startsWith("line 0\nline 1\n")
        .endsWith("[console output truncated at 4096 bytes]");
    assertThat(t.logs().length()).isLessThan(SandboxLimits.LOG_BYTES + 100);
  }
}
