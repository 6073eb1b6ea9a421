package dev.herald.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.Backend;
import dev.herald.testing.TestDatabases;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * How {@link Database#read} runs its statements ({@link Dialect#readsInTransaction}): on SQLite in
 * one transaction, one snapshot for the whole read; on PostgreSQL each statement on its own (at
 * READ COMMITTED a transaction would not give one snapshot either, only cost a COMMIT round trip).
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class DatabaseReadTest {
  @Parameter Backend backend;

  private TestDatabases.Storage storage;
  private Database db;

  @BeforeEach
  void open() {
    storage = TestDatabases.create(backend);
    db = Database.open(storage.databaseSettings());
    db.writeVoid(sql -> sql.update("CREATE TABLE probe (k TEXT PRIMARY KEY)"));
  }

  @AfterEach
  void close() {
    db.close();
    storage.delete();
  }

  @Test
  void a_read_sees_one_snapshot_on_sqlite_and_each_statement_the_latest_commits_on_postgres() {
    List<Long> counts = new ArrayList<>();
    db.read(
        sql -> {
          counts.add(sql.queryLong("SELECT count(*) FROM probe"));
          // Another connection commits a row between the read's two statements.
          db.writeVoid(w -> w.update("INSERT INTO probe (k) VALUES ('between')"));
          counts.add(sql.queryLong("SELECT count(*) FROM probe"));
          return null;
        });

    assertThat(counts).containsExactly(0L, backend == Backend.SQLITE ? 0L : 1L);
  }

  @Test
  void a_read_on_postgres_runs_each_statement_as_a_transaction_of_its_own() {
    if (backend == Backend.POSTGRES) {
      // txid_current() gives the transaction's id (assigning one): the same for every statement of
      // a transaction, a new one for each statement run on its own.
      List<Long> ids =
          db.read(
              sql ->
                  List.of(
                      sql.queryLong("SELECT txid_current()"),
                      sql.queryLong("SELECT txid_current()")));
      assertThat(ids.get(1)).isNotEqualTo(ids.get(0));
    } else {
      // SQLite has no such function; its read's one transaction is the snapshot seen above.
      assertThat(db.dialect().readsInTransaction()).isTrue();
    }
  }

  @Test
  void a_connection_lent_to_a_read_goes_back_to_writing_in_transactions() {
    for (int i = 0; i < 20; i++) {
      db.read(sql -> sql.queryLong("SELECT count(*) FROM probe"));
    }
    // A write that fails after its first statement leaves nothing behind, on every connection the
    // reads had (the pool is small, so the write gets one of them).
    for (int i = 0; i < 5; i++) {
      String key = "k" + i;
      try {
        db.writeVoid(
            sql -> {
              sql.update("INSERT INTO probe (k) VALUES (?)", key);
              throw new IllegalStateException("refused after the insert");
            });
      } catch (IllegalStateException expected) {
        // the write is rolled back
      }
    }
    long rows = db.read(sql -> sql.queryLong("SELECT count(*) FROM probe"));
    assertThat(rows).isZero();
  }
}
