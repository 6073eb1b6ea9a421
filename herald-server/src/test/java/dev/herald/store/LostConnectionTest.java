package dev.herald.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.error.Unavailable;
import dev.herald.testing.Backend;
import dev.herald.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A transaction whose connection was lost is the database being away, even when the work caught the
 * failing statement itself, as a group-commit savepoint does: the pool then closes the connection
 * and the commit fails with Hikari's "Connection is closed", which carries no SQL state. That
 * commit used to surface as a StoreException, a 500 to a client posting a message while PostgreSQL
 * restarted (seen in DatabaseRestartTest), instead of a 503.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LostConnectionTest {
  private TestDatabases.Storage storage;
  private Database db;

  @BeforeAll
  void open() {
    storage = TestDatabases.create(Backend.POSTGRES);
    db =
        Database.open(
            new DatabaseSettings(storage.jdbcUrl(), TestDatabases.POSTGRES_USER, null, 2));
  }

  @AfterAll
  void close() {
    db.close();
    storage.delete();
  }

  @Test
  void a_commit_after_the_connection_was_lost_inside_the_work_is_unavailable() {
    assertThatThrownBy(
            () ->
                db.writeVoid(
                    sql -> {
                      try {
                        // Ends this connection's own backend, as a database restart would.
                        sql.queryLong("SELECT 1 FROM pg_terminate_backend(pg_backend_pid())");
                      } catch (RuntimeException caughtLikeASavepoint) {
                        // the work goes on, as GroupCommit's batch does after one job failed
                      }
                    }))
        .isInstanceOf(Unavailable.class);
  }
}
