package dev.herald.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.error.Unavailable;
import java.sql.Connection;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;

class SqlTest {

  /**
   * Found by DatabaseRestartTest: when PostgreSQL stopped, a group-commit batch whose connection
   * broke on one job ran the next job's SAVEPOINT on the connection the pool had closed; that fails
   * with no SQL state, and was answered 500 instead of 503.
   */
  @Test
  void a_statement_on_a_closed_connection_means_the_database_is_unavailable() throws Exception {
    Connection connection = DriverManager.getConnection("jdbc:sqlite::memory:");
    connection.close();
    Sql sql = new Sql(connection, new SqliteDialect());

    assertThatThrownBy(() -> sql.update("CREATE TABLE t (x INTEGER)"))
        .isInstanceOf(Unavailable.class);
    assertThatThrownBy(() -> sql.inSavepoint(s -> 1)).isInstanceOf(Unavailable.class);
  }
}
