package dev.herald.bench;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Whether dead endpoints cost healthy ones anything. One healthy endpoint takes a fixed rate of
 * messages, first alone (the baseline), then while another application's endpoints hang every
 * request until Herald's request timeout. Same node, same rates; only the hanging traffic differs.
 */
@Command(
    name = "isolation",
    mixinStandardHelpOptions = true,
    description =
        "100 endpoints that hang until the request timeout plus one healthy endpoint under load: "
            + "healthy delivery rate and latency versus the same run without the hanging endpoints.")
final class IsolationScenario extends Scenario {

  @Option(
      names = "--hanging",
      description = "endpoints that never answer (default: ${DEFAULT-VALUE})")
  int hanging = 100;

  @Option(
      names = "--rate",
      description = "messages per second to the healthy endpoint (default: ${DEFAULT-VALUE})")
  double rate = 200;

  @Option(
      names = "--hang-rate",
      description =
          "messages per second to the hanging application; each goes to every hanging endpoint (default: ${DEFAULT-VALUE})")
  double hangRate = 10;

  @Option(
      names = "--duration",
      converter = Durations.class,
      description = "length of each phase (default: ${DEFAULT-VALUE})")
  Duration duration = Duration.ofSeconds(30);

  @Option(
      names = "--warmup",
      converter = Durations.class,
      description = "healthy traffic before the baseline (default: ${DEFAULT-VALUE})")
  Duration warmup = Duration.ofSeconds(5);

  @Option(
      names = "--request-timeout",
      converter = Durations.class,
      description = "Herald's HERALD_REQUEST_TIMEOUT (default: ${DEFAULT-VALUE}, Herald's default)")
  Duration requestTimeout = Duration.ofSeconds(15);

  @Option(
      names = "--drain-timeout",
      converter = Durations.class,
      description =
          "how long to wait for the healthy endpoint's last deliveries (default: ${DEFAULT-VALUE})")
  Duration drainTimeout = Duration.ofMinutes(2);

  @Override
  String name() {
    return "isolation";
  }

