package dev.herald.bench;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Option;

/**
 * Whether misbehaving endpoints cost healthy ones anything. One healthy endpoint takes a fixed rate
 * of messages, first alone (the baseline), then while another application's endpoints misbehave
 * (hang, or answer slowly: the subclass says how). Same node, same rates; only the other traffic
 * differs.
 */
abstract class NeighbourScenario extends Scenario {

  @Option(
      names = "--rate",
      description = "messages per second to the healthy endpoint (default: ${DEFAULT-VALUE})")
  double rate = 200;

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

  /** How many endpoints the other application has. */
  abstract int others();

  /** Messages per second to the other application; each goes to every one of its endpoints. */
  abstract double othersRate();

  /** The word the results use for the other endpoints ("hanging": {@code with_hanging}). */
  abstract String othersWord();

  /** Makes the other application's receiver misbehave. */
  abstract void prepareOthers(Receiver others);

  /** The options the subclass adds, in the order the results show them. */
  abstract void othersParams(Map<String, Object> p);

  @Override
  Map<String, Object> params() {
    Map<String, Object> p = new LinkedHashMap<>();
    othersParams(p);
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
        Receiver other = new Receiver(bench.options.receiverPorts);
        HeraldApi api = node.api();
        LoadGenerator generator =
            new LoadGenerator(Bench.MAX_RATE_CONCURRENCY, 1000, Duration.ofSeconds(60))) {
      prepareOthers(other);
      URI healthyApp = node.messageUri(Setup.appWithEndpoints(api, healthy, 1, "bench-healthy"));
      URI otherApp =
          node.messageUri(Setup.appWithEndpoints(api, other, others(), "bench-" + othersWord()));
      byte[] body = Messages.body(Bench.PAYLOAD_BYTES);
      Phase phase =
          new Phase(
              node,
              generator,
              healthy,
              new LoadGenerator.Target(healthyApp, body, HeraldProcess.API_KEY),
              new LoadGenerator.Target(otherApp, body, HeraldProcess.API_KEY));
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
      double withOthers = (double) loaded.get("delivered_rps");
      m.put("healthy_rps_baseline", base);
      m.put("healthy_rps_with_" + othersWord(), withOthers);
      m.put("healthy_rps_ratio", base == 0 ? null : Stats.round(withOthers / base, 3));
      m.put("baseline", baseline);
      m.put("with_" + othersWord(), loaded);
      m.put(othersWord() + "_requests_received", other.requests());
      m.put("rss_mib", Stats.mib(node.herald.rssBytes()));
      return m;
    }
  }

  private static long count(double perSecond, Duration d) {
    return Math.max(1, Math.round(perSecond * d.toMillis() / 1000.0));
  }

  /** One measured phase: healthy traffic at the fixed rate, with or without the other traffic. */
  private final class Phase {
    final Bench.Node node;
    final LoadGenerator generator;
    final Receiver healthy;
    final LoadGenerator.Target healthyTarget;
    final LoadGenerator.Target otherTarget;

    Phase(
        Bench.Node node,
        LoadGenerator generator,
        Receiver healthy,
        LoadGenerator.Target healthyTarget,
        LoadGenerator.Target otherTarget) {
      this.node = node;
      this.generator = generator;
      this.healthy = healthy;
      this.healthyTarget = healthyTarget;
      this.otherTarget = otherTarget;
    }

    Map<String, Object> run(boolean withOthers) throws Exception {
      AtomicReference<LoadGenerator.Run> otherRun = new AtomicReference<>();
      AtomicReference<Exception> otherFailure = new AtomicReference<>();
      Thread otherTraffic = null;
      if (withOthers) {
        otherTraffic =
            Thread.ofPlatform()
                .name(othersWord() + "-traffic")
                .start(
                    () -> {
                      try {
                        otherRun.set(
                            generator.fixedRate(
                                count(othersRate(), duration),
                                othersRate(),
                                i -> otherTarget,
                                null));
                      } catch (Exception e) {
                        otherFailure.set(e);
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
      if (otherTraffic != null) {
        otherTraffic.join();
        if (otherFailure.get() != null) {
          throw otherFailure.get();
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
      if (otherRun.get() != null) {
        m.put(othersWord() + "_messages_accepted", otherRun.get().ok());
        m.put(othersWord() + "_ingest_latency", Stats.latency(otherRun.get().latencyMicros()));
      }
      healthy.reset();
      return m;
    }
  }
}
