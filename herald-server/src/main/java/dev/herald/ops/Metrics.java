package dev.herald.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;

/**
 * Herald's Prometheus metrics. Every series has bounded labels: outcomes are a fixed set, and
 * failing endpoints are reported only for the top {@link #TOP_FAILING} by failure age.
 */
public final class Metrics {
  public static final int TOP_FAILING = 10;

  /** How an attempt ended, as counted in {@code herald_deliveries_total{outcome}}. */
  public enum Outcome {
    SUCCESS,
    RETRY,
    FAILED,
    BLOCKED;

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Queue state read from the database by {@link QueueMonitor}. */
  public record QueueSnapshot(
      long pending, long dueNow, long inFlight, long leasedByDeadNodes, double oldestDueSeconds) {
    static final QueueSnapshot EMPTY = new QueueSnapshot(0, 0, 0, 0, 0);
  }

  /** One failing endpoint for the top-N gauge. */
  public record FailingEndpoint(String endpointId, String appId, double failingSeconds) {}

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter messagesAccepted;
  private final Counter deliveriesCreated;
  private final Counter[] outcomes = new Counter[Outcome.values().length];
  private final Counter deferredForLane;
  private final Counter deferredForBudget;
  private final Timer attemptDuration;
  private final Timer ingestToDelivery;
  private final AtomicReference<QueueSnapshot> queue = new AtomicReference<>(QueueSnapshot.EMPTY);
  private final MultiGauge failingEndpoints;
  private volatile long failingEndpointCount;

