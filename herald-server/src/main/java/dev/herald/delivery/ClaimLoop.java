package dev.herald.delivery;

import dev.herald.job.BackgroundJob;
import dev.herald.ops.Metrics;
import dev.herald.store.Database;
import dev.herald.store.DeliveryStore;
import dev.herald.store.Dialect;
import dev.herald.store.GroupCommit;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The claim loop: takes due deliveries from the database into this node's lanes (retries, scheduled
 * messages, work refused at accept for want of room, work other nodes left), fairly per endpoint. A
 * {@link BackgroundJob}, woken for all due work ({@link #wake}) or for one lane's ({@link
 * #wakeFor}); {@link #step} runs it once on the caller's thread for tests.
 */
final class ClaimLoop implements AutoCloseable {
  private final String nodeId;
  private final DeliveryConfig config;
  private final GroupCommit commits;
  private final DeliveryStore deliveries;
  private final InstantSource clock;
  private final Holdings holdings;

  /** Starts what a lane may start now, after claimed work was queued in it. */
  private final Consumer<Lane> pump;

  /** False on nodes that do not deliver, and once the node stops. */
  private final BooleanSupplier claiming;

  private final BackgroundJob job;

  /** The most deliveries one claim takes: the database's ({@link Dialect#claimBatch}). */
  private final int claimBatch;

  /** True while the last claim took all it asked for: work is waiting in the database. */
  private volatile boolean backlogDue;

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
   * The due time up to which the last claim of all due work read the whole queue, leaving only rows
   * of lanes that wake the claim for themselves when they get room ({@link Lane#leftOutOfWalk}, and
   * lanes that filled up during the walk, marked {@code refused}); null when it did not (a full
   * page, rows left for want of budget, a failure), and the next walk starts at the front. Guarded
   * by this loop's monitor, as every run is (the job's thread, or a test's {@link #step}).
   */
  private Instant walkedToEndAt;

  /**
   * When the claim of all due work last started at the front of the queue. Between such walks it
   * reads only what fell due since {@link #walkedToEndAt}: while receivers are down every due row
   * belongs to a lane left out of the walk, and each walk from the front read the whole backlog
   * (235 ms at 200,000 due on PostgreSQL) to take nothing. A walk from the front every few polls
   * still finds what falls due without a new due time: a lease that lapsed (a node died).
   */
  private long lastWalkFromFront = System.nanoTime();

  /** Walks from the front at least this many poll intervals apart. */
  private static final int WALK_FROM_FRONT_EVERY = 10;

  /**
   * How far back from {@link #walkedToEndAt} a walk reads: an accepting transaction commits a row
   * due at its own start, which a walk that ended while it was still open did not see, and another
   * node's clock may be a little behind this one's.
   */
  private static final Duration WALK_OVERLAP = Duration.ofSeconds(5);

  /** The last claim left due rows for want of budget. Guarded as {@link #walkedToEndAt}. */
  private boolean lastClaimShortOfBudget;

  /**
   * Until this {@link System#nanoTime} lanes that get room claim their own endpoint's work even
   * when no endpoint is unreachable: a claim of all due work standing in for them walked past too
   * much work it could not take (see {@link #wasteful}).
   */
  private long claimByEndpointUntil = System.nanoTime();

  /**
   * A claim of all due work this slow for each row it took walked past a backlog it had to skip (a
   * slow endpoint's, at the front of the queue): 30,000 rows took 230-865 ms on PostgreSQL, where
   * 500 healthy rows take 2-40 ms. Two orders of magnitude apart, so a loaded machine does not blur
   * them.
   */
  private static final long WASTEFUL_NANOS_PER_ROW = 1_000_000;

  private static final long WASTEFUL_MIN_NANOS = 20_000_000;

  /**
   * How long the last claim's statements took, without the wait for a connection or a group-commit
   * batch and without the commit: under heavy writes on SQLite those alone can take tens of
   * milliseconds, and they say nothing about the walk.
   */
  private volatile long lastClaimNanos;

  ClaimLoop(
      DeliveryStores stores,
      DeliveryAttempt.Parts parts,
      Holdings holdings,
      Consumer<Lane> pump,
      BooleanSupplier claiming) {
    this.nodeId = parts.node().id();
    this.config = parts.config();
    this.claimBatch = stores.db().dialect().claimBatch();
    this.commits = stores.commits();
    this.deliveries = stores.deliveries();
    this.clock = parts.node().clock();
    this.holdings = holdings;
    this.pump = pump;
    this.claiming = claiming;
    Metrics metrics = parts.node().metrics();
    this.job =
        new BackgroundJob(
            "claim",
            BackgroundJob.Schedule.every(config.pollInterval()).afterFailure(Duration.ofSeconds(1)),
            metrics.backgroundErrors("claim"),
            this::runOnce);
  }

  void start() {
    job.start();
  }

  @Override
  public void close() {
    job.close();
  }

  /** Asks the claim loop to look for any due work now rather than at its next poll. */
  void wake() {
    claimAllDue = true;
    job.wake();
  }

  /**
   * Asks the claim loop for the due work of this lane's endpoint alone: it was left in the database
   * while the lane was full, and the lane has room now.
   */
  void wakeFor(Lane lane) {
    roomFor.add(lane);
    job.wake();
  }

  /** The budget refused work at accept: it waits in the database for finishing deliveries. */
  void budgetRefused() {
    backlogDue = true;
  }

  boolean backlogDue() {
    return backlogDue;
  }

  /**
   * One run of the claim job: the due work of lanes that got room, then, when woken for it or a
   * poll interval after the last time, all due work. True when it should run again at once: it took
   * a whole batch, or it left due work of full lanes behind but took some, so the next run,
   * skipping those lanes, reaches further down the queue.
   */
  private synchronized boolean runOnce() {
    if (!claiming.getAsBoolean()) {
      return false;
    }
    boolean inPlaceOfLanes = !roomFor.isEmpty() && claimOfAllDueServesLanes();
    if (inPlaceOfLanes) {
      roomFor.clear();
      claimAllDue = true;
      // Those lanes' work fell due long ago: read from the front.
      walkedToEndAt = null;
    }
    claimForLanesWithRoom();
    int free = config.maxInFlight() - holdings.held.get();
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
    int wanted = Math.min(free, claimBatch);
    Instant dueAfter = null;
    if (walkedToEndAt != null
        && now - lastWalkFromFront < WALK_FROM_FRONT_EVERY * config.pollInterval().toNanos()) {
      dueAfter = walkedToEndAt.minus(WALK_OVERLAP);
    } else {
      lastWalkFromFront = now;
    }
    walkedToEndAt = null;
    Instant dueBy = clock.instant();
    DeliveryStore.Claimed claimed = claim(wanted, null, dueBy, dueAfter);
    int taken = claimed.tasks().size();
    if (inPlaceOfLanes && wasteful(lastClaimNanos, taken)) {
      claimByEndpointUntil = System.nanoTime() + config.pollInterval().toNanos();
    }
    boolean pageFull = claimed.scanned() == wanted;
    if (!pageFull && !lastClaimShortOfBudget) {
      walkedToEndAt = dueBy;
    }
    backlogDue = pageFull;
    boolean again = taken == claimBatch || (pageFull && taken > 0 && taken < wanted);
    claimAllDue |= again;
    return again;
  }

  /**
   * Whether lanes that got room are better served by one claim of all due work than by each
   * claiming its own endpoint's. The claim by endpoint exists for endpoints that cannot take work:
   * their backlog, often the oldest due work, is what the claim of all due work would walk past. An
   * endpoint that timed out or refused a connection is probed one request at a time and its lane is
   * full, so while any lane is probing with work (in flight, or left in the database, or just given
   * room for it), lanes claim by endpoint. A new lane probes too until its first answer, so a drain
   * starts by endpoint and turns to due order once the receivers have answered. Otherwise one claim
   * takes the oldest due work in due order, a few messages' deliveries side by side in the table,
   * where claims by endpoint take each endpoint's next rows: a different message, and a different
   * page of the table to lease and then to complete, for every row. Draining a 200,000 backlog on
   * SQLite, 7,275 and 7,349 deliveries/s against 4,645 and 4,751 (docs/benchmarks.md).
   */
  private boolean claimOfAllDueServesLanes() {
    if (System.nanoTime() - claimByEndpointUntil < 0) {
      return false;
    }
    for (Lane lane : holdings.lanes.values()) {
      synchronized (lane) {
        if (lane.probing && (lane.refused || lane.size() > 0 || roomFor.contains(lane))) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * A claim of all due work that took {@code nanos} for {@code taken} rows walked past too many.
   */
  static boolean wasteful(long nanos, int taken) {
    return nanos > WASTEFUL_MIN_NANOS && nanos > WASTEFUL_NANOS_PER_ROW * Math.max(taken, 1);
  }

  /** Claims the due work of the lanes in {@link #roomFor}, as much as each has room for. */
  private void claimForLanesWithRoom() {
    if (roomFor.isEmpty()) {
      return;
    }
    Map<String, Integer> rooms = new HashMap<>();
    int budget = config.maxInFlight() - holdings.held.get();
    for (Iterator<Lane> it = roomFor.iterator(); it.hasNext() && budget > 0; ) {
      // Out of budget, the lanes left in the set wait for the next run (finishing deliveries wake
      // it).
      Lane lane = it.next();
      it.remove();
      int room;
      synchronized (lane) {
        room = lane.capacity() - lane.size();
        if (room <= 0) {
          // Full again already (accepted work took the room): its work in the database waits for
          // the next room, as when it was left there.
          lane.refused = true;
          continue;
        }
      }
      room = Math.min(room, budget);
      rooms.put(lane.endpointId, room);
      budget -= room;
    }
    if (rooms.isEmpty()) {
      return;
    }
    DeliveryStore.Claimed claimed =
        claim(
            rooms.values().stream().mapToInt(Integer::intValue).sum(),
            rooms,
            clock.instant(),
            null);
    Map<String, Integer> taken = new HashMap<>();
    claimed.tasks().forEach(t -> taken.merge(t.endpointId(), 1, Integer::sum));
    rooms.forEach(
        (endpointId, room) -> {
          if (taken.getOrDefault(endpointId, 0) >= room) {
            // It took all it had room for: more may be due, to be claimed when there is room again.
            Lane lane = holdings.lanes.get(endpointId);
            synchronized (lane) {
              lane.refused = true;
            }
          }
        });
  }

  /**
   * Claims up to {@code limit} deliveries due by {@code now}: of the endpoints in {@code rooms} (as
   * many as each has room for), or of any endpoint when {@code rooms} is null, then only of those
   * due after {@code dueAfter} unless it is null.
   */
  private DeliveryStore.Claimed claim(
      int limit, Map<String, Integer> rooms, Instant now, Instant dueAfter) {
    List<String> leftOut = new ArrayList<>();
    if (rooms == null) {
      holdings.lanes.forEach(
          (id, lane) -> {
            synchronized (lane) {
              if (lane.leftOutOfWalk()) {
                leftOut.add(id);
                // Whatever of this endpoint is due stays in the database until the lane has room.
                lane.refused = true;
              } else if (roomFor.contains(lane)) {
                // The next run claims this endpoint's work by itself.
                leftOut.add(id);
              }
            }
          });
    }
    ClaimAdmission admission = new ClaimAdmission();
    DeliveryStore.Claimed claimed;
    try {
      Instant leaseUntil = now.plus(config.leaseDuration());
      List<String> skip = leftOut.size() > 500 ? leftOut.subList(0, 500) : leftOut;
      claimed =
          write(
              sql -> {
                // A retried transaction starts over: room reserved by the failed try is given back.
                admission.release();
                long started = System.nanoTime();
                DeliveryStore.Claimed c =
                    rooms != null
                        ? deliveries.claimDueOf(sql, nodeId, now, leaseUntil, rooms, admission)
                        : deliveries.claimDue(
                            sql, nodeId, now, leaseUntil, limit, skip, dueAfter, admission);
                lastClaimNanos = System.nanoTime() - started;
                return c;
              });
    } catch (RuntimeException | Error e) {
      admission.release();
      throw e;
    }
    claimed.tasks().forEach(t -> admission.taken(t.endpointId()));
    // Rows admitted but not leased after all (another node took them): their room is free again.
    admission.release();
    lastClaimShortOfBudget = admission.shortOfBudget;
    claimed.tasks().forEach(this::enqueue);
    return claimed;
  }

  /**
   * Runs a claim's transaction ({@link GroupCommit#writeBeside}). On SQLite the claim rides the
   * group commit's next batch instead of paying a commit of its own about forty times a second
   * while a backlog drains; in the batch its leases share the commit with the results of the
   * attempts that finish those rows' pages. On PostgreSQL a claim never waits for a batch's commit.
   */
  private <T> T write(Database.Work<T> work) {
    return commits.writeBeside(work);
  }

  /**
   * Admits a claimed row only while its endpoint's lane has room, reserving the room as it goes, so
   * one claim takes no more of an endpoint's work than its lane holds: a hanging endpoint's backlog
   * (often the oldest due work) then takes a lane's worth of the budget, not all of it, and the
   * claim reaches other endpoints' work behind it.
   */
  private final class ClaimAdmission implements Predicate<String> {
    private final Map<Lane, Integer> reserved = new HashMap<>();

    /** A row was not admitted for want of budget: it stays due with nothing to wake for it. */
    boolean shortOfBudget;

    /**
     * Takes a slot of the node's budget and of the row's lane. The budget is taken row by row, not
     * for the whole page a claim asks for before it starts: that left no budget to accepting
     * requests for as long as the claim ran, and each delivery they were refused waited in the
     * database for the next poll (bench {@code slow-endpoints}: the healthy endpoint's slowest
     * deliveries took a poll interval, 520-530 ms, while the claim walked a slow backlog).
     */
    @Override
    public boolean test(String endpointId) {
      Lane lane = holdings.lane(endpointId);
      synchronized (lane) {
        if (lane.full()) {
          lane.refused = true;
          return false;
        }
        if (!holdings.tryHold()) {
          shortOfBudget = true;
          return false;
        }
        lane.reserve();
      }
      reserved.merge(lane, 1, Integer::sum);
      return true;
    }

    /** A leased row keeps its reservation: {@link #enqueue} turns it into a queued task. */
    void taken(String endpointId) {
      reserved.computeIfPresent(holdings.lanes.get(endpointId), (lane, n) -> n == 1 ? null : n - 1);
    }

    /** Gives back every reservation not taken, of its lane and of the budget. */
    void release() {
      reserved.forEach(
          (lane, n) -> {
            unreserve(lane, n);
            holdings.held.addAndGet(-n);
          });
      reserved.clear();
    }
  }

  /**
   * Queues a task claimed from the database (already counted in {@code held}) in the lane its claim
   * reserved room in.
   */
  private void enqueue(DeliveryTask task) {
    Lane lane = holdings.lanes.get(task.endpointId());
    boolean fresh = holdings.heldIds.add(task.deliveryId());
    if (!fresh) {
      // Still held here: its lease lapsed while the database was away (the result may be waiting to
      // be written). The claim only renewed the lease; sending it again would be a duplicate.
      unreserve(lane, 1);
      holdings.held.decrementAndGet();
      return;
    }
    synchronized (lane) {
      lane.queueReserved(task);
    }
    pump.accept(lane);
  }

  /**
   * Gives back {@code n} of a lane's reservations. Room freed this way, as by a finishing delivery,
   * wakes the claim for work the lane left in the database: a walk of all due work may not read
   * that work again (it is left out, or due before the walk's start; see {@link #walkedToEndAt}).
   */
  void unreserve(Lane lane, int n) {
    boolean room;
    synchronized (lane) {
      lane.unreserve(n);
      room = lane.roomForRefused();
    }
    if (room) {
      wakeFor(lane);
    }
  }

  /** Runs the claim loop once on the caller's thread, claiming from all due work (for tests). */
  synchronized void step() {
    claimAllDue = true;
    walkedToEndAt = null;
    job.runOnce();
  }
}
