package dev.herald.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds one dedicated PostgreSQL connection that LISTENs for {@link Dialect#WORK_CHANNEL} and calls
 * back when another node left work to claim. Polling stays the backstop: a lost connection is
 * re-opened with backoff, and nothing is lost meanwhile.
 */
public final class WorkListener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkListener.class);
  private static final int WAIT_MILLIS = 1_000;

  private final DatabaseSettings settings;
  private final Runnable onWork;
  private volatile boolean running = true;
  private Thread thread;

  public WorkListener(DatabaseSettings settings, Runnable onWork) {
    this.settings = settings;
    this.onWork = onWork;
  }

  public void start() {
    thread = Thread.ofPlatform().daemon().name("herald-listen").start(this::run);
  }

  private void run() {
    long backoff = 500;
    while (running) {
      try (Connection c = connect()) {
        try (Statement st = c.createStatement()) {
          st.execute("LISTEN " + Dialect.WORK_CHANNEL);
        }
        backoff = 500;
        PGConnection pg = c.unwrap(PGConnection.class);
        while (running) {
          PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
          if (notifications != null && notifications.length > 0) {
            onWork.run();
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (!running) {
          return;
        }
        log.warn("LISTEN connection lost ({}); polling covers the gap, reconnecting in {} ms", e.getMessage(), backoff);
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          return;
        }
        backoff = Math.min(backoff * 2, 10_000);
      }
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

  @Override
  public void close() {
    running = false;
    if (thread != null) {
      thread.interrupt();
    }
  }
}
