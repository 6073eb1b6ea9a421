package dev.herald.store;

import dev.herald.error.Unavailable;
import dev.herald.job.BackgroundJob;
import io.micrometer.core.instrument.Counter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Holds one dedicated PostgreSQL connection that LISTENs for {@link Dialect#WORK_CHANNEL} and calls
 * back when another node left work to claim. Polling stays the backstop: a lost connection is
 * re-opened with backoff, and nothing is lost meanwhile.
 *
 * <p>LISTEN is a blocking loop, but the driver's wait is bounded ({@link #WAIT_MILLIS}), so it runs
 * as a {@link BackgroundJob} whose every run is one bounded wait, started again at once: a lost
 * connection surfaces as {@link Unavailable} and gets the job's backoff, and close ends it within a
 * wait.
 */
public final class WorkListener implements AutoCloseable {
  private static final int WAIT_MILLIS = 1_000;

  private final DatabaseSettings settings;
  private final String nodeId;
  private final Runnable onWork;
  private final BackgroundJob job;

  /** Opened and used by the job's thread; {@link #close()} closes it to end a wait in progress. */
  private volatile Connection connection;

  private volatile boolean running = true;

  /**
   * @param errors the {@code herald_background_errors_total{job="listen"}} series
   */
  public WorkListener(DatabaseSettings settings, String nodeId, Runnable onWork, Counter errors) {
    this.settings = settings;
    this.nodeId = nodeId;
    this.onWork = onWork;
    this.job =
        new BackgroundJob(
            "listen",
            BackgroundJob.Schedule.every(Duration.ZERO).afterFailure(Duration.ofSeconds(1)),
            errors,
            this::listenOnce);
  }

  public void start() {
    job.start();
  }

  /**
   * One run: opens the connection if there is none, then waits up to a second for notifications.
   */
  private boolean listenOnce() {
    try {
      Connection c = connection;
      if (c == null) {
        c = listeningConnection();
        connection = c;
      }
      PGNotification[] notifications = c.unwrap(PGConnection.class).getNotifications(WAIT_MILLIS);
      if (notifications != null && fromOthers(notifications)) {
        onWork.run();
      }
      return true;
    } catch (SQLException e) {
      closeConnection();
      if (!running) {
        return false; // close() closed the connection to end the wait
      }
      throw new Unavailable(
          "LISTEN connection lost (" + e.getMessage() + "); polling covers the gap", e);
    }
  }

  /**
   * False when every notice came from this node about work it comes back for by itself (see {@link
   * Dialect#notifyWork}): waking for them made the claim loop walk the due queue once per accepted
   * message that left work in the database.
   */
  private boolean fromOthers(PGNotification[] notifications) {
    for (PGNotification n : notifications) {
      if (!nodeId.equals(n.getParameter())) {
        return true;
      }
    }
    return false;
  }

  private Connection listeningConnection() throws SQLException {
    Connection c = connect();
    try (Statement st = c.createStatement()) {
      st.execute("LISTEN " + Dialect.WORK_CHANNEL);
      return c;
    } catch (SQLException e) {
      c.close();
      throw e;
    }
  }

  private Connection connect() throws SQLException {
    Properties props = new Properties();
    if (settings.user() != null) {
      props.setProperty("user", settings.user());
    }
    if (settings.password() != null) {
      props.setProperty("password", settings.password());
    }
    props.setProperty("connectTimeout", "5");
    props.setProperty("tcpKeepAlive", "true");
    return DriverManager.getConnection(settings.jdbcUrl(), props);
  }

  private void closeConnection() {
    Connection c = connection;
    connection = null;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        // Already broken: nothing left to release.
      }
    }
  }

  @Override
  public void close() {
    running = false;
    // Closing the connection ends a wait in progress at once instead of after up to a second.
    closeConnection();
    job.close();
    closeConnection(); // one the job may have opened just before it stopped
  }
}
