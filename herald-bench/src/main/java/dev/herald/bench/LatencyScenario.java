package dev.herald.bench;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Latency at a fixed arrival rate, open-loop: the API's answer (202) and ingest→receive (from the
 * moment the generator was due to send until the receiver had the message), both from the intended
 * send time.
 */
@Command(
    name = "latency",
    mixinStandardHelpOptions = true,
    description =
        "Fixed arrival rate (default 1,000 msg/s for 60 s): ingest→receive latency p50/p99/p99.9/max.")
final class LatencyScenario extends Scenario {

  @Option(names = "--rate", description = "messages per second (default: ${DEFAULT-VALUE})")
  double rate = 1000;

  @Option(
      names = "--duration",
      converter = Durations.class,
      description = "measuring time (default: ${DEFAULT-VALUE})")
  Duration duration = Duration.ofSeconds(60);

  @Option(
      names = "--warmup",
      converter = Durations.class,
      description = "time at the same rate before measuring (default: ${DEFAULT-VALUE})")
  Duration warmup = Duration.ofSeconds(10);

  @Option(
      names = "--apps",
      description =
          "applications, one endpoint each; messages go round-robin (default: ${DEFAULT-VALUE})")
  int apps = 100;

  @Option(
      names = "--max-in-flight",
      description = "requests the generator keeps outstanding at most (default: ${DEFAULT-VALUE})")
  int maxInFlight = 1000;

  @Option(
      names = "--drain-timeout",
      converter = Durations.class,
      description = "how long to wait for the last deliveries (default: ${DEFAULT-VALUE})")
  Duration drainTimeout = Duration.ofMinutes(2);

  @Override
  String name() {
    return "latency";
  }

  @Override
  Map<String, Object> params() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("rate", rate);
    p.put("duration", Durations.format(duration));
    p.put("warmup", Durations.format(warmup));
    p.put("apps", apps);
    p.put("payload_bytes", Bench.PAYLOAD_BYTES);
    return p;
  }

  @Override
  Map<String, Object> measure(Bench bench) throws Exception {
    try (Receiver receiver = new Receiver(bench.options.receiverPorts);
        Bench.Node node = bench.startNode(name(), Map.of());
        HeraldApi api = node.api();
        LoadGenerator generator =
            new LoadGenerator(Bench.MAX_RATE_CONCURRENCY, maxInFlight, Duration.ofSeconds(60))) {
      List<URI> targets = Setup.appsWithOneEndpoint(node, api, receiver, apps);
      byte[] body = Messages.body(Bench.PAYLOAD_BYTES);
      LoadGenerator.Requests requests =
          i -> new LoadGenerator.Target(targets.get((int) (i % apps)), body, HeraldProcess.API_KEY);
      if (!warmup.isZero()) {
        LoadGenerator.Run w = generator.fixedRate(count(warmup), rate, requests, null);
        receiver.awaitDeliveries(w.ok(), drainTimeout);
        receiver.reset();
      }
      Map<String, Long> intended = new ConcurrentHashMap<>();
      LoadGenerator.Run run =
          generator.fixedRate(
              count(duration),
              rate,
              requests,
              (i, due, status, answer) -> {
                String id = status == 202 ? Messages.id(answer) : null;
                if (id != null) {
                  intended.put(id, due);
                }
              });
      boolean all = receiver.awaitDeliveries(run.ok(), drainTimeout);
      node.herald.checkAlive();
      Histogram endToEnd = new Histogram(TimeUnit.MINUTES.toMicros(30), 3);
      long missing = 0;
      for (Map.Entry<String, Long> e : intended.entrySet()) {
        Long received = receiver.firstReceived(e.getKey());
        if (received == null) {
          missing++;
        } else {
          endToEnd.recordValue(
              Math.min(
                  endToEnd.getHighestTrackableValue(),
                  Math.max(0, TimeUnit.NANOSECONDS.toMicros(received - e.getValue()))));
        }
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("sent", run.sent());
      m.put("accepted", run.ok());
      m.put("errors", run.failed());
      m.put("first_error", run.firstFailure());
      m.put("achieved_rps", Stats.round(run.okPerSecond(), 0));
      m.put("all_delivered", all);
      m.put("not_delivered", missing);
      m.put("ingest_latency", Stats.latency(run.latencyMicros()));
      m.put("end_to_end_latency", Stats.latency(endToEnd));
      m.put("rss_mib", Stats.mib(node.herald.rssBytes()));
      return m;
    }
  }

  private long count(Duration d) {
    return Math.max(1, Math.round(rate * d.toMillis() / 1000.0));
  }
}
