package dev.herald.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.error.Unavailable;
import dev.herald.testing.Eventually;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While the database gives no connection, a write queued behind a batch that waited the pool's
 * whole timeout fails with that batch instead of waiting the timeout again: a client then gets its
 * 503 after one timeout, not two. On a real SQLite file, whose one write connection another
 * transaction holds for the outage.
 */
class GroupCommitOutageTest {

  @TempDir Path dir;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  /** A thread per caller: each blocks until its batch commits or fails. */
  private final ExecutorService callers = Executors.newCachedThreadPool();

  private Database db;
  private GroupCommit commits;

  @BeforeEach
  void open() {
    db = Database.open(DatabaseSettings.sqlite(dir.resolve("herald.db"), 2), meters);
    db.writeVoid(sql -> sql.update("CREATE TABLE probe (k TEXT PRIMARY KEY)"));
    commits = new GroupCommit(db, new SimpleMeterRegistry().counter("herald.background.errors"));
  }

  @AfterEach
  void close() {
    callers.shutdownNow();
    commits.close();
    db.close();
  }

  @Test
  void writes_queued_behind_a_batch_that_got_no_connection_fail_with_it() throws Exception {
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> outage =
        CompletableFuture.runAsync(
            () ->
                db.writeVoid(
                    sql -> {
                      held.countDown();
                      await(release);
                    }),
            callers);
    held.await();

    CompletableFuture<Object> first = writeAsync("first");
    // The writer took the first write's batch and waits for the held connection.
    Eventually.await(
        "the writer waiting for a connection", this::waitingForWriteConnection, n -> n == 1);
    CompletableFuture<Object> queuedA = writeAsync("queued-a");
    CompletableFuture<Object> queuedB = writeAsync("queued-b");
    Eventually.await("two writes queued", commits::queued, n -> n == 2);

    assertThat(failureOf(first)).isInstanceOf(Unavailable.class);
    // The connection comes back now: a queued write that had not been failed with the first batch
    // would be run in the next batch and succeed.
    release.countDown();
    outage.join();

    assertThat(failureOf(queuedA)).isInstanceOf(Unavailable.class);
    assertThat(failureOf(queuedB)).isInstanceOf(Unavailable.class);
    long stored = db.read(sql -> sql.queryLong("SELECT COUNT(*) FROM probe"));
    assertThat(stored).isZero();
    // Writes arriving after the outage go through.
    int inserted = commits.write(sql -> sql.update("INSERT INTO probe (k) VALUES ('after')"));
    assertThat(inserted).isEqualTo(1);
  }

  /** Threads waiting for the write pool's one connection, from the pool's own gauge. */
  private int waitingForWriteConnection() {
    return (int)
        meters.get("hikaricp.connections.pending").tag("pool", "herald-write").gauge().value();
  }

  private CompletableFuture<Object> writeAsync(String key) {
    return CompletableFuture.supplyAsync(
        () -> commits.write(sql -> sql.update("INSERT INTO probe (k) VALUES (?)", key)), callers);
  }

  private static Throwable failureOf(CompletableFuture<Object> write) {
    try {
      write.join();
      return null;
    } catch (CompletionException e) {
      return e.getCause();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
