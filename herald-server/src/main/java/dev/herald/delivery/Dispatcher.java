package dev.herald.delivery;

import dev.herald.endpoint.Endpoint;
import dev.herald.id.IdPrefix;
import dev.herald.id.Ids;
import dev.herald.job.BackgroundJob;
import dev.herald.store.Database;
import dev.herald.store.DeliveryStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs deliveries leased to this node. Work arrives two ways: straight from the accepting
 * transaction ({@link #reserve} then {@link #accept}, no polling delay) and from the claim loop
 * (retries, and work other nodes left). Each endpoint has its own lane with a concurrency cap and
 * its {@code throttleRate}, and the lanes of one application share its {@code throttleRate};
 * {@code maxInFlight} bounds everything held in memory, so memory does not
 * grow with the backlog, which stays in the database.
 */
public final class Dispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  private static final int MAX_CLAIM_BATCH = 500;

  private final String nodeId;
  private final DeliveryConfig config;
  private final Database db;
  private final DeliveryStore deliveries;
  private final EndpointCache endpoints;
  /** Applications' throttleRate: caps the requests to all endpoints of an application together. */
  private final AppThrottles appThrottles;
  private final Sender sender;
  private final AttemptRecorder recorder;
  private final RetryPolicy policy;
  private final Ids ids;
  private final InstantSource clock;
  private final DoubleSupplier random;
  private final dev.herald.ops.Metrics metrics;
  private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
  private final AtomicInteger held = new AtomicInteger();
  /** Ids of the deliveries this node holds (queued or in flight): the only leases it extends. */
  private final java.util.Set<String> heldIds = ConcurrentHashMap.newKeySet();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final ScheduledExecutorService timers =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("herald-dispatch-timer").factory());
  /** Claims due work from the database: retries, scheduled messages, work other nodes left. */
  private final BackgroundJob claimJob;
  /** Extends the leases of everything this node holds, so no other node takes it over. */
  private final BackgroundJob leaseJob;
  /** False until {@link #start} (API-only nodes never start it: all their work goes to the claim loop of workers). */
  private volatile boolean claiming;
  private volatile boolean running = true;

  /** Per-endpoint queue: leased deliveries waiting for a slot, and the count in flight. */
  private final class Lane {
    final String endpointId;
    final ArrayDeque<DeliveryTask> queue = new ArrayDeque<>();
    final Throttle throttle = new Throttle();
    int reserved;
    int running;
    Integer throttleRate;
    /** False until an attempt has read the endpoint: only then is {@code throttleRate} known. */
    boolean rateKnown;
    boolean pumpScheduled;
    /**
     * Set after a timeout or a failed connection: the endpoint looks dead, so only one request at
     * a time probes it until one gets an answer. A dead endpoint then ties up one slot, not
     * {@code HERALD_ENDPOINT_CONCURRENCY} of them, and healthy endpoints keep the budget.
     *
     * <p>A new lane starts probing too (slow start): an endpoint earns its full concurrency and
     * lane capacity with its first answer, which a healthy receiver gives within milliseconds.
     * Without this, endpoints that hang from their first request each held a full lane for a whole
     * request timeout before they were known to be dead, and a hundred of them filled the node's
     * budget while a healthy endpoint's deliveries waited (bench {@code isolation}).
     */
    boolean probing = true;
    /** Work for this endpoint was left in the database because the lane was full. */
    boolean refused;

    int concurrency(int configured) {
      return probing ? 1 : configured;
    }

    Lane(String endpointId) {
      this.endpointId = endpointId;
    }

    int size() {
      return queue.size() + reserved + running;
    }
  }

  public Dispatcher(String nodeId, DeliveryConfig config, Database db, DeliveryStore deliveries,
      dev.herald.store.AttemptStore attempts, dev.herald.store.EndpointStore endpointStore, Sender sender,
      Ids ids, InstantSource clock, DoubleSupplier random, dev.herald.ops.Metrics metrics,
      dev.herald.ops.OperationalEvents events, dev.herald.store.GroupCommit commits) {
    this.nodeId = nodeId;
    this.config = config;
    this.db = db;
    this.deliveries = deliveries;
    this.endpoints = new EndpointCache(db, endpointStore);
    this.appThrottles = new AppThrottles(db, new dev.herald.store.ApplicationStore());
    this.sender = sender;
    this.recorder = new AttemptRecorder(commits, deliveries, attempts, endpointStore, clock,
        config.endpointDisableAfter(), nodeId, events, metrics.backgroundErrors("attempt-writer"));
    this.policy = new RetryPolicy(config.retrySchedule());
    this.ids = ids;
    this.clock = clock;
    this.random = random;
    this.metrics = metrics;
    metrics.bindDispatcher(held::get, inFlight::get);
    this.claimJob = new BackgroundJob("claim",
        BackgroundJob.Schedule.every(config.pollInterval()).afterFailure(Duration.ofSeconds(1)),
        metrics.backgroundErrors("claim"), this::claimDueDeliveries);
    this.leaseJob = new BackgroundJob("lease",
        BackgroundJob.Schedule.every(config.leaseExtendInterval()).firstRunAfterInterval(),
        metrics.backgroundErrors("lease"), this::extendLeases);
  }

  public String nodeId() {
    return nodeId;
  }

  public void start() {
    claiming = true;
    if (db.dialect().ownedByOneProcess()) {
      int released = db.write(sql -> deliveries.releaseAllLeases(sql));
      if (released > 0) {
        log.info("resuming {} deliveries that were in flight when this node last stopped", released);
      }
    }
    claimJob.start();
    leaseJob.start();
  }

  /** Lanes may hold this many deliveries each, so one slow endpoint cannot fill all of memory. */
  private int laneCapacity(Lane lane) {
    return lane.probing ? 2 : Math.max(config.endpointConcurrency() * 4, 16);
  }

  /**
   * Called inside an accepting transaction: true when this node takes the delivery at once (the row
   * is then written already leased to it). Every true must be followed by {@link #accept} after
   * commit or {@link #cancel} after rollback.
   */
  public boolean reserve(String endpointId) {
    if (!claiming) {
      return false;
    }
    Lane lane = lanes.computeIfAbsent(endpointId, Lane::new);
    synchronized (lane) {
      if (lane.size() >= laneCapacity(lane)) {
        lane.refused = true;
        return false;
      }
      if (held.incrementAndGet() > config.maxInFlight()) {
        held.decrementAndGet();
        // Left in the database for want of budget: finishing deliveries wake the claim loop.
        backlogDue = true;
        return false;
      }
      lane.reserved++;
      return true;
    }
  }

  public void cancel(String endpointId) {
    Lane lane = lanes.get(endpointId);
    synchronized (lane) {
      lane.reserved--;
    }
    held.decrementAndGet();
  }

  /** Hands over a reserved delivery after its transaction committed. */
  public void accept(DeliveryTask task) {
    Lane lane = lanes.get(task.endpointId());
    heldIds.add(task.deliveryId());
    synchronized (lane) {
      lane.reserved--;
      lane.queue.add(task);
    }
    pump(lane);
  }

  /** Lease a task claimed from the database (already counted in {@code held}). */
  private void enqueueClaimed(DeliveryTask task) {
    if (!heldIds.add(task.deliveryId())) {
      // Still held here: its lease lapsed while the database was away (the result may be waiting to
      // be written). The claim only renewed the lease; sending it again would be a duplicate.
      held.decrementAndGet();
      return;
    }
    Lane lane = lanes.computeIfAbsent(task.endpointId(), Lane::new);
    synchronized (lane) {
      lane.queue.add(task);
    }
    pump(lane);
  }

  /** Asks the claim loop to look for due work now rather than at its next poll. */
  public void wake() {
    claimJob.wake();
  }

  private void pump(Lane lane) {
    List<DeliveryTask> toStart = new ArrayList<>();
    synchronized (lane) {
      while (lane.running < lane.concurrency(config.endpointConcurrency()) && !lane.queue.isEmpty()) {
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
            timers.schedule(() -> {
              synchronized (lane) {
                lane.pumpScheduled = false;
              }
              pump(lane);
            }, wait, TimeUnit.NANOSECONDS);
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
      Thread.startVirtualThread(() -> attempt(lane, task));
    }
  }

  private void attempt(Lane lane, DeliveryTask task) {
    Instant started = clock.instant();
    String url = null;
    try {
      Optional<Endpoint> endpoint = endpoints.get(task.endpointId());
      if (endpoint.isEmpty() || endpoint.get().disabled()) {
        // Giving up cannot be undone: confirm a cached "deleted" or "disabled" with the database,
        // or a message accepted just after the endpoint was re-enabled would fail unsent.
        endpoint = endpoints.reload(task.endpointId());
      }
      if (endpoint.isEmpty() || endpoint.get().disabled() || task.payload() == null) {
        String why = endpoint.isEmpty() ? "the endpoint was deleted" : task.payload() == null
            ? "the message payload has expired or was expunged" : "the endpoint is disabled";
        log.debug("delivery {} given up without an attempt: {}", task.deliveryId(), why);
        Instant now = clock.instant();
        recorder.record(task, null, new DeliveryStore.Completion(task.deliveryId(), DeliveryStatus.FAIL.code(),
            task.attemptsMade(), null, now), false, false, AttemptRecorder.Report.NONE)
            .whenComplete((v, t) -> finish(lane, task));
        return;
      }
      Endpoint ep = endpoint.get();
      url = ep.url();
      // Read before the lane's rate is marked known: until then the lane starts nothing more, so
      // no second request slips past an application rate still being read.
      boolean firstOfApp = appThrottles.refresh(task.appId(), System.nanoTime());
      boolean firstOfLane;
      synchronized (lane) {
        firstOfLane = !lane.rateKnown;
        lane.throttleRate = ep.throttleRate();
        lane.rateKnown = true;
        if (firstOfLane) {
          // This request started before the rate was known: book its slot now.
          lane.throttle.tryAcquire(lane.throttleRate, System.nanoTime());
        }
      }
      if (firstOfLane || firstOfApp) {
        pump(lane);
      }
      started = clock.instant();
      Instant sentAt = started;
      Map<String, String> headers = requestHeaders(task, ep, started);
      sender.send(ep.url(), task.payload(), headers)
          .thenCompose(result -> {
            boolean unreachable = result.outcome() instanceof AttemptOutcome.TimedOut
                || result.outcome() instanceof AttemptOutcome.ConnectionFailed;
            boolean opened;
            synchronized (lane) {
              // The lane's first answer (or the first after an outage) opens it to full capacity:
              // what was left in the database for want of room may be claimed now.
              opened = lane.probing && !unreachable && lane.refused;
              lane.probing = unreachable;
              if (opened) {
                lane.refused = false;
              }
            }
            if (opened) {
              wake();
            }
            return record(task, ep.url(), sentAt, result);
          })
          .whenComplete((v, t) -> {
            if (t != null) {
              log.error("recording delivery {} failed; its lease will lapse and it will be retried", task.deliveryId(), t);
            }
            finish(lane, task);
          });
    } catch (dev.herald.error.Unavailable e) {
      // The database is away: nothing can be recorded now, and it is not this delivery's failure.
      log.warn("delivery {} not started, the database is unavailable; its lease will lapse and it will be retried",
          task.deliveryId());
      finish(lane, task);
    } catch (Throwable t) {
      recordNotSent(lane, task, url, started, t);
    }
  }

  /**
   * Something failed between the claim and the request (decrypting the endpoint's secrets, reading
   * a stored row, a bug): record it as a failed attempt with its reason, so it follows the retry
   * schedule and ends exhausted like any other failure, visible in the attempt log.
   */
  private void recordNotSent(Lane lane, DeliveryTask task, String knownUrl, Instant started, Throwable t) {
    String reason = t.getMessage() != null ? t.getMessage() : t.getClass().getName();
    log.error("delivery {} failed before sending; recorded as a failed attempt: {}", task.deliveryId(), reason, t);
    try {
      String url = knownUrl != null ? knownUrl : endpoints.urlOf(task.endpointId());
      record(task, url, started, new Sender.Result(new AttemptOutcome.NotSent(reason), 0))
          .whenComplete((v, failure) -> {
            if (failure != null) {
              log.error("recording delivery {} failed; its lease will lapse and it will be retried",
                  task.deliveryId(), failure);
            }
            finish(lane, task);
          });
    } catch (Throwable again) {
      log.error("delivery {} could not even be recorded as failed; its lease will lapse", task.deliveryId(), again);
      finish(lane, task);
    }
  }

  private Map<String, String> requestHeaders(DeliveryTask task, Endpoint ep, Instant now) {
    long timestamp = now.getEpochSecond();
    String signature = Signer.signatureHeader(task.messageId(), timestamp, task.payload(), ep.signingSecrets(now));
    Map<String, String> headers = new LinkedHashMap<>(ep.headers());
    headers.put("content-type", "application/json");
    if (config.signatureHeaders() != DeliveryConfig.SignatureHeaders.SVIX) {
      headers.put("webhook-id", task.messageId());
      headers.put("webhook-timestamp", Long.toString(timestamp));
      headers.put("webhook-signature", signature);
    }
    if (config.signatureHeaders() != DeliveryConfig.SignatureHeaders.WEBHOOK) {
      headers.put("svix-id", task.messageId());
      headers.put("svix-timestamp", Long.toString(timestamp));
      headers.put("svix-signature", signature);
    }
    if (task.traceparent() != null) {
      headers.put("traceparent", task.traceparent());
    }
    return headers;
  }

  /** Decides what the attempt means ({@link AttemptResult}), then counts it and has it written. */
  private java.util.concurrent.CompletableFuture<Void> record(DeliveryTask task, String url, Instant started,
      Sender.Result result) {
    Instant now = clock.instant();
    RetryPolicy.Decision decision =
        policy.decide(result.outcome(), task.attemptsMade() + 1, task.manual(), now, random.getAsDouble());
    AttemptResult r = AttemptResult.of(task, url, started, result, decision, now, ids.next(IdPrefix.ATTEMPT));
    OutcomeLog.attempted(task, r.attemptsMade(), result, decision);
    metrics.attempt(r.metric(), result.durationMillis());
    if (r.succeeded()) {
      metrics.delivered(Duration.between(task.messageCreatedAt(), now));
    }
    return recorder.record(task, r.attempt(), r.completion(), r.succeeded(), r.exhausted(), r.report());
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
      laneHasRoomForRefused = lane.refused && lane.size() < laneCapacity(lane);
      if (laneHasRoomForRefused) {
        lane.refused = false;
      }
    }
    if (laneHasRoomForRefused || (backlogDue && nowHeld <= config.maxInFlight() / 2)) {
      wake();
    }
  }

  /** One run of the claim job; true when the claim was full, so more is due at once. */
  private boolean claimDueDeliveries() {
    int claimed = 0;
    int wanted = 0;
    int free = config.maxInFlight() - held.get();
    if (claiming && free > 0) {
      wanted = Math.min(free, MAX_CLAIM_BATCH);
      claimed = claimBatch(wanted);
    }
    // A full claim, or a budget too full to claim at all, means more work is probably due:
    // finishing deliveries then wake the loop (see finish) instead of it idling a poll interval.
    backlogDue = wanted == 0 ? backlogDue : claimed == wanted;
    return claimed == MAX_CLAIM_BATCH;
  }

  private int claimBatch(int limit) {
    List<String> full = new ArrayList<>();
    lanes.forEach((id, lane) -> {
      synchronized (lane) {
        if (lane.size() >= laneCapacity(lane)) {
          full.add(id);
          // Whatever of this endpoint is due stays in the database until the lane has room.
          lane.refused = true;
        }
      }
    });
    held.addAndGet(limit);
    List<DeliveryTask> tasks;
    try {
      Instant now = clock.instant();
      tasks = db.write(sql -> deliveries.claimDue(sql, nodeId, now, now.plus(config.leaseDuration()), limit,
          full.size() > 500 ? full.subList(0, 500) : full));
    } finally {
      held.addAndGet(-limit);
    }
    held.addAndGet(tasks.size());
    tasks.forEach(this::enqueueClaimed);
    return tasks.size();
  }

  /** One run of the lease job. */
  private boolean extendLeases() {
    Instant now = clock.instant();
    List<String> ids = List.copyOf(heldIds);
    if (!ids.isEmpty()) {
      db.writeVoid(sql -> deliveries.extendLeases(sql, nodeId, ids, now.plus(config.leaseDuration())));
    }
    return false;
  }

  /** The claim loop, for tests that step it with {@link BackgroundJob#runOnce()}. */
  BackgroundJob claimJob() {
    return claimJob;
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
   * before commits just after, or a claim already running returns. Such work is counted in
   * {@code held} from its reservation on, so the drain waits for {@code held} (not only for the
   * requests in flight): otherwise a delivery started after the wait would be sent but never
   * recorded, and resent by another node once its lease lapsed.
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
    lanes.values().forEach(lane -> {
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
      log.warn("could not release {} leases at shutdown; they lapse in {}", unstarted.size(), config.leaseDuration());
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
