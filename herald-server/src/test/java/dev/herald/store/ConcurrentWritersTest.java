package dev.herald.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.error.Conflict;
import dev.herald.testing.Backend;
import dev.herald.testing.TestDatabases;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two nodes' writers on one PostgreSQL, made to deadlock on purpose: each pair of jobs inserts the
 * same two unique keys in opposite orders, one job on each node, so PostgreSQL must abort one of
 * them. The victim is run again and then meets an ordinary unique-key conflict; no caller ever sees
 * the deadlock and no job that was not at fault fails (hardening issue 9, point 1). Before the fix
 * the victim's caller got a 500 ({@code deadlock detected}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConcurrentWritersTest {
  private static final int PAIRS = 16;

  private TestDatabases.Storage storage;
  private Database nodeA;
  private Database nodeB;

  @BeforeAll
  void open() {
    storage = TestDatabases.create(Backend.POSTGRES);
    // Detect deadlocks in 50 ms rather than a second, or each one stalls a writer that long.
    TestDatabases.execute(
        "ALTER DATABASE " + storage.databaseName() + " SET deadlock_timeout = '50ms'");
    var settings = new DatabaseSettings(storage.jdbcUrl(), TestDatabases.POSTGRES_USER, null, 8);
    nodeA = Database.open(settings);
    nodeB = Database.open(settings);
    nodeA.writeVoid(
        sql -> sql.update("CREATE TABLE probe (k TEXT PRIMARY KEY, node TEXT NOT NULL)"));
  }

  @AfterAll
  void close() {
    nodeA.close();
    nodeB.close();
    storage.delete();
  }

  private static Counter errors() {
    return new SimpleMeterRegistry().counter("herald.background.errors");
  }

  /**
   * Inserts both keys with a pause between, so the other node's job takes its first key meanwhile.
   */
  private static Database.Work<String> insertBoth(String first, String second, String node) {
    return sql -> {
      sql.update("INSERT INTO probe (k, node) VALUES (?, ?)", first, node);
      sql.queryLong("SELECT 1 FROM pg_sleep(0.02)");
      sql.update("INSERT INTO probe (k, node) VALUES (?, ?)", second, node);
      return node;
    };
  }

  @Test
  void group_commits_on_two_nodes_never_surface_a_deadlock_to_a_caller() throws Exception {
    try (GroupCommit a = new GroupCommit(nodeA, errors());
        GroupCommit b = new GroupCommit(nodeB, errors())) {
      List<Callable<String>> jobs = new ArrayList<>();
      for (int i = 0; i < PAIRS; i++) {
        String k1 = "gc-" + i + "-1";
        String k2 = "gc-" + i + "-2";
        jobs.add(() -> a.write(insertBoth(k1, k2, "a")));
        jobs.add(() -> b.write(insertBoth(k2, k1, "b")));
        // A bystander on each node: shares batches with the deadlocked jobs and must never fail.
        String solo = "gc-solo-" + i;
        GroupCommit bystanderNode = i % 2 == 0 ? a : b;
        jobs.add(
            () ->
                bystanderNode.write(
                    sql -> {
                      sql.update("INSERT INTO probe (k, node) VALUES (?, 'solo')", solo);
                      return "solo";
                    }));
      }
      List<String> outcomes = run(jobs);
      assertEveryPairHasOneWinner(outcomes, "gc-");
      assertThat(outcomes).filteredOn("solo"::equals).hasSize(PAIRS);
    }
    assertThat(deadlocksSoFar()).as("the test really made PostgreSQL break deadlocks").isPositive();
  }

  @Test
  void plain_write_transactions_retry_a_lost_deadlock() throws Exception {
    List<Callable<String>> jobs = new ArrayList<>();
    for (int i = 0; i < PAIRS / 2; i++) {
      String k1 = "tx-" + i + "-1";
      String k2 = "tx-" + i + "-2";
      jobs.add(() -> nodeA.write(insertBoth(k1, k2, "a")));
      jobs.add(() -> nodeB.write(insertBoth(k2, k1, "b")));
    }
    assertEveryPairHasOneWinner(run(jobs), "tx-");
  }

  /** Runs every job at once; each result is the job's answer or the name of what it threw. */
  private static List<String> run(List<Callable<String>> jobs) throws Exception {
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    try {
      List<Future<String>> futures =
          pool.invokeAll(
              jobs.stream()
                  .<Callable<String>>map(
                      job ->
                          () -> {
                            try {
                              return job.call();
                            } catch (Conflict e) {
                              return "conflict";
                            } catch (RuntimeException e) {
                              return "failed: " + e;
                            }
                          })
                  .toList());
      List<String> outcomes = new ArrayList<>();
      for (Future<String> f : futures) {
        outcomes.add(f.get());
      }
      return outcomes;
    } finally {
      pool.shutdown();
    }
  }

  private void assertEveryPairHasOneWinner(List<String> outcomes, String prefix) {
    assertThat(outcomes)
        .as("no caller sees anything but success or a unique-key conflict")
        .allMatch(o -> o.equals("a") || o.equals("b") || o.equals("solo") || o.equals("conflict"));
    long pairs = outcomes.stream().filter(o -> !o.equals("solo")).count() / 2;
    assertThat(outcomes.stream().filter("conflict"::equals).count()).isEqualTo(pairs);
    long rows =
        nodeA.read(
            sql ->
                sql.queryLong(
                    "SELECT COUNT(*) FROM probe WHERE k LIKE ? AND node <> 'solo'", prefix + "%"));
    assertThat(rows)
        .as("each pair's winner inserted both keys, the loser nothing")
        .isEqualTo(2 * pairs);
  }

  /**
   * PostgreSQL publishes its statistics a little after the fact: wait up to five seconds for them.
   */
  private long deadlocksSoFar() throws InterruptedException {
    long deadlocks = 0;
    for (int i = 0; i < 50 && deadlocks == 0; i++) {
      deadlocks =
          nodeA.read(
              sql ->
                  sql.queryLong(
                      "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()"));
      if (deadlocks == 0) {
        Thread.sleep(100);
      }
    }
    return deadlocks;
  }
}
