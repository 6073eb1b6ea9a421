package dev.herald.delivery;

import dev.herald.store.AttemptStore;
import dev.herald.store.DeliveryStore;
import dev.herald.store.EndpointStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes attempt results in batches (group commit): everything finished while the previous batch
 * was being written goes into the next transaction, so the database sees one round trip per batch,
 * not per attempt. Each result's future completes once its batch is committed.
 */
final class AttemptRecorder implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AttemptRecorder.class);
  private static final int MAX_BATCH = 1000;

  /** Which operational webhook, if any, an attempt result reports. */
  enum Report {
    NONE,
    FAILING,
    EXHAUSTED,
    RECOVERED
  }

  /** One finished attempt (or a delivery given up without one when {@code attempt} is null). */
  record Result(
      DeliveryTask task,
      Attempt attempt,
      DeliveryStore.Completion completion,
      boolean succeeded,
      boolean exhausted,
      Report report,
      CompletableFuture<Void> written) {}

  private final dev.herald.store.GroupCommit commits;
  private final DeliveryStore deliveries;
  private final AttemptStore attempts;
  private final EndpointStore endpoints;
  private final InstantSource clock;
  private final Duration disableAfter;
  private final String owner;
  private final AttemptReports events;
  private final dev.herald.store.OrderedQueue orderedQueue = new dev.herald.store.OrderedQueue();

  /** Failed batch writes, in {@code herald_background_errors_total{job="attempt-writer"}}. */
  private final io.micrometer.core.instrument.Counter errors;

  private final LinkedBlockingQueue<Result> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private volatile boolean running = true;

  AttemptRecorder(
      DeliveryStores stores,
      InstantSource clock,
      Duration disableAfter,
      String owner,
      AttemptReports events,
      io.micrometer.core.instrument.Counter errors) {
    this.events = events;
    this.errors = errors;
    this.commits = stores.commits();
    this.deliveries = stores.deliveries();
    this.attempts = stores.attempts();
    this.endpoints = stores.endpoints();
    this.clock = clock;
    this.disableAfter = disableAfter;
    this.owner = owner;
    this.writer = Thread.ofPlatform().daemon().name("herald-attempt-writer").start(this::run);
  }

  CompletableFuture<Void> record(
      DeliveryTask task,
      Attempt attempt,
      DeliveryStore.Completion completion,
      boolean succeeded,
      boolean exhausted,
      Report report) {
    CompletableFuture<Void> written = new CompletableFuture<>();
    queue.add(new Result(task, attempt, completion, succeeded, exhausted, report, written));
    return written;
  }

  private void run() {
    List<Result> batch = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      try {
        Result first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        writeWithRetry(batch);
        batch.forEach(r -> r.written().complete(null));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Throwable t) {
        errors.increment();
        log.error("attempt writer failed on a batch of {}; will keep running", batch.size(), t);
        batch.forEach(r -> r.written().completeExceptionally(t));
      } finally {
        batch.clear();
      }
    }
  }

  /** The database may be briefly away: keep the batch and try again with backoff, never drop it. */
  private void writeWithRetry(List<Result> batch) throws InterruptedException {
    long backoff = 100;
    while (true) {
      try {
        write(batch);
        return;
      } catch (dev.herald.error.Unavailable e) {
        errors.increment();
        log.warn(
            "cannot record {} attempts, the database is unavailable; retrying in {} ms",
            batch.size(),
            backoff);
        Thread.sleep(backoff);
        backoff = Math.min(backoff * 2, 5_000);
      }
    }
  }

  private void write(List<Result> batch) {
    Instant now = clock.instant();
    List<Attempt> rows = new ArrayList<>();
    List<DeliveryStore.Completion> completions = new ArrayList<>();
    List<String> succeeded = new ArrayList<>();
    List<String> exhausted = new ArrayList<>();
    for (Result r : batch) {
      if (r.attempt() != null) {
        rows.add(r.attempt());
      }
      completions.add(r.completion());
      if (r.succeeded()) {
        succeeded.add(r.task().endpointId());
      } else if (r.exhausted()) {
        exhausted.add(r.task().endpointId());
      }
    }
    // Beside the group commit (GroupCommit.writeBeside): on SQLite attempt results and accepted
    // messages share one transaction and one fsync instead of taking turns on its single writer;
    // on PostgreSQL the results commit on this thread, and accepted messages do not wait behind
    // them (docs/benchmarks.md, results beside the group commit). Endpoint rows are updated in id
    // order, so two batches (of this node's or another's) never lock two endpoints in opposite
    // orders.
    // Delivery rows too, in id order: the same rule for every row this batch locks.
    completions.sort(java.util.Comparator.comparing(DeliveryStore.Completion::deliveryId));
    List<String> disabled =
        commits.writeBeside(
            sql -> {
              List<String> orderedEnding =
                  completions.stream()
                      .filter(c -> c.orderedEndpoint() != null && c.ends())
                      .map(DeliveryStore.Completion::orderedEndpoint)
                      .toList();
              // Locked before anything else, as accepting transactions lock them (OrderedQueue).
              orderedQueue.lock(sql, orderedEnding);
              attempts.insert(sql, rows);
              boolean[] updated = deliveries.complete(sql, owner, completions);
              orderedQueue.promoteNext(sql, orderedEnding, now);
              for (int i = 0; i < updated.length; i++) {
                if (!updated[i]) {
                  log.debug(
                      "delivery {} was no longer leased to this node; its result is recorded as an attempt only",
                      completions.get(i).deliveryId());
                }
              }
              if (!succeeded.isEmpty()) {
                endpoints.markSucceeded(sql, succeeded.stream().distinct().sorted().toList());
              }
              List<String> newlyDisabled =
                  exhausted.isEmpty()
                      ? List.<String>of()
                      : endpoints.markExhausted(
                          sql,
                          exhausted.stream().distinct().sorted().toList(),
                          now,
                          now.minus(disableAfter));
              report(sql, batch, newlyDisabled);
              return newlyDisabled;
            });
    disabled.forEach(
        id ->
            log.warn(
                "endpoint {} disabled: nothing but failed deliveries for {}", id, disableAfter));
  }

  /** Operational webhooks for this batch, written in the same transaction as the results. */
  private void report(dev.herald.store.Sql sql, List<Result> batch, List<String> newlyDisabled) {
    List<String> reported = new ArrayList<>();
    for (Result r : batch) {
      if (r.report() == Report.NONE || r.attempt() == null) {
        continue;
      }
      String type =
          switch (r.report()) {
            case FAILING -> "message.attempt.failing";
            case EXHAUSTED -> "message.attempt.exhausted";
            case RECOVERED -> "message.attempt.recovered";
            case NONE -> throw new IllegalStateException();
          };
      Attempt a = r.attempt();
      events.attemptEvent(
          sql,
          type,
          a.orgId(),
          a.appId(),
          a.messageId(),
          a.endpointId(),
          a.id(),
          a.responseStatusCode(),
          a.timestamp());
      if (r.report() != Report.RECOVERED) {
        reported.add(r.task().deliveryId());
      }
    }
    if (!reported.isEmpty()) {
      deliveries.markFailingReported(sql, reported);
    }
    newlyDisabled.forEach(id -> events.endpointDisabled(sql, id));
  }

  @Override
  public void close() {
    running = false;
    try {
      writer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
