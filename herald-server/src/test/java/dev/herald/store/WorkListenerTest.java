package dev.herald.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.Backend;
import dev.herald.testing.Eventually;
import dev.herald.testing.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Nodes wake each other through PostgreSQL NOTIFY. A node that left work in the database comes back
 * for it by itself, so its own notice must not wake it: it did once per accepted message that left
 * work behind, and each wake-up walked the due queue past every full lane's backlog.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkListenerTest {
  private TestDatabases.Storage storage;
  private DatabaseSettings settings;
  private Database db;

  @BeforeAll
  void open() {
    storage = TestDatabases.create(Backend.POSTGRES);
    settings = new DatabaseSettings(storage.jdbcUrl(), TestDatabases.POSTGRES_USER, null, 2);
    db = Database.open(settings);
  }

  @AfterAll
  void close() {
    db.close();
    storage.delete();
  }

  @Test
  void a_node_is_woken_by_other_nodes_notices_and_by_notices_for_all_but_not_by_its_own() {
    AtomicInteger wokeA = new AtomicInteger();
    AtomicInteger wokeB = new AtomicInteger();
    var errors = new SimpleMeterRegistry().counter("errors");
    try (WorkListener a = new WorkListener(settings, "node_a", wokeA::incrementAndGet, errors);
        WorkListener b = new WorkListener(settings, "node_b", wokeB::incrementAndGet, errors)) {
      a.start();
      b.start();
      // Until both listen, a notice could go unheard: repeat one for all until each woke.
      Eventually.await(
          "both listening",
          () -> {
            db.writeVoid(sql -> sql.dialect().notifyWork(sql, null));
            return wokeA.get() > 0 && wokeB.get() > 0;
          },
          listening -> listening);
      // Notices reach a connection in the order they were sent: once a last notice for all woke
      // node_a, every notice of the loop above has reached it too.
      int settled = wokeA.get();
      db.writeVoid(sql -> sql.dialect().notifyWork(sql, null));
      Eventually.await("node_a settled", wokeA::get, n -> n > settled);
      int aBefore = wokeA.get();
      int bBefore = wokeB.get();

      db.writeVoid(sql -> sql.dialect().notifyWork(sql, "node_a"));
      Eventually.await("node_b woken by node_a", wokeB::get, n -> n > bBefore);
      // Notices reach a connection in order: once this one woke node_a, node_a's own came before.
      db.writeVoid(sql -> sql.dialect().notifyWork(sql, null));
      Eventually.await("node_a woken by a notice for all", wokeA::get, n -> n > aBefore);

      assertThat(wokeA.get()).as("node_a woken once, by the notice for all").isEqualTo(aBefore + 1);
    }
  }
}
