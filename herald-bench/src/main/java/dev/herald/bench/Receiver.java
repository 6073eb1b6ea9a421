package dev.herald.bench;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The webhook receiver: a Jetty server on 127.0.0.1 that answers 204 at once and records, per
 * {@code webhook-id}, when the first copy arrived (System.nanoTime, the generator's clock). It can
 * be told to answer slowly, fail (500), hang (never answer; the sender's timeout ends the request),
 * or be down (its ports closed, so connections are refused) and come back on the same ports.
 *
 * <p>It listens on several ports: Herald's client pools connections per host and port, and
 * endpoints spread over ports behave like endpoints at different customers' hosts. The ports are
 * taken below the kernel's ephemeral range: while the receiver is down its ports are free, and on a
 * shared machine another program asking for "any port" could otherwise be given one and answer in
 * its place.
 */
final class Receiver implements AutoCloseable {

  enum Mode {
    FAST,
    SLOW,
    FAIL,
    HANG
  }

  private final int[] ports;
  private final ScheduledExecutorService timers =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("receiver-timer").factory());
  private final Map<String, Long> firstByMessage = new ConcurrentHashMap<>();
  private final Map<String, Arrivals> byMessage = new ConcurrentHashMap<>();
  private final Set<String> deliveries = ConcurrentHashMap.newKeySet();
  private final LongAdder requests = new LongAdder();
  private final LongAdder answered2xx = new LongAdder();
  private final AtomicLong lastDeliveryNanos = new AtomicLong();
  private final Set<Callback> hanging = ConcurrentHashMap.newKeySet();
  private volatile Mode mode = Mode.FAST;
  private volatile long slowNanos = TimeUnit.MILLISECONDS.toNanos(100);
  private Server server;

  private static final int FIRST_PORT = 20_000;
  private static final int LAST_PORT = 32_000;

  /** Starts on {@code portCount} free ports of 127.0.0.1. */
  Receiver(int portCount) {
    // Distinct: each port is probed on its own, so the same free port could be drawn twice, and
    // the second connector then failed to bind it ("the receiver cannot start on ports").
    Set<Integer> distinct = new java.util.LinkedHashSet<>();
    while (distinct.size() < portCount) {
      distinct.add(freePortBelowEphemeralRange());
    }
    this.ports = distinct.stream().mapToInt(Integer::intValue).toArray();
    start();
  }

  private static int freePortBelowEphemeralRange() {
    var random = java.util.concurrent.ThreadLocalRandom.current();
    for (int tries = 0; tries < 1000; tries++) {
      int port = random.nextInt(FIRST_PORT, LAST_PORT);
      try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
        probe.setReuseAddress(true);
        probe.bind(new java.net.InetSocketAddress("127.0.0.1", port));
        return port;
      } catch (java.io.IOException taken) {
        // try another
      }
    }
    throw new IllegalStateException("no free port between " + FIRST_PORT + " and " + LAST_PORT);
  }

  private void start() {
    QueuedThreadPool pool = new QueuedThreadPool(64, 4);
    pool.setName("receiver");
    pool.setDaemon(true);
    Server s = new Server(pool);
    for (int i = 0; i < ports.length; i++) {
      ServerConnector c = new ServerConnector(s, 1, 1);
      c.setHost("127.0.0.1");
      c.setPort(ports[i]);
      c.setReuseAddress(true);
      c.setIdleTimeout(60_000);
      s.addConnector(c);
    }
    s.setHandler(
        new Handler.Abstract.NonBlocking() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            return Receiver.this.handle(request, response, callback);
          }
        });
    try {
      s.start();
    } catch (Exception e) {
      throw new IllegalStateException(
          "the receiver cannot start on ports " + java.util.Arrays.toString(ports), e);
    }
    for (int i = 0; i < ports.length; i++) {
      ports[i] = ((ServerConnector) s.getConnectors()[i]).getLocalPort();
    }
    server = s;
  }

  private boolean handle(Request request, Response response, Callback callback) {
    long now = System.nanoTime();
    requests.increment();
    Mode m = mode;
    if (m == Mode.HANG) {
      hanging.add(callback);
      return true;
    }
    if (m == Mode.FAIL) {
      response.setStatus(500);
      Content.Source.consumeAll(request, callback);
      return true;
    }
    String messageId = request.getHeaders().get("webhook-id");
    if (messageId != null) {
      firstByMessage.putIfAbsent(messageId, now);
      if (deliveries.add(messageId + ' ' + request.getHttpURI().getPath())) {
        lastDeliveryNanos.accumulateAndGet(now, Math::max);
        byMessage.computeIfAbsent(messageId, k -> new Arrivals()).add(now);
      }
    }
    answered2xx.increment();
    response.setStatus(204);
    if (m == Mode.SLOW) {
      timers.schedule(
          () -> Content.Source.consumeAll(request, callback), slowNanos, TimeUnit.NANOSECONDS);
    } else {
      Content.Source.consumeAll(request, callback);
    }
    return true;
  }

  void mode(Mode newMode) {
    this.mode = newMode;
  }

  void slowBy(Duration delay) {
    this.slowNanos = delay.toNanos();
  }

  /**
   * The URL of endpoint number {@code i}: spread round-robin over the ports, one path per endpoint.
   */
  String url(int i) {
    return "http://127.0.0.1:" + ports[i % ports.length] + "/e/" + i;
  }

  /** A URL on the first port, for the generator's ceiling run. */
  String url() {
    return url(0);
  }

  /** Closes the ports: connections are refused until {@link #up()}. */
  void down() {
    stopServer();
  }

  /** Listens again on the same ports. */
  void up() {
    start();
  }

  /** Forgets everything received so far. */
  void reset() {
    firstByMessage.clear();
    byMessage.clear();
    deliveries.clear();
    requests.reset();
    answered2xx.reset();
    lastDeliveryNanos.set(0);
  }

  /** When the first copy of the message arrived, or null. */
  Long firstReceived(String messageId) {
    return firstByMessage.get(messageId);
  }

  /** How many endpoints received one message, and when the latest of them did. */
  static final class Arrivals {
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong last = new AtomicLong();

    void add(long nanos) {
      last.accumulateAndGet(nanos, Math::max);
      count.incrementAndGet();
    }

    long count() {
      return count.get();
    }

    long lastNanos() {
      return last.get();
    }
  }

  /** The endpoints that received {@code messageId} so far. */
  Arrivals arrivals(String messageId) {
    return byMessage.getOrDefault(messageId, new Arrivals());
  }

  /** Waits until {@code endpoints} distinct endpoints received the message; true when they did. */
  boolean awaitMessage(String messageId, long endpoints, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (arrivals(messageId).count() < endpoints) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(5);
    }
    return true;
  }

  /** Distinct (message, endpoint) pairs answered with 2xx. */
  long deliveries() {
    return deliveries.size();
  }

  /** Every request, duplicates and failures included. */
  long requests() {
    return requests.sum();
  }

  long answered2xx() {
    return answered2xx.sum();
  }

  /** When the latest new (message, endpoint) pair arrived; 0 before any. */
  long lastDeliveryNanos() {
    return lastDeliveryNanos.get();
  }

  /**
   * Waits until {@code expected} distinct deliveries arrived or {@code timeout} passed; true when
   * all arrived.
   */
  boolean awaitDeliveries(long expected, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (deliveries() < expected) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(5);
    }
    return true;
  }

  private void stopServer() {
    // Hung requests are never answered: stopping closes their connections, as a dead host would.
    hanging.clear();
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("the receiver did not stop", e);
    }
  }

  @Override
  public void close() {
    stopServer();
    timers.shutdownNow();
  }
}
