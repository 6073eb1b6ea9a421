package dev.herald.task;

import dev.herald.delivery.Dispatcher;
import dev.herald.delivery.NodeContext;
import dev.herald.error.Unavailable;
import dev.herald.job.BackgroundJob;
import dev.herald.store.Database;
import dev.herald.store.DeliveryStore;
import dev.herald.store.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs durable background tasks. Each is leased to one node and advances in small batches, saving
 * its cursor after each, so a task interrupted by a crash resumes where it stopped on any node.
 */
public final class TaskRunner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TaskRunner.class);
  private static final Duration LEASE = Duration.ofSeconds(60);
  private static final int BATCH = 500;

  /** Runs that may fail in a row (a lease apart) before the task ends as failed. */
  static final int MAX_FAILURES = 5;

  private static final int MAX_REASON_LENGTH = 500;

  private final String owner;
  private final Database db;
  private final TaskStore tasks;
  private final DeliveryStore deliveries;
  private final Dispatcher dispatcher;
  private final InstantSource clock;
  private final BackgroundJob job;

  /** Cleared at close: a task in progress stops after its current batch. */
  private volatile boolean running = true;

  /**
   * @param errors the {@code herald_background_errors_total{job="tasks"}} series
   */
  /**
   * {@code node}: tasks are leased by the node's id and the job's failures counted in its metrics.
   */
  public TaskRunner(
      NodeContext node,
      Database db,
      TaskStore tasks,
      DeliveryStore deliveries,
      Dispatcher dispatcher,
      Duration pollInterval) {
    this.owner = node.id();
    this.db = db;
    this.tasks = tasks;
    this.deliveries = deliveries;
    this.dispatcher = dispatcher;
    this.clock = node.clock();
    this.job =
        new BackgroundJob(
            "tasks",
            BackgroundJob.Schedule.every(max(pollInterval, Duration.ofSeconds(1))),
            node.metrics().backgroundErrors("tasks"),
            this::runNextTask);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  public void start() {
    if (db.dialect().ownedByOneProcess()) {
      db.write(sql -> tasks.releaseAllLeases(sql));
    }
    job.start();
  }

  /** Looks for a task now (one was just created) instead of at the next poll. */
  public void wake() {
    job.wake();
  }

  /**
   * One run of the job: claims a task and runs it; true when there was one, so look again at once.
   */
  private boolean runNextTask() {
    if (!running) {
      return false; // closing: take no new task
    }
    Instant now = clock.instant();
    Optional<Task> task = db.write(sql -> tasks.claim(sql, owner, now, now.plus(LEASE)));
    task.ifPresent(this::execute);
    return task.isPresent();
  }

  private void execute(Task task) {
    try {
      if (!Task.ENDPOINT_RECOVER.equals(task.kind())) {
        log.error("task {} has unknown kind {}; marking it failed", task.id(), task.kind());
        db.writeVoid(
            sql ->
                tasks.recordFailure(
                    sql, task.id(), owner, "unknown task kind " + task.kind(), 1, clock.instant()));
        return;
      }
      recover(task);
    } catch (Unavailable e) {
      log.warn("task {} paused: {}; it resumes from its saved progress", task.id(), e.getMessage());
    } catch (RuntimeException e) {
      recordFailure(task, e);
    }
  }

  /**
   * A run that failed for a reason other than the database being away counts against the task; the
   * next run waits for the lease to lapse, and after {@link #MAX_FAILURES} in a row the task ends
   * as failed with the reason, instead of failing the same way every minute forever.
   */
  private void recordFailure(Task task, RuntimeException e) {
    String reason = e.toString();
    String kept =
        reason.length() > MAX_REASON_LENGTH ? reason.substring(0, MAX_REASON_LENGTH) : reason;
    int failures =
        db.write(
            sql -> tasks.recordFailure(sql, task.id(), owner, kept, MAX_FAILURES, clock.instant()));
    if (failures == 0) {
      log.info("task {} ({}) lost its lease to another node: {}", task.id(), task.kind(), reason);
    } else if (failures >= MAX_FAILURES) {
      log.error(
          "task {} ({}) failed {} runs in a row and ends as failed",
          task.id(),
          task.kind(),
          failures,
          e);
    } else {
      log.warn(
          "task {} ({}) failed (run {} of at most {}); it is retried from its saved progress in {}",
          task.id(),
          task.kind(),
          failures,
          MAX_FAILURES,
          LEASE,
          e);
    }
  }

  private void recover(Task task) {
    String endpointId = task.params().get("endpointId").asText();
    Instant since = Instant.parse(task.params().get("since").asText());
    Instant until = Instant.parse(task.params().get("until").asText());
    String cursor = task.progress();
    while (running) {
      String after = cursor;
      Instant now = clock.instant();
      String last =
          db.write(
              sql -> {
                String l =
                    deliveries.requeueFailed(sql, endpointId, since, until, after, BATCH, now);
                if (l != null && !tasks.progress(sql, task.id(), owner, l, now, now.plus(LEASE))) {
                  throw new IllegalStateException("lease on task " + task.id() + " lost");
                }
                if (l == null) {
                  tasks.finish(sql, task.id(), Task.FINISHED, now);
                }
                return l;
              });
      dispatcher.wake();
      if (last == null) {
        log.info("task {} ({}) finished", task.id(), task.kind());
        return;
      }
      cursor = last;
    }
    // Stopped mid-task: give the lease back, or a restarted node would wait for it to lapse.
    db.writeVoid(sql -> tasks.release(sql, task.id(), owner));
    log.info(
        "task {} ({}) paused at shutdown; it resumes from its saved progress",
        task.id(),
        task.kind());
  }

  @Override
  public void close() {
    running = false;
    // Waits for the current batch to commit and the lease to be given back before the database
    // closes.
    job.close();
  }
}
