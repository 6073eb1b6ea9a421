package dev.herald.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.error.Conflict;
import dev.herald.error.NotFound;
import dev.herald.testing.Backend;
import dev.herald.testing.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Jobs of a {@link GroupCommit.Combined} kind queued together are written by one {@code runAll}
 * call, each caller still getting its own answer; when the shared statement fails, each job runs
 * alone and only the one at fault fails. On a real SQLite file and a real PostgreSQL.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class GroupCommitCombinedTest {
  private static final int JOBS = 40;

  @Parameter Backend backend;

  private TestDatabases.Storage storage;
  private Database db;
  private GroupCommit commits;

  @BeforeEach
  void open() {
    storage = TestDatabases.create(backend);
    String url =
        storage.jdbcUrl() != null
            ? storage.jdbcUrl()
            : "jdbc:sqlite:" + storage.dataDir().resolve("t.db");
    db =
        Database.open(
            new DatabaseSettings(
                url, backend == Backend.POSTGRES ? TestDatabases.POSTGRES_USER : null, null, 4));
    db.writeVoid(sql -> sql.update("CREATE TABLE probe (k TEXT PRIMARY KEY)"));
    commits = new GroupCommit(db, new SimpleMeterRegistry().counter("herald.background.errors"));
  }

  @AfterEach
  void close() {
    commits.close();
    db.close();
    storage.delete();
  }

  /**
   * Inserts every input key with one prepared batch; an input starting with "missing" is refused
   * alone.
   */
  private static final class InsertKeys implements GroupCommit.Combined<String, String> {
    final List<Integer> groupSizes = new CopyOnWriteArrayList<>();

    @Override
    public List<GroupCommit.Outcome<String>> runAll(Sql sql, List<String> keys) {
      groupSizes.add(keys.size());
      List<GroupCommit.Outcome<String>> out = new ArrayList<>();
      List<Object[]> rows = new ArrayList<>();
      for (String k : keys) {
        if (k.startsWith("missing")) {
          out.add(GroupCommit.Outcome.failed(new NotFound(k + " not found")));
        } else {
          rows.add(new Object[] {k});
          out.add(GroupCommit.Outcome.of(k));
        }
      }
      sql.batch("INSERT INTO probe (k) VALUES (?)", rows);
      return out;
    }
  }

  /** Holds the writer in a plain job until every combined job is queued behind it. */
  private List<Future<Object>> queueBehindABlockedWriter(InsertKeys kind, List<String> keys)
      throws Exception {
    CountDownLatch writerBusy = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    pool.submit(
        () ->
            commits.write(
                sql -> {
                  writerBusy.countDown();
                  try {
                    release.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  return null;
                }));
    writerBusy.await();
    List<Future<Object>> results = new ArrayList<>();
    for (String k : keys) {
      results.add(
          pool.submit(
              () -> {
                try {
                  return commits.write(null, kind, k);
                } catch (RuntimeException e) {
                  return e;
                }
              }));
    }
    while (commits.queued() < keys.size()) {
      Thread.sleep(5);
    }
    release.countDown();
    pool.shutdown();
    return results;
  }

  private long stored() {
    return db.read(sql -> sql.queryLong("SELECT COUNT(*) FROM probe"));
  }

  @Test
  void combined_jobs_queued_together_are_written_by_one_call_and_each_gets_its_own_answer()
      throws Exception {
    InsertKeys kind = new InsertKeys();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < JOBS; i++) {
      keys.add(i % 10 == 9 ? "missing-" + i : "k-" + i);
    }

    List<Future<Object>> results = queueBehindABlockedWriter(kind, keys);

    for (int i = 0; i < JOBS; i++) {
      Object answer = results.get(i).get();
      if (keys.get(i).startsWith("missing")) {
        assertThat(answer).isInstanceOf(NotFound.class);
      } else {
        assertThat(answer).isEqualTo(keys.get(i));
      }
    }
    assertThat(kind.groupSizes).containsExactly(JOBS);
    assertThat(stored()).isEqualTo(JOBS - JOBS / 10);
  }

  @Test
  void when_one_job_breaks_the_shared_statement_each_runs_alone_and_only_that_one_fails()
      throws Exception {
    db.writeVoid(sql -> sql.update("INSERT INTO probe (k) VALUES ('k-7')"));
    InsertKeys kind = new InsertKeys();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < JOBS; i++) {
      keys.add("k-" + i);
    }

    List<Future<Object>> results = queueBehindABlockedWriter(kind, keys);

    for (int i = 0; i < JOBS; i++) {
      Object answer = results.get(i).get();
      if (i == 7) {
        assertThat(answer).isInstanceOf(Conflict.class);
      } else {
        assertThat(answer).isEqualTo(keys.get(i));
      }
    }
    // The group, then each of the forty alone.
    assertThat(kind.groupSizes).first().isEqualTo(JOBS);
    assertThat(kind.groupSizes).hasSize(JOBS + 1);
    assertThat(stored()).isEqualTo(JOBS);
  }

  /**
   * Work that is a batch of its own (a claim, a batch of attempt results): on SQLite, one writer
   * connection, it runs in the group commit's next batch on the writer's thread; on PostgreSQL in a
   * transaction of its own on the caller's thread, done while the writer is still busy with a
   * batch.
   */
  @Test
  void work_written_beside_the_batches_takes_the_writer_only_on_sqlite() throws Exception {
    CountDownLatch writerBusy = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService callers = Executors.newFixedThreadPool(2);
    try {
      Future<Object> batch =
          callers.submit(
              () ->
                  commits.write(
                      sql -> {
                        writerBusy.countDown();
                        awaitQuietly(release);
                        return sql.update("INSERT INTO probe (k) VALUES ('batch')");
                      }));
      writerBusy.await();
      Future<String> beside =
          callers.submit(
              () ->
                  commits.writeBeside(
                      sql -> {
                        sql.update("INSERT INTO probe (k) VALUES ('beside')");
                        return Thread.currentThread().getName();
                      }));
      if (backend == Backend.POSTGRES) {
        assertThat(beside.get(30, TimeUnit.SECONDS)).isNotEqualTo("herald-group-commit");
        assertThat(batch.isDone()).isFalse();
      }
      release.countDown();
      batch.get(30, TimeUnit.SECONDS);
      if (backend == Backend.SQLITE) {
        assertThat(beside.get(30, TimeUnit.SECONDS)).isEqualTo("herald-group-commit");
      }
      long rows = db.read(sql -> sql.queryLong("SELECT count(*) FROM probe"));
      assertThat(rows).isEqualTo(2);
    } finally {
      release.countDown();
      callers.shutdownNow();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
