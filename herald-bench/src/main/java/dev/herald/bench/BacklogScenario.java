package dev.herald.bench;

import dev.herald.store.ClaimProbe;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A receiver that is down while a large backlog piles up, then comes back: how fast Herald drains
 * it, how long its claim query takes with the whole backlog due, and whether memory stays flat (the
 * design keeps the backlog in the database, not in memory).
 *
 * <p>The backlog is built by fan-out (each message to {@code --endpoints} endpoints) so that piling
 * up a million deliveries takes seconds, not the time of a million API calls. While the receiver is
 * down every attempt is refused; the retry schedule is short (default: 1 s, 50 times) so that every
 * delivery is due again when the receiver comes back and the drain measures Herald, not the
 * schedule.
 */
@Command(
    name = "backlog",
    mixinStandardHelpOptions = true,
    description =
        "Receiver down while 1,000,000 deliveries pile up, then up: drain rate, claim-query latency "
            + "at full backlog, process RSS before/at/after.")
final class BacklogScenario extends Scenario {

  @Option(names = "--backlog", description = "deliveries to pile up (default: ${DEFAULT-VALUE})")
  int backlog = 1_000_000;

  @Option(
      names = "--endpoints",
      description = "endpoints each message goes to (default: ${DEFAULT-VALUE})")
  int endpoints = 100;

  @Option(
      names = "--concurrency",
      description = "message-create requests in flight while piling up (default: ${DEFAULT-VALUE})")
  int concurrency = 16;

  @Option(
      names = "--settle",
      converter = Durations.class,
      description = "time with the full backlog before measuring it (default: ${DEFAULT-VALUE})")
  Duration settle = Duration.ofSeconds(10);

  @Option(
      names = "--retry-schedule",
      description = "Herald's HERALD_RETRY_SCHEDULE for this run (default: 1s, 50 times)")
  String retrySchedule = String.join(",", Collections.nCopies(50, "1s"));

  @Option(
      names = "--probe-runs",
      description = "claim queries timed at full backlog (default: ${DEFAULT-VALUE})")
  int probeRuns = 10;

  @Option(
      names = "--claim-batch",
      description =
          "deliveries each timed claim takes (default: the node's own batch for this database)")
  Integer claimBatch;

  @Option(
      names = "--explain",
      description =
          "print the claim's lock-step plan at full backlog to stderr "
              + "(EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL) and the delivery table's dead tuples and index sizes")
  boolean explain;

  @Option(
      names = "--idle",
      converter = Durations.class,
      description = "time after the drain before RSS 'after' is read (default: ${DEFAULT-VALUE})")
  Duration idle = Duration.ofSeconds(5);

  @Option(
      names = "--stall-timeout",
      converter = Durations.class,
      description =
          "a drain with nothing arriving for this long is reported as stalled (default: ${DEFAULT-VALUE})")
  Duration stallTimeout = Duration.ofMinutes(2);

  @Option(
      names = "--drain-timeout",
      converter = Durations.class,
      description = "longest wait for the drain (default: ${DEFAULT-VALUE})")
  Duration drainTimeout = Duration.ofMinutes(30);

  @Override
  String name() {
    return "backlog";
  }

