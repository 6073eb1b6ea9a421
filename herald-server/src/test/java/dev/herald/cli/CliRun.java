package dev.herald.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** A {@code herald} command run in this JVM, as {@code Main} runs it, with what it printed. */
record CliRun(int exitCode, String out, String err) {

  /**
   * Runs the command line to its end; for commands that return (not {@code serve} or {@code
   * listen}).
   */
  static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }
}
