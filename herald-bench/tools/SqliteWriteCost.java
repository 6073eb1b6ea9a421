import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;

/**
 * What one delivered message costs SQLite's single writer, without Herald around it: the CPU of
 * the inserts and of the COMMIT per message, for batches shaped like Herald's group commit (each
 * batch inserts N messages, their payloads and deliveries, and records the previous batch's
 * attempts and completed deliveries), on tables and indexes shaped like Herald's schema.
 *
 * <pre>
 * java -cp herald-bench/target/herald-bench.jar herald-bench/tools/SqliteWriteCost.java MODE N [PRAGMA...]
 * </pre>
 *
 * MODE: {@code herald} (the schema's indexes); {@code event-id-on-every-message} (the
 * (application, eventId) index as it was before V16, with an entry for every message); {@code
 * endpoint-due-with-leased-rows} (the per-endpoint due index as it was before V17, holding leased
 * rows too, so a message sent at once entered it and left it); {@code
 * without-rowid} (message, delivery and attempt as WITHOUT ROWID tables); {@code
 * no-scattered-indexes} (without the four indexes led by the application or endpoint id, whose
 * entries for one batch land on as many leaf pages as the batch has applications or endpoints);
 * {@code bulk-indexed} (those indexes' entries kept instead in side tables, {@code (application or
 * endpoint, id)} without rowid, which the same writer fills once every {@value #BULK_EVERY}
 * messages, in the batch's transaction, from the rows added since: what a batch writes for them
 * is then a few pages per application or endpoint per fill, not one per message). N:
 * messages per commit. Further arguments are PRAGMAs to set, for example {@code
 * wal_autocheckpoint=10000}. See docs/benchmarks.md.
 */
