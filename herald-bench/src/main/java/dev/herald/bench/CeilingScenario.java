package dev.herald.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The machine's HTTP ceiling: the generator POSTs the message body straight to the receiver. */
@Command(
    name = "ceiling",
    mixinStandardHelpOptions = true,
    description =
        "The generator POSTs 1 KiB messages straight to the receiver, no Herald: the machine's own HTTP ceiling.")
final class CeilingScenario extends Scenario {

  @Option(
      names = "--duration",
      converter = Durations.class,
      description = "measuring time (default: ${DEFAULT-VALUE})")
  Duration duration = Duration.ofSeconds(20);

  @Override
  String name() {
    return "ceiling";
  }

  @Override
  boolean needsCeiling() {
    return false;
  }

  @Override
  Map<String, Object> params() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("duration", Durations.format(duration));
    p.put("concurrency", Bench.MAX_RATE_CONCURRENCY);
    p.put("payload_bytes", Bench.PAYLOAD_BYTES);
    return p;
  }

  @Override
  Map<String, Object> measure(Bench bench) throws Exception {
    LoadGenerator.Run run = bench.measureCeiling(duration);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("requests", run.ok());
    m.put("errors", run.failed());
    m.put("latency", Stats.latency(run.latencyMicros()));
    return m;
  }
}
