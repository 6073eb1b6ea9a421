package dev.herald.bench;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Messages per second accepted and delivered end to end: as fast as the generator can send, 1 KiB
 * payloads, many applications with one endpoint each, so every message is one delivery.
 */
@Command(
    name = "throughput",
    mixinStandardHelpOptions = true,
    description =
        "Messages/s accepted and delivered end to end (1 KiB, one endpoint per message, many apps).")
final class ThroughputScenario extends Scenario {
  private static final String STATEMENTS = "herald_db_statements_total";
  private static final String WRITE_STATEMENTS = "herald_db_statements_total{transaction=\"write\"";

  @Option(
      names = "--apps",
      description = "applications, one endpoint each (default: ${DEFAULT-VALUE})")
  int apps = 100;

  @Option(
      names = "--duration",
      converter = Durations.class,
      description = "sending time (default: ${DEFAULT-VALUE})")
  Duration duration = Duration.ofSeconds(30);

  @Option(
      names = "--warmup",
      converter = Durations.class,
      description = "sending time before measuring (default: ${DEFAULT-VALUE})")
  // Long enough for the JIT: with 10 s, C2's compilations still took a third of Herald's CPU in
  // the measured window on two cores, and the run measured compilation (docs/benchmarks.md).
  Duration warmup = Duration.ofSeconds(40);

  @Option(
      names = "--concurrency",
      description = "requests in flight to Herald (default: ${DEFAULT-VALUE})")
  int concurrency = Bench.MAX_RATE_CONCURRENCY;

  @Option(
      names = "--drain-timeout",
      converter = Durations.class,
      description = "how long to wait for the last deliveries (default: ${DEFAULT-VALUE})")
  Duration drainTimeout = Duration.ofMinutes(5);

  @Override
  String name() {
    return "throughput";
  }

  @Override
  Map<String, Object> params() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("apps", apps);
    p.put("duration", Durations.format(duration));
    p.put("warmup", Durations.format(warmup));
    p.put("concurrency", concurrency);
    p.put("payload_bytes", Bench.PAYLOAD_BYTES);
    return p;
  }

  @Override
  Map<String, Object> measure(Bench bench) throws Exception {
    try (Receiver receiver = new Receiver(bench.options.receiverPorts);
        Bench.Node node = bench.startNode(name(), Map.of());
        HeraldApi api = node.api();
        LoadGenerator generator =
            new LoadGenerator(concurrency, concurrency, Duration.ofSeconds(60))) {
      List<URI> targets = Setup.appsWithOneEndpoint(node, api, receiver, apps);
      byte[] body = Messages.body(Bench.PAYLOAD_BYTES);
      LoadGenerator.Requests requests =
          i -> new LoadGenerator.Target(targets.get((int) (i % apps)), body, HeraldProcess.API_KEY);
      if (!warmup.isZero()) {
        LoadGenerator.Run w =
            generator.maxRate(Long.MAX_VALUE, warmup, concurrency, requests, null);
        receiver.awaitDeliveries(w.ok(), drainTimeout);
        receiver.reset();
      }
      double statementsBefore = api.counter(STATEMENTS);
      double writesBefore = api.counter(WRITE_STATEMENTS);
      Duration cpuBefore = node.herald.cpuTime();
      LoadGenerator.Run run =
          generator.maxRate(Long.MAX_VALUE, duration, concurrency, requests, null);
      long deliveredWhileSending = receiver.deliveries();
      boolean all = receiver.awaitDeliveries(run.ok(), drainTimeout);
      node.herald.checkAlive();
      long delivered = receiver.deliveries();
      Duration cpu = node.herald.cpuTime().minus(cpuBefore);
      double statements = api.counter(STATEMENTS) - statementsBefore;
      double writes = api.counter(WRITE_STATEMENTS) - writesBefore;
      double deliverySeconds = (receiver.lastDeliveryNanos() - run.firstSentNanos()) / 1e9;
      double ingest = run.okPerSecond();
      double delivery = delivered / deliverySeconds;
      Double ceiling = bench.ceiling();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("accepted", run.ok());
      m.put("errors", run.failed());
      m.put("first_error", run.firstFailure());
      m.put("delivered", delivered);
      m.put("all_delivered", all);
      m.put("ingest_rps", Stats.round(ingest, 0));
      m.put("delivery_rps", Stats.round(delivery, 0));
      m.put("delivered_while_sending", deliveredWhileSending);
      m.put("ingest_ratio", ceiling == null ? null : Stats.round(ingest / ceiling, 3));
      m.put("delivery_ratio", ceiling == null ? null : Stats.round(delivery / ceiling, 3));
      m.put("ingest_latency", Stats.latency(run.latencyMicros()));
      m.put("rss_mib", Stats.mib(node.herald.rssBytes()));
      // Per delivered message, accept and attempt together: what the machine pays for each one,
      // robust to other load on the machine where the rates are not.
      m.put(
          "cpu_us_per_msg",
          delivered == 0 ? null : Stats.round(cpu.toNanos() / 1e3 / delivered, 0));
      m.put(
          "statements_per_msg",
          delivered == 0 || statementsBefore < 0 ? null : Stats.round(statements / delivered, 2));
      m.put(
          "write_statements_per_msg",
          delivered == 0 || writesBefore < 0 ? null : Stats.round(writes / delivered, 2));
      return m;
    }
  }
}
