package dev.herald.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Regenerates the results table and machine facts in docs/benchmarks.md from the results file. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description =
        "Rewrites the generated sections of docs/benchmarks.md from the results file (latest row per scenario and database).")
final class ReportCommand implements Callable<Integer> {

  @Option(names = "--results", description = "default: ${DEFAULT-VALUE}")
  Path results = Path.of("herald-bench/results.jsonl");

  @Option(names = "--doc", description = "default: ${DEFAULT-VALUE}")
  Path doc = Path.of("docs/benchmarks.md");

  @Override
  public Integer call() throws Exception {
    String before = Files.readString(doc, StandardCharsets.UTF_8);
    String after = Report.update(before, Report.read(results));
    Files.writeString(doc, after, StandardCharsets.UTF_8);
    System.out.println(before.equals(after) ? doc + " is up to date" : "updated " + doc);
    return 0;
  }
}
