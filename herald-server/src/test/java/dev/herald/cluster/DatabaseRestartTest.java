package dev.herald.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Herald;
import dev.herald.config.HeraldConfig;
import dev.herald.testing.Api;
import dev.herald.testing.Eventually;
import dev.herald.testing.TestDatabases;
import dev.herald.testing.TestServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL goes away for ten seconds under load and comes back on the same data directory and
 * port. Herald must answer 503 quickly while it is gone (never hang), lose no accepted message, and
 * resume delivering on its own. The database is a dedicated embedded PostgreSQL: stopping the
 * shared one would pull it from under every other test.
 */
class DatabaseRestartTest {
  static final Duration OUTAGE = Duration.ofSeconds(10);

  /**
   * The pool gives up on a connection after 3 s, and writes queued behind a group-commit batch that
   * got no connection fail with it, so an answer takes one timeout (3,012 ms at most in a run of
   * this test); anything much slower than that is a hang.
   */
  static final long SLOWEST_ANSWER_MILLIS = 6_000;

  static final Duration DEADLINE = Duration.ofMinutes(2);

  @Test
  void
      accepted_messages_survive_a_database_restart_and_the_api_answers_503_quickly_while_it_is_down()
          throws Exception {
    Path pgData = Files.createTempDirectory("herald-pg-restart-");
    Path heraldData = TestDatabases.newDataDir();
    int pgPort = freePort();
    EmbeddedPostgres postgres = startPostgres(pgData, pgPort);
    Herald herald = null;
    try {
      try (Connection c = postgres.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE herald");
      }
      Map<String, String> env = new HashMap<>();
      env.put("HERALD_HOST", "127.0.0.1");
      env.put("HERALD_PORT", "0");
      env.put("HERALD_DATA_DIR", heraldData.toString());
      env.put("HERALD_DATABASE_URL", "jdbc:postgresql://localhost:" + pgPort + "/herald");
      env.put("HERALD_DATABASE_USER", TestDatabases.POSTGRES_USER);
      env.put("HERALD_BOOTSTRAP_API_KEY", TestServer.ADMIN_KEY);
      env.putAll(ClusterLoad.nodeSettings());
      herald = new Herald(HeraldConfig.fromEnvironment(env), InstantSource.system()).start();
      String baseUrl = "http://127.0.0.1:" + herald.port();
      Api api = new Api(baseUrl, TestServer.ADMIN_KEY);

      try (Fleet fleet = Fleet.create(api, 10, 2, Duration.ZERO)) {
        Traffic traffic =
            new Traffic(fleet, 1, i -> baseUrl, Integer.MAX_VALUE)
                .start(ClusterLoad.CLIENT_THREADS);
        Eventually.await("load under way", traffic::acceptedCount, n -> n >= 300, DEADLINE);

        postgres.close();
        long down = System.nanoTime();
        int acceptedWhenDown = traffic.acceptedCount();
        Eventually.await(
            "the API to answer 503 while the database is down",
            () -> traffic.outcomes().getOrDefault("503 service_unavailable", 0L),
            n -> n > 0,
            OUTAGE);
        long healthStarted = System.nanoTime();
        Api.Response health = new Api(baseUrl, null).get("/api/v1/health");
        long healthMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - healthStarted);
        // The outage itself: the scenario, not a timing assertion.
        Thread.sleep(
            Math.max(
                0, OUTAGE.toMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - down)));
        int acceptedWhileDown = traffic.acceptedCount() - acceptedWhenDown;

        postgres = startPostgres(pgData, pgPort);
        long up = System.nanoTime();
        int acceptedWhenUp = traffic.acceptedCount();
        Eventually.await(
            "messages accepted again after the database came back",
            traffic::acceptedCount,
            n -> n >= acceptedWhenUp + 300,
            DEADLINE);
        long resumed = System.nanoTime();
        traffic.stop();
        traffic.await(DEADLINE);
        Fleet.Tally tally = fleet.awaitComplete(traffic.accepted(), DEADLINE);
        System.out.printf(
            "database restart: down %d ms; %d accepted in all (%d while down); API took %d ms to"
                + " accept again; health while down: %d in %d ms; %s; answers %s; slowest (ms) %s%n",
            TimeUnit.NANOSECONDS.toMillis(up - down),
            traffic.acceptedCount(),
            acceptedWhileDown,
            TimeUnit.NANOSECONDS.toMillis(resumed - up),
            health.status(),
            healthMillis,
            tally,
            traffic.outcomes(),
            traffic.slowestMillis());

        assertThat(health.status())
            .as("health while the database is down: %s", health)
            .isEqualTo(503);
        assertThat(health.field("database")).isEqualTo("down");
        assertThat(traffic.failures()).as("messages never accepted").isEmpty();
        assertThat(traffic.outcomes())
            .as("every request got an HTTP answer")
            .doesNotContainKey("connection broken");
        assertThat(traffic.serverErrors())
            .as("5xx answers other than 503")
            .allSatisfy(e -> assertThat(e.status()).isEqualTo(503));
        assertThat(traffic.slowestOverallMillis())
            .as("slowest answer, ms (a hang would be the outage or more)")
            .isLessThan(SLOWEST_ANSWER_MILLIS);
        assertThat(tally.missingSample())
            .as("accepted messages never delivered (%s)", tally)
            .isEmpty();
        assertThat(tally.unexpected())
            .as("requests no message should have caused (%s)", tally)
            .isZero();
        // One node, so nobody else can take its work: leases that lapsed during the outage must not
        // make it send again what it still holds (this once resent 169 of 930 deliveries).
        assertThat(tally.duplicates()).as("duplicate deliveries (%s)", tally).isZero();
      }
    } finally {
      if (herald != null) {
        herald.close();
      }
      postgres.close();
      deleteRecursively(pgData);
      deleteRecursively(heraldData);
    }
  }

  private static EmbeddedPostgres startPostgres(Path dataDir, int port) throws IOException {
    return EmbeddedPostgres.builder()
        .setDataDirectory(dataDir)
        .setCleanDataDirectory(false)
        .setPort(port)
        .start();
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
