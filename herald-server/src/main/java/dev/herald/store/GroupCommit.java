package dev.herald.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits concurrent callers' writes together: one writer thread takes every job that arrived
 * while the previous batch was committing, runs each in its own savepoint inside one transaction,
 * commits once, and only then answers each caller. A job that fails rolls back alone; if the commit
 * itself fails, every caller in the batch gets the failure. So each caller still sees its own
 * all-or-nothing transaction, while the database pays one commit (one fsync) per batch.
 */
public final class GroupCommit implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);
  static final int MAX_BATCH = 256;

  private record Job<T>(Database.Work<T> work, CompletableFuture<T> result) {
    void runIn(Sql sql, List<Runnable> onCommit) {
      try {
        T value = sql.inSavepoint(work);
        onCommit.add(() -> result.complete(value));
      } catch (RuntimeException | Error e) {
        result.completeExceptionally(e);
      }
    }
  }

  private final Database db;
  private final LinkedBlockingQueue<Job<?>> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private volatile boolean running = true;

  public GroupCommit(Database db) {
    this.db = db;
    this.writer = Thread.ofPlatform().daemon().name("herald-group-commit").start(this::run);
  }

  /** Runs the work in the next batch and returns its result once that batch has committed. */
  public <T> T write(Database.Work<T> work) {
    if (!running) {
      return db.write(work);
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    queue.add(new Job<>(work, result));
    try {
      return result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a commit", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private void run() {
    List<Job<?>> batch = new ArrayList<>(MAX_BATCH);
    while (running || !queue.isEmpty()) {
      try {
        Job<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        commit(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (Throwable t) {
        log.error("group commit of {} jobs failed; will keep running", batch.size(), t);
      } finally {
        batch.clear();
      }
    }
  }

  private void commit(List<Job<?>> batch) {
    List<Runnable> answers = new ArrayList<>(batch.size());
    try {
      db.writeVoid(sql -> batch.forEach(job -> job.runIn(sql, answers)));
    } catch (RuntimeException | Error e) {
      // The commit failed: none of the batch is durable, so nobody may be told it is.
      batch.forEach(job -> job.result().completeExceptionally(e));
      return;
    }
    answers.forEach(Runnable::run);
  }

  @Override
  public void close() {
    running = false;
    try {
      writer.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
