package dev.herald.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Throughput as a user measures it with a plain HTTP load tool: {@code wrk} POSTs 1 KiB messages to
 * Herald's API (no Herald code on the client side), Herald delivers them to the bench's receiver.
 * The ceiling is {@code wrk} POSTing the same body straight to that receiver, in the same run, with
 * the same script, so the two figures differ only by Herald.
 */
@Command(
    name = "blackbox",
    mixinStandardHelpOptions = true,
    description =
        "wrk → Herald → receiver, and wrk → receiver as the ceiling of the same run (needs wrk on PATH).")
final class BlackboxScenario extends Scenario {
  private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in ([0-9.]+)(ms|s|m)");
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
  private static final Pattern SOCKET_ERRORS =
      Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
  private static final Pattern PERCENTILE =
      Pattern.compile("^\\s+(50|99)(?:\\.000)?%\\s+([0-9.]+)(us|ms|s)\\s*$", Pattern.MULTILINE);

  @Option(
      names = "--apps",
      description = "applications, one endpoint each (default: ${DEFAULT-VALUE})")
  int apps = 100;

  @Option(
      names = "--duration",
      converter = Durations.class,
      description = "wrk's sending time (default: ${DEFAULT-VALUE})")
  Duration duration = Duration.ofSeconds(20);

  @Option(
      names = "--warmup",
      converter = Durations.class,
      description = "sending time before measuring (default: ${DEFAULT-VALUE})")
  // As long as throughput's, for the same reason: the JIT's compilations (docs/benchmarks.md).
  Duration warmup = Duration.ofSeconds(40);

  @Option(names = "--connections", description = "wrk's connections (default: ${DEFAULT-VALUE})")
  int connections = Bench.MAX_RATE_CONCURRENCY;

  @Option(names = "--threads", description = "wrk's threads (default: ${DEFAULT-VALUE})")
  int threads = 2;

  @Option(names = "--wrk", description = "the wrk executable (default: ${DEFAULT-VALUE})")
  String wrk = "wrk";

  @Option(
      names = "--drain-timeout",
      converter = Durations.class,
      description = "how long to wait for the last deliveries (default: ${DEFAULT-VALUE})")
  Duration drainTimeout = Duration.ofMinutes(5);

  @Override
  String name() {
    return "blackbox";
  }

  @Override
  boolean needsCeiling() {
    return false;
  }

