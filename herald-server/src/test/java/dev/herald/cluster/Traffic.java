package dev.herald.cluster;

import dev.herald.testing.Api;
import dev.herald.testing.TestServer;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * Backend clients posting messages to a set of nodes, round-robin, from a few threads, the way a
 * careful backend behind a load balancer would: every answer is recorded; a message that got no 2xx
 * is tried on the next node. A connection refused is "node down" (nothing reached Herald). A broken
 * connection or a 503 other than a drain leaves it open whether the message was stored, so the
 * retry carries the same {@code eventId}: a 409 then proves the first try was committed, and the
 * message is looked up by its eventId. So every message is accepted exactly once.
 */
final class Traffic {
  static final Duration GIVE_UP_AFTER = Duration.ofSeconds(90);

  /** A message Herald accepted: its number, application index, event type and id. */
  record Sent(int index, int app, String eventType, String msgId) {}

  /** One 5xx answer: which node, when the request started and ended (nanoTime), status and code. */
  record ServerError(int node, long startedNanos, long endedNanos, int status, String code) {}

  private final Fleet fleet;
  private final int nodes;
  private final IntFunction<String> baseUrl;
  private final int limit;
  private final Map<Integer, Sent> accepted = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
  private final Map<String, LongAccumulator> maxMillis = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<ServerError> serverErrors = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicInteger roundRobin = new AtomicInteger();
  private final List<Future<?>> clients = new ArrayList<>();
  private ExecutorService executor;
  private volatile boolean stopRequested;

  /**
   * @param nodes how many nodes there are
   * @param baseUrl the current URL of node {@code i} (read before every request: restarts move it)
   * @param limit how many messages to send at most
   */
  Traffic(Fleet fleet, int nodes, IntFunction<String> baseUrl, int limit) {
    this.fleet = fleet;
    this.nodes = nodes;
    this.baseUrl = baseUrl;
    this.limit = limit;
  }

  Traffic start(int threads) {
    executor = Executors.newFixedThreadPool(threads);
    for (int t = 0; t < threads; t++) {
      clients.add(executor.submit(this::run));
    }
    return this;
  }

  private void run() {
    while (!stopRequested) {
      int i = next.getAndIncrement();
      if (i >= limit) {
        return;
      }
      send(i);
    }
  }

  private void send(int index) {
    int app = index % fleet.apps();
    String appId = fleet.appId(app);
    String eventType = Fleet.eventType(index);
    String eventId = "m" + index;
    Map<String, Object> body =
        Map.of(
            "eventType",
            eventType,
            "eventId",
            eventId,
            "payload",
            Map.of("index", index, "type", eventType));
    int first = Math.floorMod(roundRobin.getAndIncrement(), nodes);
    boolean maybeStored = false;
    long deadline = System.nanoTime() + GIVE_UP_AFTER.toNanos();
    for (int tries = 0; ; tries++) {
      int node = (first + tries) % nodes;
      if (tries > 0 && node == first) {
        pause(); // every node refused: give them a moment
      }
      if (System.nanoTime() > deadline) {
        failures.add("message " + index + " was never accepted within " + GIVE_UP_AFTER);
        return;
      }
      Api api = new Api(baseUrl.apply(node), TestServer.ADMIN_KEY);
      long started = System.nanoTime();
      Api.Response r;
      try {
        r = api.post("/api/v1/app/" + appId + "/msg", body);
      } catch (UncheckedIOException e) {
        boolean refused = e.getCause() instanceof ConnectException;
        count(refused ? "node down" : "connection broken", started);
        maybeStored |= !refused;
        continue;
      }
      String code = r.field("code");
      count(r.status() + (code == null ? "" : " " + code), started);
      if (r.status() >= 500) {
        serverErrors.add(new ServerError(node, started, System.nanoTime(), r.status(), code));
      }
      if (r.status() == 202) {
        accepted.put(index, new Sent(index, app, eventType, r.field("id")));
        return;
      }
      if (r.status() == 409 && maybeStored) {
        Api.Response found = api.get("/api/v1/app/" + appId + "/msg/" + eventId);
        if (found.status() == 200) {
          accepted.put(index, new Sent(index, app, eventType, found.field("id")));
          return;
        }
        continue;
      }
      if (r.status() >= 500) {
        maybeStored |= !"shutting_down".equals(code);
        continue;
      }
      failures.add("message " + index + " got " + r);
      return;
    }
  }

  private void count(String outcome, long startedNanos) {
    outcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    maxMillis.computeIfAbsent(outcome, k -> new LongAccumulator(Math::max, 0)).accumulate(millis);
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Asks the clients to finish the message each is sending and stop. */
  void stop() {
    stopRequested = true;
  }

  /** Waits for the clients to finish (all messages sent, or stopped). */
  void await(Duration timeout) throws Exception {
    long end = System.nanoTime() + timeout.toNanos();
    for (Future<?> f : clients) {
      f.get(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
    executor.shutdown();
  }

  int acceptedCount() {
    return accepted.size();
  }

  Collection<Sent> accepted() {
    return List.copyOf(accepted.values());
  }

  /**
   * How often each answer came: {@code "202"}, {@code "503 shutting_down"}, {@code "node down"}…
   */
  Map<String, Long> outcomes() {
    Map<String, Long> out = new TreeMap<>();
    outcomes.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** The slowest answer of each kind, in milliseconds. */
  Map<String, Long> slowestMillis() {
    Map<String, Long> out = new TreeMap<>();
    maxMillis.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  long slowestOverallMillis() {
    return maxMillis.values().stream().mapToLong(LongAccumulator::get).max().orElse(0);
  }

  List<ServerError> serverErrors() {
    return List.copyOf(serverErrors);
  }

  /** Messages never accepted, or answered with something no client should see. */
  List<String> failures() {
    return List.copyOf(failures);
  }
}
