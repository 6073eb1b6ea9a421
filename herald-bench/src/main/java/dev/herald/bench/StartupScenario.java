package dev.herald.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Time from launching {@code java -jar herald.jar serve} until {@code /api/v1/health/ping} answers:
 * on an empty database (migrations run, the admin key is created) and again on the same database.
 */
@Command(
    name = "startup",
    mixinStandardHelpOptions = true,
    description =
        "Time from process start to /api/v1/health/ping answering (fresh and existing database).")
final class StartupScenario extends Scenario {

  @Option(names = "--repeat", description = "starts of each kind (default: ${DEFAULT-VALUE})")
  int repeat = 5;

  @Override
  String name() {
    return "startup";
  }

  @Override
  boolean needsCeiling() {
    return false;
  }

  @Override
  Map<String, Object> params() {
    return Map.of("repeat", repeat);
  }

  @Override
  Map<String, Object> measure(Bench bench) throws Exception {
    List<Double> fresh = new ArrayList<>();
    List<Double> existing = new ArrayList<>();
    List<Double> rss = new ArrayList<>();
    for (int i = 0; i < repeat; i++) {
      Bench.Node first = bench.startNode(name(), Map.of());
      fresh.add(first.herald.startupTime().toNanos() / 1e6);
      first.herald.close();
      Bench.Node again = bench.startNode(first.dataDir, first.db, Map.of());
      existing.add(again.herald.startupTime().toNanos() / 1e6);
      rss.add(Stats.mib(again.herald.rssBytes()));
      again.close();
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("fresh_ms", Stats.round(Stats.median(fresh), 0));
    m.put("existing_ms", Stats.round(Stats.median(existing), 0));
    m.put("fresh_ms_each", fresh.stream().map(d -> Stats.round(d, 0)).toList());
    m.put("existing_ms_each", existing.stream().map(d -> Stats.round(d, 0)).toList());
    m.put("rss_after_start_mib", Stats.median(rss));
    return m;
  }
}
