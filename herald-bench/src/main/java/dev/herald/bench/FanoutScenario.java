package dev.herald.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** One message to many endpoints: the time until the last endpoint has it. */
@Command(
    name = "fanout",
    mixinStandardHelpOptions = true,
    description = "One message to 1,000 endpoints: time until the last endpoint has it.")
final class FanoutScenario extends Scenario {

  @Option(
      names = "--endpoints",
      description = "endpoints of the one application (default: ${DEFAULT-VALUE})")
  int endpoints = 1000;

  @Option(
      names = "--repeat",
      description = "messages measured one after another (default: ${DEFAULT-VALUE})")
  int repeat = 5;

  @Option(
      names = "--warmup",
      description = "messages sent and not measured first (default: ${DEFAULT-VALUE})")
  int warmup = 1;

  @Option(
      names = "--timeout",
      converter = Durations.class,
      description = "longest wait for one message (default: ${DEFAULT-VALUE})")
  Duration timeout = Duration.ofMinutes(2);

  @Override
  String name() {
    return "fanout";
  }

  @Override
  Map<String, Object> params() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("endpoints", endpoints);
    p.put("repeat", repeat);
    p.put("warmup", warmup);
    p.put("payload_bytes", Bench.PAYLOAD_BYTES);
    return p;
  }

  @Override
  Map<String, Object> measure(Bench bench) throws Exception {
    try (Receiver receiver = new Receiver(bench.options.receiverPorts);
        Bench.Node node = bench.startNode(name(), Map.of());
        HeraldApi api = node.api()) {
      String app = Setup.appWithEndpoints(api, receiver, endpoints, "bench-fanout");
      byte[] body = Messages.body(Bench.PAYLOAD_BYTES);
      List<Double> acceptMs = new ArrayList<>();
      List<Double> firstMs = new ArrayList<>();
      List<Double> lastMs = new ArrayList<>();
      List<Long> reached = new ArrayList<>();
      int incomplete = 0;
      for (int i = 0; i < warmup + repeat; i++) {
        receiver.reset();
        long sent = System.nanoTime();
        String id = api.sendMessage(app, body);
        long accepted = System.nanoTime();
        boolean all = receiver.awaitMessage(id, endpoints, timeout);
        node.herald.checkAlive();
        if (i < warmup) {
          continue;
        }
        if (!all) {
          incomplete++;
          System.err.printf(
              "fanout: message %s reached %d of %d endpoints within %s%n",
              id, receiver.arrivals(id).count(), endpoints, timeout);
        }
        reached.add(receiver.arrivals(id).count());
        acceptMs.add((accepted - sent) / 1e6);
        Long first = receiver.firstReceived(id);
        if (first != null) {
          firstMs.add((first - sent) / 1e6);
        }
        lastMs.add((receiver.arrivals(id).lastNanos() - sent) / 1e6);
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("incomplete", incomplete);
      m.put("accept_ms", Stats.round(Stats.median(acceptMs), 1));
      m.put("first_ms", firstMs.isEmpty() ? null : Stats.round(Stats.median(firstMs), 1));
      m.put("last_ms", Stats.round(Stats.median(lastMs), 1));
      m.put("last_ms_min", Stats.round(lastMs.stream().mapToDouble(d -> d).min().orElse(0), 1));
      m.put("last_ms_max", Stats.round(lastMs.stream().mapToDouble(d -> d).max().orElse(0), 1));
      m.put("last_ms_each", lastMs.stream().map(d -> Stats.round(d, 1)).toList());
      m.put("endpoints_reached_each", reached);
      return m;
    }
  }
}
