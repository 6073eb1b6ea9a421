package dev.herald.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The cost of an ordered endpoint: the same backlog of messages to one endpoint, unordered then
 * ordered, and the rate at which the receiver got them.
 */
@Command(
    name = "ordered",
    mixinStandardHelpOptions = true,
    description =
        "A backlog of messages to one endpoint, unordered then ordered: delivered rate and whether they arrived in order.")
final class OrderedScenario extends Scenario {

  @Option(names = "--messages", description = "messages per phase (default: ${DEFAULT-VALUE})")
  int messages = 2000;

  @Option(
      names = "--timeout",
      converter = Durations.class,
      description = "longest wait for one phase's deliveries (default: ${DEFAULT-VALUE})")
  Duration timeout = Duration.ofMinutes(5);

  @Override
  String name() {
    return "ordered";
  }

  @Override
  Map<String, Object> params() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("messages", messages);
    p.put("payload_bytes", Bench.PAYLOAD_BYTES);
    return p;
  }

  @Override
  Map<String, Object> measure(Bench bench) throws Exception {
    try (Receiver receiver = new Receiver(1);
        Bench.Node node = bench.startNode(name(), Map.of());
        HeraldApi api = node.api()) {
      Map<String, Object> unordered = phase(node, api, receiver, false);
      Map<String, Object> ordered = phase(node, api, receiver, true);
      Map<String, Object> m = new LinkedHashMap<>();
      double base = (double) unordered.get("delivered_rps");
      double rate = (double) ordered.get("delivered_rps");
      m.put("unordered_rps", base);
      m.put("ordered_rps", rate);
      m.put("ordered_ratio", base == 0 ? null : Stats.round(rate / base, 3));
      m.put("unordered", unordered);
      m.put("ordered", ordered);
      return m;
    }
  }

  /**
   * One phase: the messages are posted one after another (so their order is defined) with a common
   * {@code deliverAt} after the last post, then the backlog drains; the rate is the receiver's,
   * from its first delivery to its last, so the client's speed does not enter it.
   */
  private Map<String, Object> phase(
      Bench.Node node, HeraldApi api, Receiver receiver, boolean ordered) throws Exception {
    String app = api.createApp("bench-" + (ordered ? "ordered" : "unordered"));
    api.createEndpoint(app, receiver.url(), Map.of("ordered", ordered));
    receiver.reset();
    // Posting takes a few milliseconds a message; the backlog falls due once all are in.
    Instant deliverAt = Instant.now().plusMillis(3_000 + messages * 8L);
    byte[] body = body(deliverAt);
    List<String> ids = new ArrayList<>(messages);
    long start = System.nanoTime();
    for (int i = 0; i < messages; i++) {
      ids.add(api.sendMessage(app, body));
    }
    long sent = System.nanoTime();
    boolean early = Instant.now().isAfter(deliverAt);
    boolean all =
        receiver.awaitDeliveries(
            messages, timeout.plus(Duration.between(Instant.now(), deliverAt).abs()));
    node.herald.checkAlive();
    // Arrivals out of order: a message that reached the receiver before the one sent just before
    // it.
    int outOfOrder = 0;
    long first = Long.MAX_VALUE;
    for (int i = 0; i < ids.size(); i++) {
      Long at = receiver.firstReceived(ids.get(i));
      if (at != null) {
        first = Math.min(first, at);
      }
      Long previous = i == 0 ? null : receiver.firstReceived(ids.get(i - 1));
      if (previous != null && at != null && at < previous) {
        outOfOrder++;
      }
    }
    double seconds = (receiver.lastDeliveryNanos() - first) / 1e9;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("all_delivered", all);
    m.put("delivered", receiver.deliveries());
    m.put("posted_rps", Stats.round(messages / ((sent - start) / 1e9), 1));
    m.put("posting_outlasted_deliver_at", early);
    m.put("delivered_rps", Stats.round(receiver.deliveries() / seconds, 1));
    m.put("out_of_order", outOfOrder);
    return m;
  }

  private static byte[] body(Instant deliverAt) {
    String payload = new String(Messages.body(Bench.PAYLOAD_BYTES), StandardCharsets.UTF_8);
    return (payload.substring(0, payload.length() - 1) + ",\"deliverAt\":\"" + deliverAt + "\"}")
        .getBytes(StandardCharsets.UTF_8);
  }
}