  public Metrics() {
    messagesAccepted =
        Counter.builder("herald.messages.accepted")
            .description("messages accepted by the API")
            .register(registry);
    // Not "herald.deliveries.created": Prometheus reserves the _created suffix and drops it, and
    // the
    // name left would clash with herald.deliveries{outcome}, hiding those series from every scrape.
    deliveriesCreated =
        Counter.builder("herald.deliveries.enqueued")
            .description("deliveries created by fan-out, resend and send-example")
            .register(registry);
    deferredForLane = deferred("lane_full");
    deferredForBudget = deferred("budget_full");
    for (Outcome o : Outcome.values()) {
      outcomes[o.ordinal()] =
          Counter.builder("herald.deliveries")
              .tag("outcome", o.label())
              .description("delivery attempts by outcome")
              .register(registry);
    }
    attemptDuration =
        Timer.builder("herald.attempt.duration")
            .description("HTTP attempt duration")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofMinutes(5))
            .register(registry);
    ingestToDelivery =
        Timer.builder("herald.delivery.latency")
            .description("time from message accepted (or its deliverAt) to its successful delivery")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofDays(3))
            .register(registry);
    Gauge.builder("herald.queue.pending", queue, q -> q.get().pending())
        .description("deliveries not yet settled")
        .register(registry);
    Gauge.builder("herald.queue.due", queue, q -> q.get().dueNow())
        .description("deliveries due now and not leased")
        .register(registry);
    Gauge.builder("herald.queue.in.flight", queue, q -> q.get().inFlight())
        .description("deliveries leased to a live node")
        .register(registry);
    Gauge.builder("herald.queue.leased.by.dead.nodes", queue, q -> q.get().leasedByDeadNodes())
        .description("deliveries whose lease lapsed: their node stopped without giving them back")
        .register(registry);
    Gauge.builder("herald.queue.oldest.due.age", queue, q -> q.get().oldestDueSeconds())
        .baseUnit("seconds")
        .description("age of the oldest delivery that is due and not leased")
        .register(registry);
    Gauge.builder("herald.endpoints.failing", this, m -> m.failingEndpointCount)
        .description("endpoints whose recent deliveries are all failing")
        .register(registry);
    failingEndpoints =
        MultiGauge.builder("herald.endpoint.failing.age")
            .baseUnit("seconds")
            .description(
                "how long each of the top failing endpoints has been failing (top "
                    + TOP_FAILING
                    + " only)")
            .register(registry);
  }

  private Counter deferred(String reason) {
    return Counter.builder("herald.deliveries.deferred")
        .tag("reason", reason)
        .description(
            "deliveries an accepting request left in the database for the claim loop instead of"
                + " sending them at once: the endpoint's lane or the node's budget was full")
        .register(registry);
  }

  /**
   * The JVM's own meters (memory, GC, threads, classes, CPU, uptime). The node binds them once it
   * listens ({@code Herald.start}): they serve no request, and reading the JVM's management beans
   * first costs start-up about 5 % of its CPU. A scrape in the first moments after start may lack
   * them.
   */
  public void bindJvmMeters() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** An accepting request left a delivery in the database: its endpoint's lane was full. */
  public void deliveryDeferredForLane() {
    deferredForLane.increment();
  }

  /** An accepting request left a delivery in the database: the node's budget was full. */
  public void deliveryDeferredForBudget() {
    deferredForBudget.increment();
  }

  /** Gauges of this node's dispatcher (memory, not the database). */
  public void bindDispatcher(
      IntSupplier held, IntSupplier inFlight, IntSupplier awaitingWrite, IntSupplier busyLanes) {
    // Gauges hold their object weakly; nothing else holds these suppliers, so without a strong
    // reference they are collected and the gauges read NaN.
    Gauge.builder("herald.dispatcher.held", held, s -> s.getAsInt())
        .strongReference(true)
        .description("deliveries this node holds in memory")
        .register(registry);
    Gauge.builder("herald.dispatcher.in.flight", inFlight, s -> s.getAsInt())
        .strongReference(true)
        .description("requests this node has in flight")
        .register(registry);
    Gauge.builder("herald.dispatcher.awaiting.write", awaitingWrite, s -> s.getAsInt())
        .strongReference(true)
        .description(
            "answered deliveries whose result waits to be written (counted in held and in flight)")
        .register(registry);
    Gauge.builder("herald.dispatcher.busy.lanes", busyLanes, s -> s.getAsInt())
        .strongReference(true)
        .description(
            "endpoints this node holds deliveries for; each may hold at most the budget divided by"
                + " this plus one")
        .register(registry);
  }

  /**
   * The {@code herald_background_errors_total{job}} series of one background job: runs that failed
   * (each is logged). Registered when the job is built, so a scrape shows it at 0 from the start.
   */
  public Counter backgroundErrors(String job) {
    return Counter.builder("herald.background.errors")
        .tag("job", job)
        .description(
            "failed runs of a background job; the job keeps running and each failure is logged")
        .register(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public void messageAccepted(int deliveries) {
    messagesAccepted.increment();
    deliveriesCreated.increment(deliveries);
  }

  public void deliveriesCreated(int deliveries) {
    deliveriesCreated.increment(deliveries);
  }

  public void attempt(Outcome outcome, long durationMillis) {
    outcomes[outcome.ordinal()].increment();
    if (outcome != Outcome.BLOCKED) {
      attemptDuration.record(durationMillis, TimeUnit.MILLISECONDS);
    }
  }

  public void delivered(Duration sinceAccepted) {
    ingestToDelivery.record(sinceAccepted.isNegative() ? Duration.ZERO : sinceAccepted);
  }

  void updateQueue(QueueSnapshot snapshot) {
    queue.set(snapshot);
  }

  public QueueSnapshot queue() {
    return queue.get();
  }

  void updateFailing(long count, List<FailingEndpoint> top) {
    failingEndpointCount = count;
    failingEndpoints.register(
        top.stream()
            .map(
                f ->
                    MultiGauge.Row.of(
                        Tags.of("endpoint_id", f.endpointId(), "app_id", f.appId()),
                        f.failingSeconds()))
            .toList(),
        true);
  }

  /** The exposition text for a scrape. */
  public String scrape() {
    return registry.scrape();
  }
}
