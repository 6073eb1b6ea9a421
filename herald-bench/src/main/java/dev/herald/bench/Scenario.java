package dev.herald.bench;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * One benchmark scenario as a subcommand. A run measures (the ceiling first, unless the scenario is
 * the ceiling or has no use for it), then records one result row.
 */
abstract class Scenario implements Callable<Integer> {

  @Mixin CommonOptions common = new CommonOptions();

  abstract String name();

  /** The sizes this run used, stored with the result. */
  abstract Map<String, Object> params();

  abstract Map<String, Object> measure(Bench bench) throws Exception;

  boolean needsCeiling() {
    return true;
  }

  @Override
  public Integer call() throws Exception {
    try (Bench bench = new Bench(common)) {
      runIn(bench);
    }
    return 0;
  }

  Map<String, Object> runIn(Bench bench) throws Exception {
    if (needsCeiling()) {
      bench.ceiling();
    }
    double loadBefore = Machine.loadAverage();
    Map<String, Object> metrics = new java.util.LinkedHashMap<>(measure(bench));
    // The machine may be shared: a busy neighbour shows here (and lowers the ceiling of the same
    // run).
    Map<String, Object> load = new java.util.LinkedHashMap<>();
    load.put("before", loadBefore);
    load.put("after", Machine.loadAverage());
    metrics.put("load_avg_1m", load);
    return bench.record(name(), params(), metrics);
  }
}
