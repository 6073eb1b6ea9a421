package dev.herald.store;

import io.micrometer.core.instrument.Counter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits concurrent callers' writes together: one writer thread takes every job that arrived while
 * the previous batch was committing, runs each in its own savepoint inside one transaction, commits
 * once, and only then answers each caller. A job that fails rolls back alone; if the commit itself
 * fails, every caller in the batch gets the failure. So each caller still sees its own
 * all-or-nothing transaction, while the database pays one commit (one fsync) per batch.
 *
 * <p>Several nodes on one PostgreSQL each run a writer, and their batches can lock the same rows
 * (two clients posting the same {@code eventId} to two nodes). Two measures keep that from ever
 * failing a caller:
 *
 * <ul>
 *   <li>Jobs carrying an order key run in key order within a batch, so two batches that insert the
 *       same unique keys take their locks in the same order and wait for each other instead of
 *       forming a cycle.
 *   <li>A job the database still picks as a deadlock victim has only its savepoint rolled back; it
 *       is run again in the next batch, a new transaction. Running it again in the same transaction
 *       could meet the same cycle, since that transaction keeps the locks of the jobs before it.
 *       The other jobs of the batch are unaffected.
 * </ul>
 *
 * <p>Jobs of one {@link Combined} kind (accepting a message) are run together: one statement per
 * table for all of them rather than a handful per job, which is what lets one writer keep up.
 * Should the combined run fail as a whole, each of its jobs runs again alone, so one caller's bad
 * row cannot fail the others.
 */
