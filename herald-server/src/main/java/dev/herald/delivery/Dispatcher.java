package dev.herald.delivery;

import dev.herald.job.BackgroundJob;
import dev.herald.ops.Metrics;
import dev.herald.store.Database;
import dev.herald.store.DeliveryStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs deliveries leased to this node. Work arrives two ways: straight from the accepting
 * transaction ({@link #reserve}, then {@link Reservation#commit}: no polling delay) and from the
 * claim loop (retries, and work other nodes left). Each endpoint has its own lane with a
 * concurrency cap and its {@code throttleRate}, and the lanes of one application share its {@code
 * throttleRate}; {@code maxInFlight} bounds everything held in memory, so memory does not grow with
 * the backlog, which stays in the database.
 */
public final class Dispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  private final String nodeId;
  private final DeliveryConfig config;
  private final Database db;
  private final DeliveryStore deliveries;

  /** Applications' throttleRate: caps the requests to all endpoints of an application together. */
  private final AppThrottles appThrottles;

  private final AttemptRecorder recorder;
  private final InstantSource clock;

  /** Runs one attempt; it reports back through {@link LaneEvents}. */
  private final DeliveryAttempt attempts;

  private final Holdings holdings;
  private final Map<String, Lane> lanes;
  private final AtomicInteger held;

  /** Ids of the deliveries this node holds (queued or in flight): the only leases it extends. */
  private final Set<String> heldIds;

  private final AtomicInteger inFlight = new AtomicInteger();
  private final Metrics metrics;
  private final ScheduledExecutorService timers =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("herald-dispatch-timer").factory());

  /** Claims due work from the database: retries, scheduled messages, work other nodes left. */
  private final ClaimLoop claims;

  /** Extends the leases of everything this node holds, so no other node takes it over. */
  private final BackgroundJob leaseJob;

  /**
   * False until {@link #start} (API-only nodes never start it: all their work goes to the claim
   * loop of workers).
   */
  private volatile boolean claiming;

  private volatile boolean running = true;

  /**
   * {@code parts}: what each attempt uses, built once per node (the {@link AttemptRecorder} among
   * them is closed by {@link #stop}).
   */
  public Dispatcher(String nodeId, DeliveryStores stores, DeliveryAttempt.Parts parts) {
    this.nodeId = nodeId;
    this.config = parts.config();
    this.db = stores.db();
    this.deliveries = stores.deliveries();
    this.appThrottles = parts.appThrottles();
    this.recorder = parts.recorder();
    this.clock = parts.node().clock();
    this.attempts = new DeliveryAttempt(parts, new LaneEvents());
    this.holdings = new Holdings(new Budget(config.maxInFlight(), config.endpointConcurrency()));
    this.lanes = holdings.lanes;
    this.held = holdings.held;
    this.heldIds = holdings.heldIds;
    this.metrics = parts.node().metrics();
    metrics.bindDispatcher(
        held::get, inFlight::get, holdings.awaitingWrite::get, holdings.budget::busyLanes);
    this.claims = new ClaimLoop(stores, parts, holdings, this::pump, () -> claiming);
    this.leaseJob =
        new BackgroundJob(
            "lease",
            BackgroundJob.Schedule.every(config.leaseExtendInterval()).firstRunAfterInterval(),
            metrics.backgroundErrors("lease"),
            this::extendLeases);
  }

  /** Builds what every attempt of this node uses ({@code transformations} null: none run). */
  public static DeliveryAttempt.Parts parts(
      DeliveryConfig config,
      DeliveryStores stores,
      Sender sender,
      NodeContext node,
      AttemptReports events,
      dev.herald.transform.Transformations transformations) {
    AttemptRecorder recorder =
        new AttemptRecorder(
            stores,
            node.clock(),
            config.endpointDisableAfter(),
            node.id(),
            events,
            node.metrics().backgroundErrors("attempt-writer"));
    return new DeliveryAttempt.Parts(
        config,
        new EndpointCache(stores.db(), stores.endpoints()),
        new AppThrottles(stores.db(), new dev.herald.store.ApplicationStore()),
        sender,
        recorder,
        new RetryPolicy(config.retrySchedule()),
        node,
        transformations);
  }

  /** How an attempt reports back: the lanes' bookkeeping stays here. */
  private final class LaneEvents implements DeliveryAttempt.Lanes {
    @Override
    public void pump(Lane lane) {
      Dispatcher.this.pump(lane);
    }

    @Override
    public void answered(Lane lane, boolean unreachable) {
      boolean opened;
      synchronized (lane) {
        opened =
            lane.answered(
                unreachable,
                unreachable ? System.nanoTime() + config.probeInterval().toNanos() : 0);
        lane.finished();
      }
      holdings.awaitingWrite.incrementAndGet();
      laneSlotFreed(lane, opened);
    }

    @Override
    public void recorded(Lane lane, DeliveryTask task) {
      holdings.awaitingWrite.decrementAndGet();
      Dispatcher.this.recorded(lane, task);
    }

    @Override
    public void finish(Lane lane, DeliveryTask task) {
      synchronized (lane) {
        lane.finished();
      }
      laneSlotFreed(lane, false);
      Dispatcher.this.recorded(lane, task);
    }
  }

  public String nodeId() {
    return nodeId;
  }

  public void start() {
    claiming = true;
    if (db.dialect().ownedByOneProcess()) {
      int released = db.write(sql -> deliveries.releaseAllLeases(sql));
      if (released > 0) {
        log.info(
            "resuming {} deliveries that were in flight when this node last stopped", released);
      }
    }
    claims.start();
    leaseJob.start();
  }

  /**
   * A slot in an endpoint's lane and in the node's budget, taken inside an accepting transaction:
   * the delivery row is then written already leased to this node. Once the transaction is over,
   * exactly one of {@link #commit} (it committed: the delivery is handed over, no polling delay) or
   * {@link #rollback} (it did not, or runs again: the slot is freed).
   */
  public final class Reservation {
    private final Lane lane;
    private boolean ended;

    private Reservation(Lane lane) {
      this.lane = lane;
    }

    /** After commit: queues the delivery in the reserved slot. */
    public void commit(DeliveryTask task) {
      end();
      heldIds.add(task.deliveryId());
      synchronized (lane) {
        lane.queueReserved(task);
      }
      pump(lane);
    }

    /** After rollback: frees the slot. */
    public void rollback() {
      end();
      claims.unreserve(lane, 1);
      held.decrementAndGet();
    }

    private void end() {
      if (ended) {
        throw new IllegalStateException("this reservation was already committed or rolled back");
      }
      ended = true;
    }
  }

  /**
   * Called inside an accepting transaction: a reservation when this node takes the delivery at
   * once, empty when it is left in the database for the claim loop (this node does not claim, the
   * endpoint's lane is full, or the node's budget is).
   */
  public Optional<Reservation> reserve(String endpointId) {
    if (!claiming) {
      return Optional.empty();
    }
    Lane lane = holdings.lane(endpointId);
    synchronized (lane) {
      if (!lane.roomToAccept()) {
        lane.refused = true;
        metrics.deliveryDeferredForLane();
        return Optional.empty();
      }
      if (!holdings.tryHold()) {
        // Left in the database for want of budget: finishing deliveries wake the claim loop.
        claims.budgetRefused();
        metrics.deliveryDeferredForBudget();
        return Optional.empty();
      }
      lane.reserve();
      return Optional.of(new Reservation(lane));
    }
  }

  private void pump(Lane lane) {
    List<DeliveryTask> toStart = new ArrayList<>();
    synchronized (lane) {
      while (lane.running() < lane.concurrency() && !lane.queue.isEmpty()) {
        if (!lane.rateKnown && lane.running() > 0) {
          // The first attempt is reading the endpoint; starting more before its throttleRate is
          // known would let a burst to a new lane through unthrottled. attempt() pumps again.
          break;
        }
        // The endpoint's rate is checked first without booking, so a slot of the application's
        // rate (shared with its other endpoints) is only taken when this request really starts.
        long now = System.nanoTime();
        long wait =
            Math.max(lane.probeWaitNanos(now), lane.throttle.waitNanos(lane.throttleRate, now));
        if (wait == 0) {
          wait = appThrottles.tryAcquire(lane.queue.peek().appId(), now);
        }
        if (wait > 0) {
          if (!lane.pumpScheduled) {
            lane.pumpScheduled = true;
            timers.schedule(
                () -> {
                  synchronized (lane) {
                    lane.pumpScheduled = false;
                  }
                  pump(lane);
                },
                wait,
                TimeUnit.NANOSECONDS);
          }
          break;
        }
        lane.throttle.tryAcquire(lane.throttleRate, now);
        toStart.add(lane.start());
      }
    }
    for (DeliveryTask task : toStart) {
      inFlight.incrementAndGet();
      Thread.startVirtualThread(() -> attempts.run(lane, task));
    }
  }

  /**
   * A request of the lane ended: the next queued delivery may start, and work the lane left in the
   * database may be claimed if it has room now, or if the endpoint's answer just opened it ({@code
   * opened}).
   *
   * <p>A delivery leaves its lane when its endpoint answers, not when its result is written, so a
   * lane's concurrency counts requests to the endpoint, as {@code HERALD_ENDPOINT_CONCURRENCY}
   * says. Before, a busy endpoint's lane stayed full while its results waited for the writer behind
   * every other endpoint's, and its next deliveries went to the database to wait for a claim (bench
   * {@code slow-endpoints}, docs/benchmarks.md). The node's budget still counts the delivery until
   * {@link #recorded}, so memory and the drain at shutdown are bounded as before.
   */
  private void laneSlotFreed(Lane lane, boolean opened) {
    pump(lane);
    boolean roomForRefused;
    synchronized (lane) {
      roomForRefused = lane.roomForRefused();
    }
    if (opened || roomForRefused) {
      claims.wakeFor(lane);
    }
  }

  /** A delivery's result is written, or could not be: it no longer counts in the budget. */
  private void recorded(Lane lane, DeliveryTask task) {
    inFlight.decrementAndGet();
    int nowHeld = held.decrementAndGet();
    heldIds.remove(task.deliveryId());
    boolean ordered;
    synchronized (lane) {
      ordered = lane.ordered;
    }
    if (ordered) {
      // An ordered endpoint's next delivery became due as this one's result was written
      // (OrderedQueue).
      claims.wakeFor(lane);
    } else if (claims.backlogDue() && nowHeld <= config.maxInFlight() / 2) {
      claims.wake();
    }
  }

  /** One run of the lease job. */
  private boolean extendLeases() {
    Instant now = clock.instant();
    List<String> ids = List.copyOf(heldIds);
    if (!ids.isEmpty()) {
      db.writeVoid(
          sql -> deliveries.extendLeases(sql, nodeId, ids, now.plus(config.leaseDuration())));
    }
    return false;
  }

  /** Asks the claim loop to look for any due work now rather than at its next poll. */
  public void wake() {
    claims.wake();
  }

  /** Runs the claim loop once on the caller's thread, claiming from all due work (for tests). */
  void stepClaim() {
    claims.step();
  }

  /** Deliveries held in memory (queued and in flight). */
  public int held() {
    return held.get();
  }

  public int inFlight() {
    return inFlight.get();
  }

  /** Of {@link #held}, deliveries answered whose result waits to be written. */
  public int awaitingWrite() {
    return holdings.awaitingWrite.get();
  }

  /**
   * Endpoints whose lanes hold deliveries: the budget is shared among them (see {@link Budget}).
   */
  public int busyLanes() {
    return holdings.budget.busyLanes();
  }

  /**
   * Stops taking work, lets in-flight requests finish up to {@code drainFor}, then gives back the
   * leases of everything not started so another node can take it at once.
   *
   * <p>Work can still arrive after claiming stops: an API transaction that reserved a delivery just
   * before commits just after, or a claim already running returns. Such work is counted in {@code
   * held} from its reservation on, so the drain waits for {@code held} (not only for the requests
   * in flight): otherwise a delivery started after the wait would be sent but never recorded, and
   * resent by another node once its lease lapsed.
   */
  public void stop(Duration drainFor) {
    claiming = false;
    long deadline = System.nanoTime() + drainFor.toNanos();
    giveBackUnstarted();
    while (held.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    giveBackUnstarted();
    running = false;
    claims.close();
    // Leases stop being extended only now: nothing held is left to extend, or the drain timed out.
    leaseJob.close();
    recorder.close();
  }

  /** Takes every queued, unstarted delivery out of the lanes and gives its lease back. */
  private void giveBackUnstarted() {
    List<String> unstarted = new ArrayList<>();
    lanes
        .values()
        .forEach(
            lane -> {
              synchronized (lane) {
                while (!lane.queue.isEmpty()) {
                  String id = lane.dropQueued().deliveryId();
                  unstarted.add(id);
                  heldIds.remove(id);
                  held.decrementAndGet();
                }
              }
            });
    try {
      if (!unstarted.isEmpty()) {
        db.writeVoid(sql -> deliveries.releaseLeases(sql, nodeId, unstarted, clock.instant()));
      }
    } catch (Throwable t) {
      log.warn(
          "could not release {} leases at shutdown; they lapse in {}",
          unstarted.size(),
          config.leaseDuration());
    }
  }

  @Override
  public void close() {
    if (running) {
      stop(Duration.ofSeconds(5));
    }
    timers.shutdownNow();
  }
}
