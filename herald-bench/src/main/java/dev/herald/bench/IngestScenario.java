package dev.herald.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Incoming webhooks at a fixed arrival rate, open-loop: a provider POSTs signed JSON bodies to a
 * source's ingest URL ({@code hmac} preset, HMAC-SHA256 of each body, de-duplication on); measures
 * the ingest answer's latency (verify, de-duplicate, create the message) and checks every message
 * reaches the application's endpoint. Some providers give up on an answer after 3 s.
 */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description =
        "Fixed arrival rate of signed webhooks to an ingest URL (default 500/s for 30 s): answer"
            + " latency p50/p99/p99.9/max.")
final class IngestScenario extends Scenario {
  static final String SECRET = "bench-ingest-secret";

  @Option(names = "--rate", description = "requests per second (default: ${DEFAULT-VALUE})")
  double rate = 500;

  @Option(
      names = "--duration",
      converter = Durations.class,
      description = "measuring time (default: ${DEFAULT-VALUE})")
  Duration duration = Duration.ofSeconds(30);

  @Option(
      names = "--warmup",
      converter = Durations.class,
      description = "time at the same rate before measuring (default: ${DEFAULT-VALUE})")
  Duration warmup = Duration.ofSeconds(5);

  @Option(
      names = "--max-in-flight",
      description = "requests the generator keeps outstanding at most (default: ${DEFAULT-VALUE})")
  int maxInFlight = 1000;

  @Override
  String name() {
    return "ingest";
  }

  @Override
  Map<String, Object> params() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("rate", rate);
    p.put("duration", Durations.format(duration));
    p.put("warmup", Durations.format(warmup));
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
      String app = Setup.appWithEndpoints(api, receiver, 1, "bench-ingest");
      String source = api.createHmacSource(app, SECRET, "Authorization", "Bearer ");
      URI ingest = URI.create(node.herald.baseUrl() + "/in/" + source);
      String padding = "x".repeat(Math.max(0, Bench.PAYLOAD_BYTES - 64));
      long[] offset = {0};
      LoadGenerator.Requests requests =
          i -> {
            byte[] body =
                ("{\"id\":\"evt_"
                        + (offset[0] + i)
                        + "\",\"type\":\"bench.event\",\"data\":\""
                        + padding
                        + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            return new LoadGenerator.Target(ingest, body, hmac(body));
          };
      if (!warmup.isZero()) {
        LoadGenerator.Run w = generator.fixedRate(count(warmup), rate, requests, null);
        receiver.awaitDeliveries(w.ok(), Duration.ofMinutes(2));
        receiver.reset();
        offset[0] = count(warmup);
      }
      LoadGenerator.Run run = generator.fixedRate(count(duration), rate, requests, null);
      boolean all = receiver.awaitDeliveries(run.ok(), Duration.ofMinutes(2));
      node.herald.checkAlive();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("sent", run.sent());
      m.put("accepted", run.ok());
      m.put("errors", run.failed());
      m.put("first_error", run.firstFailure());
      m.put("achieved_rps", Stats.round(run.okPerSecond(), 0));
      m.put("all_delivered", all);
      m.put("ingest_latency", Stats.latency(run.latencyMicros()));
      m.put("rss_mib", Stats.mib(node.herald.rssBytes()));
      return m;
    }
  }

  private static String hmac(byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private long count(Duration d) {
    return Math.max(1, Math.round(rate * d.toMillis() / 1000.0));
  }
}
