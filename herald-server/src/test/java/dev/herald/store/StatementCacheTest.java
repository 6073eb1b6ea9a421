package dev.herald.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.error.Conflict;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Statements kept per connection on SQLite: reused, never shared while in use, never stale. */
class StatementCacheTest {
  @TempDir Path dir;
  Database db;

  @BeforeEach
  void open() {
    db = Database.open(DatabaseSettings.sqlite(dir.resolve("herald.db"), 2));
    db.writeVoid(s -> s.update("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)"));
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void a_statement_run_again_on_the_writer_is_the_one_prepared_the_first_time() throws Exception {
    PreparedStatement[] seen = new PreparedStatement[2];
    for (int i = 0; i < 2; i++) {
      int n = i;
      db.writeVoid(s -> seen[n] = s.preparedFor("INSERT INTO t (k, v) VALUES (?, ?)"));
    }
    assertThat(seen[1]).isSameAs(seen[0]);
    assertThat(seen[0].isClosed()).isFalse();
  }

  @Test
  void a_reused_statement_binds_its_own_parameters_each_time() {
    for (int i = 0; i < 5; i++) {
      int n = i;
      db.writeVoid(s -> s.update("INSERT INTO t (k, v) VALUES (?, ?)", "k" + n, n));
    }
    db.writeVoid(
        s ->
            s.batch(
                "INSERT INTO t (k, v) VALUES (?, ?)", List.<Object[]>of(new Object[] {"b", 10})));
    db.writeVoid(
        s ->
            s.batch(
                "INSERT INTO t (k, v) VALUES (?, ?)", List.<Object[]>of(new Object[] {"c", 11})));
    List<String> keys = db.read(s -> s.query("SELECT k FROM t ORDER BY v", rs -> rs.getString(1)));
    assertThat(keys).containsExactly("k0", "k1", "k2", "k3", "k4", "b", "c");
    assertThat(value("k3")).isEqualTo(3);
    assertThat(value("c")).isEqualTo(11);
  }

  @Test
  void the_same_sql_run_while_it_is_still_open_gets_a_statement_of_its_own() {
    db.writeVoid(
        s -> {
          s.update("INSERT INTO t (k, v) VALUES ('a', 1)");
          s.update("INSERT INTO t (k, v) VALUES ('b', 2)");
        });
    String byValue = "SELECT k FROM t WHERE v >= ? ORDER BY v";
    List<String> pairs =
        db.read(
            s ->
                s.query(
                    byValue,
                    rs -> rs.getString(1) + s.query(byValue, inner -> inner.getString(1), 2),
                    1));
    assertThat(pairs).containsExactly("a[b]", "b[b]");
  }

  @Test
  void a_statement_that_failed_is_not_used_again() throws Exception {
    String insert = "INSERT INTO t (k, v) VALUES (?, ?)";
    PreparedStatement[] before = new PreparedStatement[1];
    db.writeVoid(
        s -> {
          s.update(insert, "x", 1);
          before[0] = s.preparedFor(insert);
        });
    assertThatThrownBy(() -> db.writeVoid(s -> s.update(insert, "x", 2)))
        .isInstanceOf(Conflict.class);
    assertThat(before[0].isClosed()).isTrue();
    db.writeVoid(s -> s.update(insert, "y", 3));
    long rows = db.read(s -> s.queryLong("SELECT COUNT(*) FROM t"));
    assertThat(rows).isEqualTo(2);
  }

  @Test
  void each_connection_keeps_at_most_its_capacity_closing_the_least_recently_used() {
    PreparedStatement[] first = new PreparedStatement[1];
    db.writeVoid(
        s -> {
          first[0] = s.preparedFor("SELECT 0 FROM t");
          for (int i = 1; i <= StatementCache.CAPACITY; i++) {
            s.queryLong("SELECT " + i + " FROM t");
          }
        });
    assertThat(closed(first[0])).isTrue();
  }

  private long value(String key) {
    return db.read(s -> s.queryLong("SELECT v FROM t WHERE k = ?", key));
  }

  private static boolean closed(PreparedStatement ps) {
    try {
      return ps.isClosed();
    } catch (java.sql.SQLException e) {
      return true;
    }
  }
}