  @Override
  Map<String, Object> params() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("backlog", messages() * endpoints);
    p.put("endpoints", endpoints);
    p.put("messages", messages());
    p.put("settle", Durations.format(settle));
    p.put(
        "retry_schedule",
        retrySchedule.equals(String.join(",", Collections.nCopies(50, "1s")))
            ? "1s x 50"
            : retrySchedule);
    p.put("payload_bytes", Bench.PAYLOAD_BYTES);
    return p;
  }

  private long messages() {
    return Math.max(1, backlog / endpoints);
  }

  @Override
  Map<String, Object> measure(Bench bench) throws Exception {
    long deliveries = messages() * endpoints;
    try (Receiver receiver = new Receiver(bench.options.receiverPorts);
        Bench.Node node = bench.startNode(name(), Map.of("HERALD_RETRY_SCHEDULE", retrySchedule));
        HeraldApi api = node.api();
        LoadGenerator generator =
            new LoadGenerator(concurrency, concurrency, Duration.ofSeconds(120));
        Rss rss = new Rss(node.herald)) {
      URI app = node.messageUri(Setup.appWithEndpoints(api, receiver, endpoints, "bench-backlog"));
      receiver.down();
      long rssBefore = node.herald.rssBytes();
      byte[] body = Messages.body(Bench.PAYLOAD_BYTES);
      LoadGenerator.Target target = new LoadGenerator.Target(app, body, HeraldProcess.API_KEY);
      LoadGenerator.Run ingest =
          generator.maxRate(messages(), Duration.ofDays(1), concurrency, i -> target, null);
      node.herald.checkAlive();
      if (ingest.failed() > 0) {
        throw new IllegalStateException(
            ingest.failed() + " messages were refused while piling up: " + ingest.firstFailure());
      }
      Thread.sleep(settle.toMillis());
      node.herald.checkAlive();
      long rssAt = node.herald.rssBytes();
      long rssPeakBeforeDrain = rss.peak();
      List<ClaimProbe.Sample> claims =
          ClaimProbe.run(
              node.db.jdbcUrl(), node.db.user(), node.db.password(), claimBatch, probeRuns);
      List<Double> claimMs = claims.stream().map(s -> s.took().toNanos() / 1e6).toList();
      if (explain) {
        System.err.print(
            ClaimProbe.explain(node.db.jdbcUrl(), node.db.user(), node.db.password(), claimBatch));
      }
      long pendingAtUp = ClaimProbe.pending(node.db.jdbcUrl(), node.db.user(), node.db.password());
      long up = System.nanoTime();
      receiver.up();
      Drain drain = awaitDrain(receiver, node, deliveries);
      node.herald.checkAlive();
      double drainSeconds = (receiver.lastDeliveryNanos() - up) / 1e9;
      Thread.sleep(idle.toMillis());
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("deliveries", deliveries);
      m.put("ingest_msgs_per_s", Stats.round(ingest.okPerSecond(), 0));
      m.put("ingest_deliveries_per_s", Stats.round(ingest.okPerSecond() * endpoints, 0));
      m.put("ingest_s", Stats.round(ingest.seconds(), 1));
      m.put("pending_at_up", pendingAtUp);
      m.put("claim_ms_p50", Stats.round(Stats.median(claimMs), 2));
      m.put("claim_ms_max", Stats.round(claimMs.stream().mapToDouble(d -> d).max().orElse(0), 2));
      m.put("claim_rows", claims.get(0).rows());
      m.put("all_delivered", drain == Drain.COMPLETE);
      m.put("drain", drain.name().toLowerCase(java.util.Locale.ROOT));
      m.put(
          "pending_after",
          ClaimProbe.pending(node.db.jdbcUrl(), node.db.user(), node.db.password()));
      m.put("delivered", receiver.deliveries());
      m.put("receiver_requests", receiver.requests());
      m.put("drain_s", Stats.round(drainSeconds, 1));
      m.put("drain_rps", Stats.round(receiver.deliveries() / drainSeconds, 0));
      m.put("rss_before_mib", Stats.mib(rssBefore));
      m.put("rss_at_mib", Stats.mib(rssAt));
      m.put("rss_after_mib", Stats.mib(node.herald.rssBytes()));
      m.put("rss_peak_piling_mib", Stats.mib(rssPeakBeforeDrain));
      m.put("rss_peak_mib", Stats.mib(rss.peak()));
      if (bench.database.kind().equals("sqlite")) {
        m.put("sqlite_db_mib", Stats.mib(sizeOf(node.dataDir.resolve("herald.db"))));
        m.put("sqlite_wal_mib", Stats.mib(sizeOf(node.dataDir.resolve("herald.db-wal"))));
      }
      return m;
    }
  }

  /** How a drain ended. */
  private enum Drain {
    COMPLETE,
    TIMED_OUT,
    STALLED
  }

  /**
   * Waits for the receiver to have every delivery. Every few seconds it also asks the database:
   * when Herald has nothing pending but the receiver is short, the rest will never come (lost, or
   * answered by something else) and the run fails; when nothing arrived for {@code --stall-timeout}
   * while deliveries are still pending, Herald has stopped sending them and the drain is reported
   * as stalled rather than waited on.
   */
  private Drain awaitDrain(Receiver receiver, Bench.Node node, long expected) throws Exception {
    long deadline = System.nanoTime() + drainTimeout.toNanos();
    long nextCheck = System.nanoTime();
    long seen = -1;
    long lastProgress = System.nanoTime();
    while (receiver.deliveries() < expected) {
      long now = System.nanoTime();
      if (now > deadline) {
        return Drain.TIMED_OUT;
      }
      if (receiver.deliveries() != seen) {
        seen = receiver.deliveries();
        lastProgress = now;
      }
      if (now > nextCheck) {
        node.herald.checkAlive();
        long pending = ClaimProbe.pending(node.db.jdbcUrl(), node.db.user(), node.db.password());
        Thread.sleep(1_000);
        if (pending == 0 && receiver.deliveries() < expected) {
          throw new IllegalStateException(
              "Herald has no pending delivery left, but the receiver has only "
                  + receiver.deliveries()
                  + " of "
                  + expected);
        }
        if (pending > 0 && now - lastProgress > stallTimeout.toNanos()) {
          System.err.printf(
              "backlog: nothing arrived for %s while %d deliveries are pending: stalled%n",
              Durations.format(stallTimeout), pending);
          return Drain.STALLED;
        }
        nextCheck = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
      }
      Thread.sleep(5);
    }
    return Drain.COMPLETE;
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (java.io.IOException e) {
      return -1;
    }
  }

  /** Samples the node's resident set size twice a second and keeps the peak. */
  private static final class Rss implements AutoCloseable {
    private final AtomicLong peak = new AtomicLong();
    private final Thread sampler;

    Rss(HeraldProcess herald) {
      sampler =
          Thread.ofPlatform()
              .daemon()
              .name("rss-sampler")
              .start(
                  () -> {
                    while (!Thread.currentThread().isInterrupted()) {
                      peak.accumulateAndGet(herald.rssBytes(), Math::max);
                      try {
                        Thread.sleep(500);
                      } catch (InterruptedException e) {
                        return;
                      }
                    }
                  });
    }

    long peak() {
      return peak.get();
    }

    @Override
    public void close() {
      sampler.interrupt();
    }
  }
}
