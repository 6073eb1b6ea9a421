package dev.herald.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherFactory;

/** Skipped tests say why on the console (issue 14 point 7). */
class SkippedTestReporterTest {
  @Test
  void prints_each_skipped_or_aborted_test_with_its_reason() {
    ByteArrayOutputStream console = new ByteArrayOutputStream();

    // Without the listeners JUnit registers itself, or the build's console would show these too.
    LauncherConfig config =
        LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false).build();
    LauncherFactory.create(config)
        .execute(
            request().selectors(selectClass(Skipping.class)).build(),
            new SkippedTestReporter(new PrintStream(console, true, StandardCharsets.UTF_8)));

    String skipping = "[SKIPPED] SkippedTestReporterTest$Skipping.";
    assertThat(console.toString(StandardCharsets.UTF_8).lines())
        .containsExactlyInAnyOrder(
            skipping + "disabled: no receiver for this yet",
            skipping + "aborted: Assumption failed: this machine has no such tool",
            skipping + "aborted_without_a_reason: Assumption failed: assumption is not true");
  }

  /** Run only by the test above: Surefire leaves out nested classes. */
  static class Skipping {
    @Test
    @Disabled("no receiver for this yet")
    void disabled() {}

    @Test
    void aborted() {
      assumeTrue(false, "this machine has no such tool");
    }

    @Test
    void aborted_without_a_reason() {
      assumeTrue(false);
    }

    @Test
    void passes() {}
  }
}