  @Override
  Map<String, Object> params() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("apps", apps);
    p.put("duration", Durations.format(duration));
    p.put("warmup", Durations.format(warmup));
    p.put("connections", connections);
    p.put("threads", threads);
    p.put("payload_bytes", Bench.PAYLOAD_BYTES);
    return p;
  }

  /** What wrk printed, read back. */
  record WrkRun(
      long requests,
      double seconds,
      long failed,
      double rps,
      double p50Ms,
      double p99Ms,
      String output) {
    long ok() {
      return requests - failed;
    }
  }

  @Override
  Map<String, Object> measure(Bench bench) throws Exception {
    Path dir = Files.createTempDirectory(bench.options.workDir, "herald-bench-wrk-");
    byte[] body = Messages.body(Bench.PAYLOAD_BYTES);
    try (Receiver receiver = new Receiver(bench.options.receiverPorts)) {
      URI receiverUri = URI.create(receiver.url(0));
      WrkRun ceiling =
          wrk(
              script(dir.resolve("ceiling.lua"), body, List.of(receiverUri.getPath()), null),
              "http://" + receiverUri.getAuthority(),
              duration);
      receiver.reset();
      try (Bench.Node node = bench.startNode(name(), Map.of());
          HeraldApi api = node.api()) {
        List<String> paths = new ArrayList<>();
        for (URI target : Setup.appsWithOneEndpoint(node, api, receiver, apps)) {
          paths.add(target.getPath());
        }
        Path toHerald = script(dir.resolve("herald.lua"), body, paths, HeraldProcess.API_KEY);
        if (!warmup.isZero()) {
          WrkRun w = wrk(toHerald, node.herald.baseUrl(), warmup);
          receiver.awaitDeliveries(w.ok(), drainTimeout);
          receiver.reset();
        }
        Duration cpuBefore = node.herald.cpuTime();
        long startNanos = System.nanoTime();
        WrkRun run = wrk(toHerald, node.herald.baseUrl(), duration);
        boolean all = receiver.awaitDeliveries(run.ok(), drainTimeout);
        node.herald.checkAlive();
        long delivered = receiver.deliveries();
        Duration cpu = node.herald.cpuTime().minus(cpuBefore);
        double deliverySeconds = (receiver.lastDeliveryNanos() - startNanos) / 1e9;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ceiling_rps", Stats.round(ceiling.rps(), 0));
        m.put("ceiling_p50_ms", ceiling.p50Ms());
        m.put("accepted", run.ok());
        m.put("errors", run.failed());
        m.put("delivered", delivered);
        m.put("all_delivered", all);
        m.put("ingest_rps", Stats.round(run.ok() / run.seconds(), 0));
        m.put("delivery_rps", Stats.round(delivered / deliverySeconds, 0));
        m.put("ingest_ratio", Stats.round(run.ok() / run.seconds() / ceiling.rps(), 3));
        m.put("ingest_latency", Map.of("p50_ms", run.p50Ms(), "p99_ms", run.p99Ms()));
        m.put(
            "cpu_us_per_msg",
            delivered == 0 ? null : Stats.round(cpu.toNanos() / 1e3 / delivered, 0));
        return m;
      }
    } finally {
      Bench.deleteRecursively(dir);
    }
  }

  /**
   * A wrk script POSTing {@code body} to the paths in turn, with a bearer token when one is given.
   */
  static Path script(Path file, byte[] body, List<String> paths, String bearer) throws IOException {
    StringBuilder lua = new StringBuilder();
    lua.append("local paths = {");
    for (String p : paths) {
      lua.append('"').append(p).append("\",");
    }
    lua.append("}\nlocal i = 0\n");
    lua.append("wrk.method = \"POST\"\n");
    lua.append("wrk.body = [==[").append(new String(body, StandardCharsets.UTF_8)).append("]==]\n");
    lua.append("wrk.headers[\"Content-Type\"] = \"application/json\"\n");
    if (bearer != null) {
      lua.append("wrk.headers[\"Authorization\"] = \"Bearer ").append(bearer).append("\"\n");
    }
    lua.append(
        "request = function()\n  i = i + 1\n  return wrk.format(nil, paths[(i % #paths) + 1])\nend\n");
    Files.writeString(file, lua.toString(), StandardCharsets.UTF_8);
    return file;
  }

  private WrkRun wrk(Path script, String baseUrl, Duration length)
      throws IOException, InterruptedException {
    List<String> command =
        List.of(
            wrk,
            "-t" + threads,
            "-c" + connections,
            "-d" + Math.max(1, length.toSeconds()) + "s",
            "--latency",
            "-s",
            script.toString(),
            baseUrl + "/");
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot run " + wrk + " (install it, e.g. apt-get install wrk, or pass --wrk)", e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(length.toSeconds() + 60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("wrk failed: " + out);
    }
    return parse(out);
  }

  static WrkRun parse(String out) {
    Matcher total = TOTAL.matcher(out);
    Matcher rate = RATE.matcher(out);
    if (!total.find() || !rate.find()) {
      throw new IllegalStateException("cannot read wrk's output:\n" + out);
    }
    double seconds =
        Double.parseDouble(total.group(2))
            * switch (total.group(3)) {
              case "ms" -> 1e-3;
              case "m" -> 60;
              default -> 1;
            };
    long failed = 0;
    Matcher non2xx = NON_2XX.matcher(out);
    if (non2xx.find()) {
      failed += Long.parseLong(non2xx.group(1));
    }
    Matcher socket = SOCKET_ERRORS.matcher(out);
    if (socket.find()) {
      // Reads and timeouts are requests wrk counted but got no answer to; connects and writes never
      // started.
      failed += Long.parseLong(socket.group(2)) + Long.parseLong(socket.group(4));
    }
    double p50 = Double.NaN;
    double p99 = Double.NaN;
    Matcher pct = PERCENTILE.matcher(out);
    while (pct.find()) {
      double ms =
          Double.parseDouble(pct.group(2))
              * switch (pct.group(3)) {
                case "us" -> 1e-3;
                case "s" -> 1e3;
                default -> 1;
              };
      if (pct.group(1).equals("50")) {
        p50 = ms;
      } else {
        p99 = ms;
      }
    }
    return new WrkRun(
        Long.parseLong(total.group(1)),
        seconds,
        failed,
        Double.parseDouble(rate.group(1)),
        p50,
        p99,
        out);
  }
}