  @Override
  Map<String, Object> params() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("hanging", hanging);
    p.put("rate", rate);
    p.put("hang_rate", hangRate);
    p.put("duration", Durations.format(duration));
    p.put("warmup", Durations.format(warmup));
    p.put("request_timeout", Durations.format(requestTimeout));
    p.put("payload_bytes", Bench.PAYLOAD_BYTES);
    return p;
  }

  @Override
  Map<String, Object> measure(Bench bench) throws Exception {
    // Declared before the receivers so it stops after them: the hung requests end at once.
    try (Bench.Node node =
            bench.startNode(
                name(), Map.of("HERALD_REQUEST_TIMEOUT", Durations.format(requestTimeout)));
        Receiver healthy = new Receiver(1);
        Receiver dead = new Receiver(bench.options.receiverPorts);
        HeraldApi api = node.api();
        LoadGenerator generator =
            new LoadGenerator(Bench.MAX_RATE_CONCURRENCY, 1000, Duration.ofSeconds(60))) {
      dead.mode(Receiver.Mode.HANG);
      URI healthyApp = node.messageUri(Setup.appWithEndpoints(api, healthy, 1, "bench-healthy"));
      URI deadApp = node.messageUri(Setup.appWithEndpoints(api, dead, hanging, "bench-hanging"));
      byte[] body = Messages.body(Bench.PAYLOAD_BYTES);
      Phase phase =
          new Phase(
              node,
              generator,
              healthy,
              new LoadGenerator.Target(healthyApp, body, HeraldProcess.API_KEY),
              new LoadGenerator.Target(deadApp, body, HeraldProcess.API_KEY));
      if (!warmup.isZero()) {
        LoadGenerator.Run w =
            generator.fixedRate(count(rate, warmup), rate, i -> phase.healthyTarget, null);
        healthy.awaitDeliveries(w.ok(), drainTimeout);
        healthy.reset();
      }
      Map<String, Object> baseline = phase.run(false);
      Map<String, Object> loaded = phase.run(true);
      Map<String, Object> m = new LinkedHashMap<>();
      double base = (double) baseline.get("delivered_rps");
      double withHanging = (double) loaded.get("delivered_rps");
      m.put("healthy_rps_baseline", base);
      m.put("healthy_rps_with_hanging", withHanging);
      m.put("healthy_rps_ratio", base == 0 ? null : Stats.round(withHanging / base, 3));
      m.put("baseline", baseline);
      m.put("with_hanging", loaded);
      m.put("hanging_requests_received", dead.requests());
      m.put("rss_mib", Stats.mib(node.herald.rssBytes()));
      return m;
    }
  }

  private static long count(double perSecond, Duration d) {
    return Math.max(1, Math.round(perSecond * d.toMillis() / 1000.0));
  }

  /** One measured phase: healthy traffic at the fixed rate, with or without the hanging traffic. */
  private final class Phase {
    final Bench.Node node;
    final LoadGenerator generator;
    final Receiver healthy;
    final LoadGenerator.Target healthyTarget;
    final LoadGenerator.Target deadTarget;

    Phase(
        Bench.Node node,
        LoadGenerator generator,
        Receiver healthy,
        LoadGenerator.Target healthyTarget,
        LoadGenerator.Target deadTarget) {
      this.node = node;
      this.generator = generator;
      this.healthy = healthy;
      this.healthyTarget = healthyTarget;
      this.deadTarget = deadTarget;
    }

    Map<String, Object> run(boolean withHanging) throws Exception {
      AtomicReference<LoadGenerator.Run> hangRun = new AtomicReference<>();
      AtomicReference<Exception> hangFailure = new AtomicReference<>();
      Thread hangTraffic = null;
      if (withHanging) {
        hangTraffic =
            Thread.ofPlatform()
                .name("hanging-traffic")
                .start(
                    () -> {
                      try {
                        hangRun.set(
                            generator.fixedRate(
                                count(hangRate, duration), hangRate, i -> deadTarget, null));
                      } catch (Exception e) {
                        hangFailure.set(e);
                      }
                    });
      }
      Map<String, Long> intended = new ConcurrentHashMap<>();
      LoadGenerator.Run run =
          generator.fixedRate(
              count(rate, duration),
              rate,
              i -> healthyTarget,
              (i, due, status, answer) -> {
                String id = status == 202 ? Messages.id(answer) : null;
                if (id != null) {
                  intended.put(id, due);
                }
              });
      if (hangTraffic != null) {
        hangTraffic.join();
        if (hangFailure.get() != null) {
          throw hangFailure.get();
        }
      }
      long windowEnd = run.firstSentNanos() + duration.toNanos();
      boolean all = healthy.awaitDeliveries(run.ok(), drainTimeout);
      node.herald.checkAlive();
      Histogram endToEnd = new Histogram(TimeUnit.MINUTES.toMicros(30), 3);
      long inWindow = 0;
      for (Map.Entry<String, Long> e : intended.entrySet()) {
        Long received = healthy.firstReceived(e.getKey());
        if (received != null) {
          endToEnd.recordValue(
              Math.min(
                  endToEnd.getHighestTrackableValue(),
                  Math.max(0, TimeUnit.NANOSECONDS.toMicros(received - e.getValue()))));
          if (received <= windowEnd) {
            inWindow++;
          }
        }
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("accepted", run.ok());
      m.put("errors", run.failed());
      m.put("first_error", run.firstFailure());
      m.put("delivered_rps", Stats.round(inWindow / (duration.toMillis() / 1000.0), 1));
      m.put("all_delivered", all);
      m.put("delivered", healthy.deliveries());
      m.put("ingest_latency", Stats.latency(run.latencyMicros()));
      m.put("end_to_end_latency", Stats.latency(endToEnd));
      if (hangRun.get() != null) {
        m.put("hanging_messages_accepted", hangRun.get().ok());
        m.put("hanging_ingest_latency", Stats.latency(hangRun.get().latencyMicros()));
      }
      healthy.reset();
      return m;
    }
  }
}
