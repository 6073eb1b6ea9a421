package dev.herald.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Several Herald nodes, each its own JVM ({@link HeraldProcess}), sharing one fresh PostgreSQL
 * database, configured as docs/operations.md tells operators to: the same database, main secret and
 * bootstrap key on every node. A node can be killed, stopped (SIGTERM) and started again; a
 * restarted node listens on a new port, so callers ask {@link #baseUrl} each time.
 */
public final class Cluster implements AutoCloseable {
  public static final String MAIN_SECRET = "cluster-test-main-secret-0123456789abcdef";
  public static final Duration START_DEADLINE = Duration.ofSeconds(60);

  private final TestDatabases.Storage storage;
  private final Map<String, String> settings;
  private final Path logDir;
  private final HeraldProcess[] nodes;
  private final int[] starts;

  private Cluster(
      TestDatabases.Storage storage, Map<String, String> settings, Path logDir, int size) {
    this.storage = storage;
    this.settings = settings;
    this.logDir = logDir;
    this.nodes = new HeraldProcess[size];
    this.starts = new int[size];
  }

  /**
   * Starts {@code size} nodes with the shared settings plus {@code extra}. The first node starts
   * alone (it migrates and bootstraps the empty database), the others then start together.
   */
  public static Cluster start(int size, Map<String, String> extra) {
    TestDatabases.Storage storage = TestDatabases.create(Backend.POSTGRES);
    Map<String, String> settings = new HashMap<>();
    settings.put("HERALD_DATABASE_URL", storage.jdbcUrl());
    settings.put("HERALD_DATABASE_USER", TestDatabases.POSTGRES_USER);
    settings.put("HERALD_MAIN_SECRET", MAIN_SECRET);
    settings.put("HERALD_BOOTSTRAP_API_KEY", TestServer.ADMIN_KEY);
    settings.putAll(extra);
    Cluster cluster;
    try {
      cluster =
          new Cluster(
              storage, Map.copyOf(settings), Files.createTempDirectory("herald-cluster-"), size);
    } catch (IOException e) {
      storage.delete();
      throw new UncheckedIOException(e);
    }
    try {
      cluster.launch(0);
      ExecutorService starters = Executors.newFixedThreadPool(Math.max(1, size - 1));
      try {
        List<Future<?>> started = new ArrayList<>();
        for (int i = 1; i < size; i++) {
          int node = i;
          started.add(starters.submit(() -> cluster.launch(node)));
        }
        for (Future<?> f : started) {
          f.get();
        }
      } finally {
        starters.shutdownNow();
      }
      return cluster;
    } catch (java.util.concurrent.ExecutionException e) {
      cluster.close();
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("a node failed to start", e.getCause());
    } catch (InterruptedException e) {
      cluster.close();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the cluster", e);
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  private HeraldProcess launch(int i) {
    Map<String, String> env = new HashMap<>(settings);
    env.put("HERALD_DATA_DIR", storage.dataDir().resolve("node" + i).toString());
    Path log = logDir.resolve("node" + i + "-start" + (++starts[i]) + ".log");
    HeraldProcess process = HeraldProcess.start(env, log);
    synchronized (this) {
      nodes[i] = process;
    }
    return process.awaitReady(START_DEADLINE);
  }

  /**
   * Starts one more process with the cluster's settings changed by {@code overrides} (a value of
   * null removes a setting) and its own data directory, without waiting for it to be ready: for
   * nodes expected to refuse to start. The caller closes it.
   */
  public HeraldProcess startOther(String name, Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>(settings);
    env.put("HERALD_DATA_DIR", storage.dataDir().resolve(name).toString());
    overrides.forEach(
        (k, v) -> {
          if (v == null) {
            env.remove(k);
          } else {
            env.put(k, v);
          }
        });
    return HeraldProcess.start(env, logDir.resolve(name + ".log"));
  }

  public int size() {
    return nodes.length;
  }

  public synchronized HeraldProcess node(int i) {
    return nodes[i];
  }

  /** The URL of node {@code i} as it runs now (a restart moves it to a new port). */
  public String baseUrl(int i) {
    return node(i).baseUrl();
  }

  /** A client of node {@code i} with the admin key. */
  public Api api(int i) {
    return node(i).api(TestServer.ADMIN_KEY);
  }

  /** SIGKILL: the node dies with its leases held. */
  public void kill(int i) {
    node(i).kill();
  }

  /** SIGTERM and wait for the drain to end; returns the exit status. */
  public int stop(int i, Duration timeout) {
    return node(i).stop(timeout);
  }

  /** Starts node {@code i} again (a new process on a new port) and waits until it is ready. */
  public HeraldProcess restart(int i) {
    if (node(i).isAlive()) {
      throw new IllegalStateException("node " + i + " is still running");
    }
    return launch(i);
  }

  /** A direct connection to the cluster's database, for assertions HTTP cannot make. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(storage.jdbcUrl(), TestDatabases.POSTGRES_USER, "");
  }

  /** One number from the database, e.g. {@code SELECT COUNT(*) FROM delivery WHERE status = 1}. */
  public long queryLong(String sql, Object... args) {
    try (Connection c = connect();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(sql + " failed", e);
    }
  }

  /** Up to 10 deliveries still pending or leased, with their attempts, for failure messages. */
  public String describeUnsettledDeliveries() {
    StringBuilder out = new StringBuilder("now=" + System.currentTimeMillis());
    try (Connection c = connect();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT d.id, d.status, d.attempt_count, d.next_attempt_at,"
                    + " d.lease_owner, d.lease_expires_at, d.created_at, d.updated_at, (SELECT string_agg(a.response_status_code"
                    + " || ':' || a.created_at || ':' || left(a.response, 80), ' | ') FROM attempt a WHERE a.delivery_id = d.id)"
                    + " FROM delivery d WHERE d.status = 1 OR d.lease_owner IS NOT NULL ORDER BY d.id LIMIT 10");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.append("\n  ")
            .append(rs.getString(1))
            .append(" status=")
            .append(rs.getInt(2))
            .append(" attempts=")
            .append(rs.getInt(3))
            .append(" next=")
            .append(rs.getObject(4))
            .append(" lease=")
            .append(rs.getString(5))
            .append(" until ")
            .append(rs.getObject(6))
            .append(" created=")
            .append(rs.getObject(7))
            .append(" updated=")
            .append(rs.getObject(8))
            .append(" attempt log: ")
            .append(rs.getString(9));
      }
    } catch (SQLException e) {
      out.append(" (cannot read: ").append(e.getMessage()).append(')');
    }
    return out.toString();
  }

  /** The attempts recorded for a message, oldest first, for failure messages. */
  public String describeAttempts(String msgId) {
    StringBuilder out = new StringBuilder(msgId + ":");
    try (Connection c = connect();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT a.endpoint_id, a.delivery_id, a.created_at, a.status,"
                    + " a.response_status_code, a.response_duration_ms, d.status, d.attempt_count, d.updated_at"
                    + " FROM attempt a JOIN delivery d ON d.id = a.delivery_id WHERE a.message_id = ? ORDER BY a.id")) {
      ps.setString(1, msgId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.append("\n  attempt at ")
              .append(rs.getString(1))
              .append(" delivery ")
              .append(rs.getString(2))
              .append(" started ")
              .append(rs.getLong(3))
              .append(" status ")
              .append(rs.getInt(4))
              .append(" http ")
              .append(rs.getInt(5))
              .append(" took ")
              .append(rs.getLong(6))
              .append(" ms; delivery status ")
              .append(rs.getInt(7))
              .append(" attempts ")
              .append(rs.getInt(8))
              .append(" updated ")
              .append(rs.getLong(9));
        }
      }
    } catch (SQLException e) {
      out.append(" (cannot read: ").append(e.getMessage()).append(')');
    }
    return out.toString();
  }

  /** The last lines of every node's current log, for failure messages. */
  public String logTails() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < nodes.length; i++) {
      HeraldProcess p = node(i);
      if (p != null) {
        out.append("--- node ").append(i).append(" ---\n").append(p.logTail()).append('\n');
      }
    }
    return out.toString();
  }

  /** Kills every node still running, drops the database and deletes the logs. */
  @Override
  public void close() {
    try {
      for (int i = 0; i < nodes.length; i++) {
        HeraldProcess p = node(i);
        if (p != null && p.isAlive()) {
          p.kill();
        }
      }
    } finally {
      storage.delete();
      try (var files = Files.walk(logDir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      } catch (IOException e) {
        // leftover logs in the temp directory are harmless
      }
    }
  }
}