public final class GroupCommit implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);
  static final int MAX_BATCH = 256;

  /** How often one job that lost a deadlock is run again, each time in a later batch. */
  static final int MAX_CONFLICT_RETRIES = 8;

  /** Jobs without a key keep their arrival order and run before keyed jobs. */
  private static final Comparator<Job<?>> ORDER =
      Comparator.comparing(
          (Job<?> j) -> j.orderKey, Comparator.nullsFirst(Comparator.naturalOrder()));

  /**
   * Work many callers' jobs can do together. {@link #runAll} gets the inputs of one batch (in order
   * key order) and returns one outcome per input, in the same order: an input it refuses (not
   * found, a conflict) gets its failure there. When it throws, nothing of the group is kept and
   * each input is run alone through {@code runAll(sql, List.of(input))}, whose throw then fails
   * that input only.
   */
  public interface Combined<I, T> {
    List<Outcome<T>> runAll(Sql sql, List<I> inputs);
  }

  /** One input's result in a combined run: its value, or the failure its caller gets. */
  public record Outcome<T>(T value, RuntimeException failure) {
    public static <T> Outcome<T> of(T value) {
      return new Outcome<>(value, null);
    }

    public static <T> Outcome<T> failed(RuntimeException failure) {
      return new Outcome<>(null, failure);
    }

    public T valueOrThrow() {
      if (failure != null) {
        throw failure;
      }
      return value;
    }
  }

  private static final class Job<T> {
    final String orderKey;
    final Database.Work<T> work;

    /** Set for a job of a combined kind, with its input; {@link #work} then runs it alone. */
    final Combined<Object, T> combined;

    final Object input;
    final CompletableFuture<T> result = new CompletableFuture<>();
    int conflicts;

    Job(String orderKey, Database.Work<T> work) {
      this(orderKey, work, null, null);
    }

    Job(String orderKey, Database.Work<T> work, Combined<Object, T> combined, Object input) {
      this.orderKey = orderKey;
      this.work = work;
      this.combined = combined;
      this.input = input;
    }

    /**
     * Runs the job in its savepoint. Its answer, success or failure, is only given once the batch
     * committed: should the whole transaction be run again, a failure seen in the first run must
     * not have been told to a caller whose work then commits in the second.
     */
    void runIn(Sql sql, List<Runnable> onCommit, List<Job<?>> runAgain) {
      try {
        T value = sql.inSavepoint(work);
        onCommit.add(() -> result.complete(value));
      } catch (TransientConflict e) {
        if (++conflicts > MAX_CONFLICT_RETRIES) {
          onCommit.add(
              () ->
                  result.completeExceptionally(
                      new StoreException("gave up after " + conflicts + " deadlocks", e)));
        } else {
          runAgain.add(this);
        }
      } catch (RuntimeException | Error e) {
        onCommit.add(() -> result.completeExceptionally(e));
      }
    }
  }

  private final Database db;

  /**
   * Batches that failed to commit, in {@code herald_background_errors_total{job="group-commit"}}.
   */
  private final Counter errors;

  private final LinkedBlockingQueue<Job<?>> queue = new LinkedBlockingQueue<>();

  /** Jobs that lost a deadlock in the last batch: they open the next one. Writer thread only. */
  private final List<Job<?>> carried = new ArrayList<>();

  private final Thread writer;
  private volatile boolean running = true;

  public GroupCommit(Database db, Counter errors) {
    this.db = db;
    this.errors = errors;
    this.writer = Thread.ofPlatform().daemon().name("herald-group-commit").start(this::run);
  }

  /** Runs the work in the next batch and returns its result once that batch has committed. */
  public <T> T write(Database.Work<T> work) {
    return write(null, work);
  }

  /**
   * Like {@link #write(Database.Work)}, with the unique key the work inserts (or locks) first:
   * within a batch, keyed jobs run in key order so concurrent batches on other nodes lock in the
   * same order. The work may run more than once; it must undo its own effects outside the
   * transaction when it starts.
   */
  public <T> T write(String orderKey, Database.Work<T> work) {
    if (!running) {
      return db.write(work);
    }
    return await(enqueue(new Job<>(orderKey, work)));
  }

  private static <T> T await(Job<T> job) {
    try {
      return job.result.get();
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

  /**
   * Work that is a batch of its own (a claim, a batch of attempt results). Where the database takes
   * one writer at a time (SQLite) it rides the next batch: it would otherwise wait for the same
   * connection anyway and then pay a commit (an fsync, and the write of every page it touched) of
   * its own. Elsewhere (PostgreSQL) it commits in a transaction of its own on the caller's thread,
   * beside the batches, so accepted messages never wait behind it.
   */
  public <T> T writeBeside(Database.Work<T> work) {
    return db.dialect().oneWriterConnection() ? write(work) : db.write(work);
  }

  /**
   * Runs {@code input} in the next batch together with the other inputs of the same {@link
   * Combined} kind, and returns its value once that batch has committed. {@code orderKey} as in
   * {@link #write(String, Database.Work)}: the inputs reach {@code runAll} in key order.
   */
  @SuppressWarnings("unchecked")
  public <I, T> T write(String orderKey, Combined<I, T> combined, I input) {
    Database.Work<T> alone = sql -> combined.runAll(sql, List.of(input)).get(0).valueOrThrow();
    if (!running) {
      return db.write(alone);
    }
    return await(enqueue(new Job<>(orderKey, alone, (Combined<Object, T>) combined, input)));
  }

  /** Jobs waiting for the next batch (tests wait on it to know a batch will hold them all). */
  int queued() {
    return queue.size();
  }

  private <T> Job<T> enqueue(Job<T> job) {
    queue.add(job);
    return job;
  }

  private void run() {
    List<Job<?>> batch = new ArrayList<>(MAX_BATCH);
    while (running || !queue.isEmpty() || !carried.isEmpty()) {
      try {
        batch.addAll(carried);
        carried.clear();
        if (batch.isEmpty()) {
          Job<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
          if (first == null) {
            continue;
          }
          batch.add(first);
        }
        queue.drainTo(batch, Math.max(0, MAX_BATCH - batch.size()));
        batch.sort(ORDER);
        commit(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (Throwable t) {
        errors.increment();
        log.error("group commit of {} jobs failed; will keep running", batch.size(), t);
        batch.forEach(job -> job.result.completeExceptionally(t));
      } finally {
        batch.clear();
      }
    }
  }

  private void commit(List<Job<?>> batch) {
    List<Runnable> answers = new ArrayList<>(batch.size());
    List<Job<?>> runAgain = new ArrayList<>();
    try {
      db.writeVoid(
          sql -> {
            // Database.write runs this again when the commit itself loses a conflict.
            answers.clear();
            runAgain.clear();
            Map<Combined<Object, ?>, List<Job<?>>> groups = new LinkedHashMap<>();
            for (Job<?> job : batch) {
              if (job.combined == null) {
                job.runIn(sql, answers, runAgain);
              } else {
                groups.computeIfAbsent(job.combined, c -> new ArrayList<>()).add(job);
              }
            }
            groups.forEach((combined, jobs) -> runCombined(sql, combined, jobs, answers, runAgain));
          });
    } catch (RuntimeException | Error e) {
      // The commit failed: none of the batch is durable, so nobody may be told it is.
      errors.increment();
      batch.forEach(job -> job.result.completeExceptionally(e));
      if (Database.gotNoConnection(e)) {
        failQueued(e);
      }
      return;
    }
    answers.forEach(Runnable::run);
    if (!runAgain.isEmpty()) {
      log.debug(
          "{} jobs lost a deadlock to another node's transaction; running them in the next batch",
          runAgain.size());
      carried.addAll(runAgain);
    }
  }

  /**
   * Fails the jobs that queued while this batch waited the pool's whole timeout for a connection
   * the database did not give. Their own batch would wait that timeout again, so a client writing
   * while the database is down got its 503 after twice the timeout; now it gets it after at most
   * one. Jobs that arrive from now on try again, so writes resume as soon as the database is back.
   */
  private void failQueued(Throwable noConnection) {
    List<Job<?>> waiting = new ArrayList<>();
    queue.drainTo(waiting);
    waiting.forEach(job -> job.result.completeExceptionally(noConnection));
  }

  /**
   * Runs a group of combined jobs in one savepoint. When that fails as a whole (one input broke a
   * shared statement, or the group lost a deadlock), each job runs alone in its own savepoint.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void runCombined(
      Sql sql,
      Combined<Object, ?> combined,
      List<Job<?>> jobs,
      List<Runnable> answers,
      List<Job<?>> runAgain) {
    if (jobs.size() > 1) {
      List<Object> inputs = jobs.stream().map(j -> j.input).toList();
      List<? extends Outcome<?>> outcomes = null;
      try {
        outcomes = sql.inSavepoint(s -> combined.runAll(s, inputs));
      } catch (RuntimeException e) {
        log.debug("a combined run of {} jobs failed; running each alone", jobs.size(), e);
      }
      if (outcomes != null) {
        for (int i = 0; i < jobs.size(); i++) {
          Job job = jobs.get(i);
          Outcome<?> outcome = outcomes.get(i);
          answers.add(
              outcome.failure() == null
                  ? () -> job.result.complete(outcome.value())
                  : () -> job.result.completeExceptionally(outcome.failure()));
        }
        return;
      }
    }
    jobs.forEach(job -> job.runIn(sql, answers, runAgain));
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