public class SqliteWriteCost {
  /** Messages between two fills of the side tables in mode {@code bulk-indexed}. */
  static final int BULK_EVERY = 4_000;

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    int perBatch = Integer.parseInt(args[1]);
    boolean withoutRowid = mode.equals("without-rowid");
    boolean bulk = mode.equals("bulk-indexed");
    boolean noScattered = mode.equals("no-scattered-indexes");
    // The three indexes of every row by application or endpoint; bulk-indexed keeps them in side
    // tables. The two indexes of pending rows only (due by endpoint, ordered) stay in both.
    boolean perTenantIndexes = !noScattered && !bulk;
    String w = withoutRowid ? " WITHOUT ROWID" : "";
    Connection c =
        DriverManager.getConnection(
            "jdbc:sqlite:" + Files.createTempDirectory("write-cost").resolve("t.db"));
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("PRAGMA synchronous=FULL");
      s.execute("PRAGMA wal_autocheckpoint=1000"); // as Herald's SqliteDialect
      for (int i = 2; i < args.length; i++) {
        s.execute("PRAGMA " + args[i]);
      }
      s.execute(
          "CREATE TABLE message(id TEXT PRIMARY KEY, org_id TEXT NOT NULL, app_id TEXT NOT NULL,"
              + " event_type TEXT NOT NULL, event_id TEXT, created_at BIGINT NOT NULL,"
              + " expires_at BIGINT)"
              + w);
      // Herald's index since V16 holds messages with an eventId only (these have none); before, it
      // held every message, filed under its application.
      s.execute(
          "CREATE UNIQUE INDEX message_event_id ON message(app_id, event_id)"
              + (mode.equals("event-id-on-every-message") ? "" : " WHERE event_id IS NOT NULL"));
      s.execute(
          "CREATE TABLE message_payload(message_id TEXT PRIMARY KEY, payload TEXT,"
              + " expires_at BIGINT)");
      s.execute(
          "CREATE TABLE delivery(id TEXT PRIMARY KEY, message_id TEXT NOT NULL, endpoint_id TEXT"
              + " NOT NULL, status INT NOT NULL, next_attempt_at BIGINT, lease_owner TEXT,"
              + " lease_expires_at BIGINT, attempts INT NOT NULL, ordered BOOLEAN NOT NULL"
              + " DEFAULT FALSE)"
              + w);
      s.execute("CREATE INDEX delivery_due ON delivery(next_attempt_at) WHERE status = 1");
      s.execute("CREATE INDEX delivery_message ON delivery(message_id)");
      s.execute(
          "CREATE TABLE attempt(id TEXT PRIMARY KEY, message_id TEXT NOT NULL, endpoint_id TEXT"
              + " NOT NULL, delivery_id TEXT NOT NULL, url TEXT NOT NULL, status INT NOT NULL,"
              + " code INT NOT NULL, response TEXT, dur BIGINT NOT NULL, created_at BIGINT NOT NULL)"
              + w);
      s.execute("CREATE INDEX attempt_message ON attempt(message_id, id)");
      if (perTenantIndexes) {
        s.execute("CREATE INDEX message_app ON message(app_id, id)");
        s.execute("CREATE INDEX delivery_endpoint ON delivery(endpoint_id, id)");
        s.execute("CREATE INDEX attempt_endpoint ON attempt(endpoint_id, id)");
      }
      if (!noScattered) {
        // Since V17 leased rows stay out; these deliveries are leased from their insert on.
        s.execute(
            "CREATE INDEX delivery_endpoint_due ON delivery(endpoint_id, next_attempt_at)"
                + " WHERE status = 1"
                + (mode.equals("endpoint-due-with-leased-rows") ? "" : " AND lease_owner IS NULL"));
        s.execute(
            "CREATE INDEX delivery_ordered_pending ON delivery(endpoint_id, id)"
                + " WHERE status = 1 AND ordered");
      }
      if (bulk) {
        for (String side : List.of("message_by_app", "delivery_by_endpoint", "attempt_by_endpoint")) {
          s.execute(
              "CREATE TABLE " + side + "(owner TEXT, id TEXT, PRIMARY KEY (owner, id)) WITHOUT ROWID");
        }
      }
    }
    c.setAutoCommit(false);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    String payload = "{\"data\":\"" + "x".repeat(990) + "\"}";
    PreparedStatement pm = c.prepareStatement("INSERT INTO message VALUES (?,?,?,?,?,?,?)");
    PreparedStatement pp = c.prepareStatement("INSERT INTO message_payload VALUES (?,?,?)");
    PreparedStatement pd =
        c.prepareStatement("INSERT INTO delivery VALUES (?,?,?,?,?,?,?,?,FALSE)");
    PreparedStatement pa = c.prepareStatement("INSERT INTO attempt VALUES (?,?,?,?,?,?,?,?,?,?)");
    PreparedStatement pu =
        c.prepareStatement(
            "UPDATE delivery SET status = 0, next_attempt_at = NULL, lease_owner = NULL,"
                + " lease_expires_at = NULL, attempts = 1 WHERE id = ?");
    int batches = 40_000 / perBatch;
    long seq = 0;
    long workNanos = 0;
    long commitNanos = 0;
    long commitWallNanos = 0;
    long[] filledUpTo = new long[3]; // the last rowid of message, delivery, attempt in the side tables
    long sinceFill = 0;
    for (int b = 0; b < batches; b++) {
      long w0 = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < perBatch; i++) {
        seq++;
        long now = System.currentTimeMillis();
        // Ids start with their creation time, as Herald's do; 100 applications, one endpoint each.
        String id = String.format("%013d%014d", now, seq);
        String app = "app_" + (seq % 100);
        String endpoint = "ep_" + (seq % 100);
        pm.setString(1, "msg_" + id);
        pm.setString(2, "org");
        pm.setString(3, app);
        pm.setString(4, "user.created");
        pm.setNull(5, Types.VARCHAR);
        pm.setLong(6, now);
        pm.setLong(7, now + 90 * 86_400_000L);
        pm.addBatch();
        pp.setString(1, "msg_" + id);
        pp.setString(2, payload);
        pp.setLong(3, now + 90 * 86_400_000L);
        pp.addBatch();
        pd.setString(1, "dlv_" + id);
        pd.setString(2, "msg_" + id);
        pd.setString(3, endpoint);
        pd.setInt(4, 1);
        pd.setLong(5, now);
        pd.setString(6, "node");
        pd.setLong(7, now + 30_000);
        pd.setInt(8, 0);
        pd.addBatch();
        if (seq > perBatch) {
          String earlier = String.format("%013d%014d", now, seq - perBatch);
          pa.setString(1, "atmpt_" + id);
          pa.setString(2, "msg_" + earlier);
          pa.setString(3, endpoint);
          pa.setString(4, "dlv_" + earlier);
          pa.setString(5, "http://127.0.0.1:1/hook");
          pa.setInt(6, 0);
          pa.setInt(7, 204);
          pa.setString(8, "");
          pa.setLong(9, 2);
          pa.setLong(10, now);
          pa.addBatch();
          pu.setString(1, "dlv_" + earlier);
          pu.addBatch();
        }
      }
      pm.executeBatch();
      pp.executeBatch();
      pd.executeBatch();
      pa.executeBatch();
      pu.executeBatch();
      sinceFill += perBatch;
      if (bulk && sinceFill >= BULK_EVERY) {
        sinceFill = 0;
        fill(c, "message_by_app", "app_id", "message", filledUpTo, 0);
        fill(c, "delivery_by_endpoint", "endpoint_id", "delivery", filledUpTo, 1);
        fill(c, "attempt_by_endpoint", "endpoint_id", "attempt", filledUpTo, 2);
      }
      long w1 = threads.getCurrentThreadCpuTime();
      long t1 = System.nanoTime();
      c.commit();
      long w2 = threads.getCurrentThreadCpuTime();
      long t2 = System.nanoTime();
      if (b >= batches / 4) { // the first quarter warms up the JIT and the tables
        workNanos += w1 - w0;
        commitNanos += w2 - w1;
        commitWallNanos += t2 - t1;
      }
    }
    long measured = (long) (batches - batches / 4) * perBatch;
    System.out.printf(
        "%s, %d messages per commit: statements %.1f us, COMMIT %.1f us of CPU (%.1f us of wall"
            + " time) per message%n",
        mode,
        perBatch,
        workNanos / 1e3 / measured,
        commitNanos / 1e3 / measured,
        commitWallNanos / 1e3 / measured);
    if (bulk) { // every row filled once, none twice: the side tables hold what the indexes would
      try (Statement s = c.createStatement();
          ResultSet r =
              s.executeQuery(
                  "SELECT (SELECT COUNT(*) FROM message_by_app), (SELECT COUNT(*) FROM message),"
                      + " (SELECT COUNT(*) FROM attempt_by_endpoint)")) {
        System.out.printf(
            "side tables: %d of %d messages, %d attempts (rows since the last fill wait for the next)%n",
            r.getLong(1), r.getLong(2), r.getLong(3));
      }
    }
  }

  /** Copies the (owner, id) of the rows added to {@code table} since the last fill, in key order. */
  static void fill(Connection c, String side, String owner, String table, long[] upTo, int i)
      throws Exception {
    long last;
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COALESCE(MAX(rowid), 0) FROM " + table)) {
      last = r.getLong(1);
    }
    try (PreparedStatement p =
        c.prepareStatement(
            "INSERT INTO " + side + " SELECT " + owner + ", id FROM " + table
                + " WHERE rowid > ? AND rowid <= ? ORDER BY " + owner + ", id")) {
      p.setLong(1, upTo[i]);
      p.setLong(2, last);
      p.executeUpdate();
    }
    upTo[i] = last;
  }
}
