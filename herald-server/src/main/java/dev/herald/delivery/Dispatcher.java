package dev.herald.delivery;

import dev.herald.id.Ids;
import dev.herald.job.BackgroundJob;
import dev.herald.ops.Metrics;
import dev.herald.store.Database;
import dev.herald.store.DeliveryStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs deliveries leased to this node. Work arrives two ways: straight from the accepting
 * transaction ({@link #reserve}, then {@link Reservation#commit}: no polling delay) and from the claim loop
 * (retries, and work other nodes left). Each endpoint has its own lane with a concurrency cap and
 * its {@code throttleRate}, and the lanes of one application share its {@code throttleRate}; {@code
 * maxInFlight} bounds everything held in memory, so memory does not grow with the backlog, which
 * stays in the database.
 */
public final class Dispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  private static final int MAX_CLAIM_BATCH = 500;

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

  private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
  private final AtomicInteger held = new AtomicInteger();

  /** Ids of the deliveries this node holds (queued or in flight): the only leases it extends. */
  private final Set<String> heldIds = ConcurrentHashMap.newKeySet();

  private final AtomicInteger inFlight = new AtomicInteger();
  private final ScheduledExecutorService timers =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("herald-dispatch-timer").factory());

  /** Claims due work from the database: retries, scheduled messages, work other nodes left. */
  private final BackgroundJob claimJob;

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
  public Dispatcher(
      String nodeId, Database db, DeliveryStore deliveries, DeliveryAttempt.Parts parts) {
    this.nodeId = nodeId;
    this.config = parts.config();
    this.db = db;
    this.deliveries = deliveries;
    this.appThrottles = parts.appThrottles();
    this.recorder = parts.recorder();
    this.clock = parts.clock();
    this.attempts = new DeliveryAttempt(parts, new LaneEvents());
    Metrics metrics = parts.metrics();
    metrics.bindDispatcher(held::get, inFlight::get);
    this.claimJob =
        new BackgroundJob(
            "claim",
            BackgroundJob.Schedule.every(config.pollInterval()).afterFailure(Duration.ofSeconds(1)),
            metrics.backgroundErrors("claim"),
            this::claimDueDeliveries);
    this.leaseJob =
        new BackgroundJob(
            "lease",
            BackgroundJob.Schedule.every(config.leaseExtendInterval()).firstRunAfterInterval(),
            metrics.backgroundErrors("lease"),
            this::extendLeases);
  }

  /** Builds what every attempt of this node uses. */
  public static DeliveryAttempt.Parts parts(
      DeliveryConfig config,
      Database db,
      DeliveryStore deliveries,
      dev.herald.store.AttemptStore attempts,
      dev.herald.store.EndpointStore endpointStore,
      Sender sender,
      Ids ids,
      InstantSource clock,
      DoubleSupplier random,
      Metrics metrics,
      AttemptReports events,
      dev.herald.store.GroupCommit commits,
      String nodeId) {
    AttemptRecorder recorder =
        new AttemptRecorder(
            commits,
            deliveries,
            attempts,
            endpointStore,
            clock,
            config.endpointDisableAfter(),
            nodeId,
            events,
            metrics.backgroundErrors("attempt-writer"));
    return new DeliveryAttempt.Parts(
        config,
        new EndpointCache(db, endpointStore),
        new AppThrottles(db, new dev.herald.store.ApplicationStore()),
        sender,
        recorder,
        new RetryPolicy(config.retrySchedule()),
        ids,
        clock,
        random,
        metrics);
  }

  /** How an attempt reports back: the lanes' bookkeeping stays here. */
  private final class LaneEvents implements DeliveryAttempt.Lanes {
    @Override
    public void pump(Lane lane) {
      Dispatcher.this.pump(lane);
    }

    @Override
    public void opened(Lane lane) {
      wakeFor(lane);
    }

    @Override
    public void finish(Lane lane, DeliveryTask task) {
      Dispatcher.this.finish(lane, task);
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
    claimJob.start();
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
        lane.reserved--;
        lane.queue.add(task);
      }
      pump(lane);
    }

    /** After rollback: frees the slot. */
    public void rollback() {
      end();
      synchronized (lane) {
        lane.reserved--;
      }
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
    Lane lane = lanes.computeIfAbsent(endpointId, Lane::new);
    synchronized (lane) {
      if (lane.full(config.endpointConcurrency())) {
        lane.refused = true;
        return Optional.empty();
      }
      if (held.incrementAndGet() > config.maxInFlight()) {
        held.decrementAndGet();
        // Left in the database for want of budget: finishing deliveries wake the claim loop.
        backlogDue = true;
        return Optional.empty();
      }
      lane.reserved++;
      return Optional.of(new Reservation(lane));
    }
  }

  /**
   * Queues a task claimed from the database (already counted in {@code held}) in the lane its claim
   * reserved room in.
   */
  private void enqueueClaimed(DeliveryTask task) {
    Lane lane = lanes.get(task.endpointId());
    boolean fresh = heldIds.add(task.deliveryId());
    synchronized (lane) {
      lane.reserved--;
      if (fresh) {
        lane.queue.add(task);
      }
    }
    if (!fresh) {
      // Still held here: its lease lapsed while the database was away (the result may be waiting to
      // be written). The claim only renewed the lease; sending it again would be a duplicate.
      held.decrementAndGet();
      return;
    }
    pump(lane);
  }

  /** Asks the claim loop to look for any due work now rather than at its next poll. */
  public void wake() {
    claimAllDue = true;
    claimJob.wake();
  }

  /**
   * Asks the claim loop for the due work of this lane's endpoint alone: it was left in the database
   * while the lane was full, and the lane has room now.
   */
  private void wakeFor(Lane lane) {
    roomFor.add(lane);
    claimJob.wake();
  }

  private void pump(Lane lane) {
    List<DeliveryTask> toStart = new ArrayList<>();
    synchronized (lane) {
      while (lane.running < lane.concurrency(config.endpointConcurrency())
          && !lane.queue.isEmpty()) {
        if (!lane.rateKnown && lane.running > 0) {
          // The first attempt is reading the endpoint; starting more before its throttleRate is
          // known would let a burst to a new lane through unthrottled. attempt() pumps again.
          break;
        }
        // The endpoint's rate is checked first without booking, so a slot of the application's
        // rate (shared with its other endpoints) is only taken when this request really starts.
        long now = System.nanoTime();
        long wait = lane.throttle.waitNanos(lane.throttleRate, now);
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
        lane.running++;
        toStart.add(lane.queue.poll());
      }
    }
    for (DeliveryTask task : toStart) {
      inFlight.incrementAndGet();
      Thread.startVirtualThread(() -> attempts.run(lane, task));
    }
  }

  /** True while the last claim took all it asked for: work is waiting in the database. */
  private volatile boolean backlogDue;

  private void finish(Lane lane, DeliveryTask task) {
    synchronized (lane) {
      lane.running--;
    }
    inFlight.decrementAndGet();
    int nowHeld = held.decrementAndGet();
    heldIds.remove(task.deliveryId());
    pump(lane);
    boolean laneHasRoomForRefused;
    synchronized (lane) {
      // Work for this endpoint waits in the database because the lane was full: it has room now.
      laneHasRoomForRefused = lane.roomForRefused(config.endpointConcurrency());
    }
    boolean ordered;
    synchronized (lane) {
      ordered = lane.ordered;
    }
    if (laneHasRoomForRefused || ordered) {
      // An ordered endpoint's next delivery became due as this one ended (OrderedQueue).
      wakeFor(lane);
    } else if (backlogDue && nowHeld <= config.maxInFlight() / 2) {
      wake();
    }
  }

  /**
   * Lanes that left work in the database while full and have room now: the next claim run asks for
   * their endpoints' due work by endpoint ({@link DeliveryStore#claimDueOf}).
   */
  private final Set<Lane> roomFor = ConcurrentHashMap.newKeySet();

  /**
   * Set by {@link #wake}: the next run also claims from all due work. Otherwise a run claims from
   * all due work once per poll interval only, because that claim walks the due queue in order past
   * the backlog of every endpoint whose lane is full, and lanes getting room (a hanging endpoint's
   * request timing out, many times a second with a hundred of them) made it walk a 30,000-row
   * backlog several times a second (bench {@code isolation} on PostgreSQL).
   */
  private volatile boolean claimAllDue = true;

  private volatile long lastClaimOfAllDue = System.nanoTime();

  /**
   * One run of the claim job: the due work of lanes that got room, then, when woken for it or a
   * poll interval after the last time, all due work. True when it should run again at once: it took
   * a whole batch, or it left due work of full lanes behind but took some, so the next run,
   * skipping those lanes, reaches further down the queue.
   */
  private boolean claimDueDeliveries() {
    if (!claiming) {
      return false;
    }
    claimForLanesWithRoom();
    int free = config.maxInFlight() - held.get();
    if (free <= 0) {
      // A budget too full to claim at all means more work is probably due: finishing deliveries
      // then wake the loop (see finish) instead of it idling a poll interval.
      return false;
    }
    long now = System.nanoTime();
    if (!claimAllDue && now - lastClaimOfAllDue < config.pollInterval().toNanos()) {
      return false;
    }
    claimAllDue = false;
    lastClaimOfAllDue = now;
    int wanted = Math.min(free, MAX_CLAIM_BATCH);
    DeliveryStore.Claimed claimed = claim(wanted, null);
    int taken = claimed.tasks().size();
    boolean pageFull = claimed.scanned() == wanted;
    backlogDue = pageFull;
    boolean again = taken == MAX_CLAIM_BATCH || (pageFull && taken > 0 && taken < wanted);
    claimAllDue |= again;
    return again;
  }

  /** Claims the due work of the lanes in {@link #roomFor}, as much as each has room for. */
  private void claimForLanesWithRoom() {
    if (roomFor.isEmpty()) {
      return;
    }
    Map<String, Integer> rooms = new HashMap<>();
    int budget = config.maxInFlight() - held.get();
    for (Iterator<Lane> it = roomFor.iterator(); it.hasNext(); ) {
      Lane lane = it.next();
      it.remove();
      int room;
      synchronized (lane) {
        room = lane.capacity(config.endpointConcurrency()) - lane.size();
      }
      room = Math.min(room, budget);
      if (room > 0) {
        rooms.put(lane.endpointId, room);
        budget -= room;
      }
      if (budget <= 0) {
        // Out of budget: the lanes left in the set wait for the next run.
        break;
      }
    }
    if (rooms.isEmpty()) {
      return;
    }
    DeliveryStore.Claimed claimed =
        claim(rooms.values().stream().mapToInt(Integer::intValue).sum(), rooms);
    Map<String, Integer> taken = new HashMap<>();
    claimed.tasks().forEach(t -> taken.merge(t.endpointId(), 1, Integer::sum));
    rooms.forEach(
        (endpointId, room) -> {
          if (taken.getOrDefault(endpointId, 0) >= room) {
            // It took all it had room for: more may be due, to be claimed when there is room again.
            Lane lane = lanes.get(endpointId);
            synchronized (lane) {
              lane.refused = true;
            }
          }
        });
  }

  /**
   * Claims up to {@code limit} due deliveries: of the endpoints in {@code rooms} (as many as each
   * has room for), or of any endpoint when {@code rooms} is null.
   */
  private DeliveryStore.Claimed claim(int limit, Map<String, Integer> rooms) {
    List<String> full = new ArrayList<>();
    if (rooms == null) {
      lanes.forEach(
          (id, lane) -> {
            synchronized (lane) {
              if (lane.full(config.endpointConcurrency())) {
                full.add(id);
                // Whatever of this endpoint is due stays in the database until the lane has room.
                lane.refused = true;
              }
            }
          });
    }
    held.addAndGet(limit);
    ClaimAdmission admission = new ClaimAdmission();
    DeliveryStore.Claimed claimed;
    try {
      Instant now = clock.instant();
      Instant leaseUntil = now.plus(config.leaseDuration());
      claimed =
          db.write(
              sql -> {
                // A retried transaction starts over: room reserved by the failed try is given back.
                admission.release();
                return rooms != null
                    ? deliveries.claimDueOf(sql, nodeId, now, leaseUntil, rooms, admission)
                    : deliveries.claimDue(
                        sql,
                        nodeId,
                        now,
                        leaseUntil,
                        limit,
                        full.size() > 500 ? full.subList(0, 500) : full,
                        admission);
              });
    } catch (RuntimeException | Error e) {
      admission.release();
      throw e;
    } finally {
      held.addAndGet(-limit);
    }
    held.addAndGet(claimed.tasks().size());
    claimed.tasks().forEach(t -> admission.taken(t.endpointId()));
    // Rows admitted but not leased after all (another node took them): their room is free again.
    admission.release();
    claimed.tasks().forEach(this::enqueueClaimed);
    return claimed;
  }

  /**
   * Admits a claimed row only while its endpoint's lane has room, reserving the room as it goes, so
   * one claim takes no more of an endpoint's work than its lane holds: a hanging endpoint's backlog
   * (often the oldest due work) then takes a lane's worth of the budget, not all of it, and the
   * claim reaches other endpoints' work behind it.
   */
  private final class ClaimAdmission implements Predicate<String> {
    private final Map<Lane, Integer> reserved = new HashMap<>();

    @Override
    public boolean test(String endpointId) {
      Lane lane = lanes.computeIfAbsent(endpointId, Lane::new);
      synchronized (lane) {
        if (lane.full(config.endpointConcurrency())) {
          lane.refused = true;
          return false;
        }
        lane.reserved++;
      }
      reserved.merge(lane, 1, Integer::sum);
      return true;
    }

    /** A leased row keeps its reservation: {@link #enqueueClaimed} turns it into a queued task. */
    void taken(String endpointId) {
      reserved.computeIfPresent(lanes.get(endpointId), (lane, n) -> n == 1 ? null : n - 1);
    }

    /** Gives back every reservation not taken. */
    void release() {
      reserved.forEach(
          (lane, n) -> {
            synchronized (lane) {
              lane.reserved -= n;
            }
          });
      reserved.clear();
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

  /** Runs the claim loop once on the caller's thread, claiming from all due work (for tests). */
  void stepClaim() {
    claimAllDue = true;
    claimJob.runOnce();
  }

  /** Deliveries held in memory (queued and in flight). */
  public int held() {
    return held.get();
  }

  public int inFlight() {
    return inFlight.get();
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
    claimJob.close();
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
                  String id = lane.queue.poll().deliveryId();
                  unstarted.add(id);
                  heldIds.remove(id);
                  held.decrementAndGet();
                }
              }
            });
    try {
      if (!unstarted.isEmpty()) {
        db.writeVoid(sql -> deliveries.releaseLeases(sql, nodeId, unstarted));
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
