package dev.herald.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Times Herald's own claim statement ({@link DeliveryStore#claimDue}) against a running node's
 * database, so the figure is for exactly the SQL the node runs. It lives in Herald's {@code store}
 * package only to build a {@link Sql} on its own connection (Database would refuse: the node holds
 * the SQLite file's lock).
 *
 * <p>PostgreSQL: the whole claim (SELECT … FOR UPDATE SKIP LOCKED, then the lease UPDATE) runs in a
 * transaction that is rolled back, so nothing is taken from the node.
 *
 * <p>SQLite: the node's writer connection begins its next IMMEDIATE transaction as soon as one ends
 * (sqlite-jdbc does that), so it holds the write lock for its whole life and no second process can
 * write. The probe opens the file read-only: the claim's SELECT runs in full and its UPDATE is refused
 * at once, so the time measured is the SELECT's, which is the part that grows with the backlog.
 */
public final class ClaimProbe {

  /** One timed claim: how long it took and how many deliveries it took (-1: unknown, see above). */
  public record Sample(Duration took, int rows) {}

  private ClaimProbe() {}

  public static List<Sample> run(String jdbcUrl, String user, String password, int limit, int times)
      throws SQLException {
    Dialect dialect = new DatabaseSettings(jdbcUrl, user, password, 1).dialect();
    boolean sqlite = dialect instanceof SqliteDialect;
    DeliveryStore store = new DeliveryStore();
    try (Connection c = connect(jdbcUrl, user, password)) {
      Sql sql = new Sql(c, dialect);
      List<Sample> samples = new ArrayList<>();
      for (int i = 0; i < times; i++) {
        Instant now = Instant.now();
        long started = System.nanoTime();
        int rows;
        try {
          rows = store.claimDue(sql, "bench-probe", now, now.plusSeconds(60), limit, List.of()).size();
        } catch (StoreException e) {
          if (!sqlite) {
            throw e;
          }
          rows = -1; // the SELECT found due rows; the UPDATE was refused on the read-only file
        }
        long took = System.nanoTime() - started;
        c.rollback();
        samples.add(new Sample(Duration.ofNanos(took), rows));
      }
      return samples;
    }
  }

  /** Deliveries still pending (due or not, leased or not). */
  public static long pending(String jdbcUrl, String user, String password) throws SQLException {
    try (Connection c = connect(jdbcUrl, user, password)) {
      Dialect dialect = new DatabaseSettings(jdbcUrl, user, password, 1).dialect();
      long n = new Sql(c, dialect).queryLong("SELECT COUNT(*) FROM delivery WHERE status = 1");
      c.rollback();
      return n;
    }
  }

  /** A connection of its own, in a transaction; read-only on SQLite (see the class comment). */
  private static Connection connect(String jdbcUrl, String user, String password) throws SQLException {
    Properties props = new Properties();
    if (user != null) {
      props.setProperty("user", user);
    }
    if (password != null) {
      props.setProperty("password", password);
    }
    if (jdbcUrl.startsWith("jdbc:sqlite:")) {
      props.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY
    }
    Connection c = DriverManager.getConnection(jdbcUrl, props);
    c.setAutoCommit(false);
    return c;
  }
}
