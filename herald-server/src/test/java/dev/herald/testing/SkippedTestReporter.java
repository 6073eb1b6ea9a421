package dev.herald.testing;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Prints one line on the build's console for every skipped or aborted test, with the reason:
 * Surefire's summary only counts them ("Skipped: 1"), and the reason is otherwise found only in the
 * XML report. Registered through META-INF/services, as JUnit finds listeners.
 *
 * <p>The line goes to the JVM's own stderr, not {@code System.err}: Surefire sends a test's {@code
 * System.err} to its output file (redirectTestOutputToFile), but shows the forked JVM's native
 * stderr on the console.
 */
public final class SkippedTestReporter implements TestExecutionListener {
  private final PrintStream console;

  /** The instance JUnit creates: writes to the JVM's own stderr. */
  public SkippedTestReporter() {
    this(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
  }

  SkippedTestReporter(PrintStream console) {
    this.console = console;
  }

  @Override
  public void executionSkipped(TestIdentifier test, String reason) {
    console.println("[SKIPPED] " + name(test) + ": " + reason);
  }

  @Override
  public void executionFinished(TestIdentifier test, TestExecutionResult result) {
    if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
      String reason = result.getThrowable().map(Throwable::getMessage).orElse("no reason given");
      console.println("[SKIPPED] " + name(test) + ": " + reason);
    }
  }

  private static String name(TestIdentifier test) {
    Optional<MethodSource> method =
        test.getSource().filter(MethodSource.class::isInstance).map(MethodSource.class::cast);
    return method
        .map(
            m ->
                m.getClassName().substring(m.getClassName().lastIndexOf('.') + 1)
                    + "."
                    + m.getMethodName())
        .orElse(test.getDisplayName());
  }
}
