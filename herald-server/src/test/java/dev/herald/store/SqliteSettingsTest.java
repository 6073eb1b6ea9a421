package dev.herald.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The settings every SQLite connection of Herald runs with, on a real database file: the ones that
 * make a commit durable, and the checkpoint interval the writer's throughput and tail latency
 * depend on. A driver upgrade or a pool change that dropped one would pass every functional test
 * and lose data on power loss.
 */
class SqliteSettingsTest {

  @TempDir Path dir;
  private Database db;

  @BeforeEach
  void open() {
    db = Database.open(DatabaseSettings.sqlite(dir.resolve("herald.db"), 2));
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void the_writer_commits_durably_to_the_wal_and_checkpoints_every_thousand_pages() {
    assertThat(db.<String>write(SqliteSettingsTest::settings))
        .isEqualTo("journal_mode=wal synchronous=2 foreign_keys=1 wal_autocheckpoint=1000");
  }

  @Test
  void readers_run_with_the_same_settings() {
    assertThat(db.<String>read(SqliteSettingsTest::settings))
        .isEqualTo("journal_mode=wal synchronous=2 foreign_keys=1 wal_autocheckpoint=1000");
  }

  private static String settings(Sql sql) {
    return "journal_mode="
        + pragma(sql, "journal_mode")
        + " synchronous="
        + pragma(sql, "synchronous")
        + " foreign_keys="
        + pragma(sql, "foreign_keys")
        + " wal_autocheckpoint="
        + pragma(sql, "wal_autocheckpoint");
  }

  private static String pragma(Sql sql, String name) {
    return sql.queryOne("PRAGMA " + name, rs -> rs.getString(1)).orElseThrow();
  }
}
