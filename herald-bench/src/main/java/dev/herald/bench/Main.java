package dev.herald.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code java -jar herald-bench/target/herald-bench.jar <scenario> [options]}: each scenario starts
 * its own Herald, prints one JSON line and appends it to the results file; {@code report} turns the
 * results file into the table in docs/benchmarks.md. Run from the repository root (the defaults of
 * --herald-jar, --results and --doc are relative to it).
 */
@Command(
    name = "herald-bench",
    mixinStandardHelpOptions = true,
    description =
        "Herald's benchmarks. Each scenario prints a one-line JSON result and appends it to the results file.",
    subcommands = {
      CeilingScenario.class,
      ThroughputScenario.class,
      LatencyScenario.class,
      FanoutScenario.class,
      IsolationScenario.class,
      SlowEndpointsScenario.class,
      BacklogScenario.class,
      StartupScenario.class,
      BlackboxScenario.class,
      OrderedScenario.class,
      IngestScenario.class,
      PayloadCostsScenario.class,
      Main.All.class,
      ReportCommand.class
    })
public final class Main implements Callable<Integer> {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String... args) {
    return new CommandLine(new Main()).setOverwrittenOptionsAllowed(true).execute(args);
  }

  @Override
  public Integer call() {
    CommandLine.usage(this, System.out);
    return 2;
  }

  static boolean onPath(String program) {
    String path = System.getenv("PATH");
    return path != null
        && java.util.Arrays.stream(path.split(java.io.File.pathSeparator))
            .anyMatch(dir -> java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, program)));
  }

  /**
   * Every scenario at its default size in one invocation, the ceiling measured once at the start.
   */
  @Command(
      name = "all",
      mixinStandardHelpOptions = true,
      description =
          "Runs ceiling, throughput, latency, fanout, isolation, slow-endpoints, backlog, startup and"
              + " blackbox (when wrk is installed) at their default sizes.")
  static final class All implements Callable<Integer> {
    @Mixin CommonOptions common = new CommonOptions();

    @Option(
        names = "--skip",
        split = ",",
        description = "scenarios to leave out, e.g. --skip backlog,isolation")
    List<String> skip = new ArrayList<>();

    @Option(
        names = "--backlog",
        description = "deliveries for the backlog scenario (default: its own default)")
    Integer backlog;

    @Override
    public Integer call() throws Exception {
      BacklogScenario backlogScenario = new BacklogScenario();
      if (backlog != null) {
        backlogScenario.backlog = backlog;
      }
      List<Scenario> scenarios =
          List.of(
              new CeilingScenario(),
              new ThroughputScenario(),
              new LatencyScenario(),
              new FanoutScenario(),
              new IsolationScenario(),
              new SlowEndpointsScenario(),
              backlogScenario,
              new StartupScenario(),
              new BlackboxScenario());
      List<String> failed = new ArrayList<>();
      try (Bench bench = new Bench(common)) {
        for (Scenario s : scenarios) {
          if (skip.contains(s.name())) {
            continue;
          }
          if (s instanceof BlackboxScenario && !onPath("wrk")) {
            System.err.println(
                "herald-bench: skipping blackbox: wrk is not installed (e.g. apt-get install wrk)");
            continue;
          }
          s.common = common;
          System.err.println("herald-bench: running " + s.name());
          try {
            s.runIn(bench);
          } catch (Exception e) {
            // One failed scenario (e.g. Herald died under it) should not cost the others' numbers.
            failed.add(s.name());
            System.err.println("herald-bench: " + s.name() + " failed:");
            e.printStackTrace();
          }
        }
      }
      if (!failed.isEmpty()) {
        System.err.println("herald-bench: failed scenarios: " + String.join(", ", failed));
        return 1;
      }
      return 0;
    }
  }
}
