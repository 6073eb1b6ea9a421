package dev.herald.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Herald;
import dev.herald.config.HeraldConfig;
import dev.herald.testing.Api;
import dev.herald.testing.Backend;
import dev.herald.testing.Eventually;
import dev.herald.testing.Receiver;
import dev.herald.testing.Receiver.Reply;
import dev.herald.testing.TestDatabases;
import dev.herald.testing.TestServer;
import dev.herald.testing.Webhooks;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Readiness on PostgreSQL: what orchestrators and load balancers see while the database goes away
 * and comes back, and while a node drains. The database test runs its own PostgreSQL on a fixed
 * data directory and port, so it can stop it and start it again under a running Herald.
 */
class ReadinessTest {
  /**
   * How long a call may take while the database is down before it counts as hanging: the pool gives
   * up after 3 s, so this is far above any answer and far below a client's patience.
   */
  static final Duration NOT_A_HANG = Duration.ofSeconds(10);

  @Test
  void readiness_follows_the_database_down_and_back_up_without_restarting_herald()
      throws Exception {
    Path pgData = Files.createTempDirectory("herald-ready-pg-");
    Path dataDir = TestDatabases.newDataDir();
    int pgPort = freePort();
    EmbeddedPostgres pg = startPostgres(pgData, pgPort);
    try (Receiver rx = Receiver.start()) {
      try (Connection c = pg.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE herald_ready");
      }
      Map<String, String> env = new HashMap<>();
      env.put("HERALD_PORT", "0");
      env.put("HERALD_HOST", "127.0.0.1");
      env.put("HERALD_BOOTSTRAP_API_KEY", TestServer.ADMIN_KEY);
      env.put("HERALD_DATA_DIR", dataDir.toString());
      env.put("HERALD_DATABASE_URL", "jdbc:postgresql://localhost:" + pgPort + "/herald_ready");
      env.put("HERALD_DATABASE_USER", TestDatabases.POSTGRES_USER);
      env.put("HERALD_SSRF_ALLOW", "127.0.0.0/8");
      env.put("HERALD_POLL_INTERVAL", "50ms");
      try (Herald herald =
          new Herald(HeraldConfig.fromEnvironment(env), InstantSource.system()).start()) {
        String base = "http://127.0.0.1:" + herald.port();
        Api anonymous = new Api(base, null);
        Api api = new Api(base, TestServer.ADMIN_KEY);
        Webhooks hooks = new Webhooks(api);
        String app = hooks.createApp();
        String ep = hooks.createEndpoint(app, rx.url());
        assertThat(anonymous.get("/api/v1/health/ready").status()).isEqualTo(200);

        pg.close();

        Api.Response notReady =
            Eventually.await(
                "readiness to turn false",
                () ->
                    within(
                        NOT_A_HANG,
                        CompletableFuture.supplyAsync(() -> anonymous.get("/api/v1/health/ready"))),
                r -> r.status() == 503);
        assertThat(notReady.body().path("ready").asBoolean()).isFalse();
        assertThat(notReady.field("database")).isEqualTo("down");
        assertThat(notReady.body().path("draining").asBoolean()).isFalse();

        // Each of these waits out the pool's connection timeout, so they are asked at once.
        var healthCall = CompletableFuture.supplyAsync(() -> anonymous.get("/api/v1/health"));
        var readCall = CompletableFuture.supplyAsync(() -> api.get("/api/v1/app/" + app));
        var writeCall =
            CompletableFuture.supplyAsync(
                () ->
                    api.post(
                        "/api/v1/app/" + app + "/msg",
                        Map.of("eventType", "a.b", "payload", Map.of("during", "outage"))));
        Api.Response health = within(NOT_A_HANG, healthCall);
        assertThat(health.status()).as("%s", health).isEqualTo(503);
        assertThat(health.field("status")).isEqualTo("down");
        assertThat(health.field("database")).isEqualTo("down");
        assertThat(health.header("Retry-After")).isNotEmpty();
        assertThat(anonymous.get("/api/v1/health/live").status())
            .as("liveness does not need the database")
            .isEqualTo(200);

        for (Api.Response r :
            List.of(within(NOT_A_HANG, readCall), within(NOT_A_HANG, writeCall))) {
          assertThat(r.status()).as("%s", r).isEqualTo(503);
          assertThat(r.field("code")).isEqualTo("service_unavailable");
          assertThat(r.field("detail")).isNotEmpty();
          assertThat(r.header("Retry-After")).isNotEmpty();
          assertThat(r.text()).doesNotContain("Exception").doesNotContain("\tat ");
        }

        pg = startPostgres(pgData, pgPort);

        Eventually.await(
            "readiness to turn true again",
            () -> anonymous.get("/api/v1/health/ready"),
            r -> r.status() == 200);
        Api.Response healthy = anonymous.get("/api/v1/health");
        assertThat(healthy.status()).as("%s", healthy).isEqualTo(200);
        assertThat(healthy.field("database")).isEqualTo("ok");
        String msg = hooks.send(app, "a.b");
        hooks.awaitDeliveryStatus(app, ep, msg, 0);
        assertThat(rx.requestsFor(msg)).hasSize(1);
      }
    } finally {
      pg.close();
      deleteRecursively(pgData);
      deleteRecursively(dataDir);
    }
  }

  @Test
  void readiness_is_false_and_the_api_refuses_work_while_the_node_drains() throws Exception {
    try (Receiver slow = Receiver.start();
        TestServer server =
            TestServer.builder(Backend.POSTGRES)
                .setting("HERALD_SSRF_ALLOW", "127.0.0.0/8")
                .setting("HERALD_REQUEST_TIMEOUT", "10s")
                .start()) {
      Webhooks hooks = new Webhooks(server.api());
      String app = hooks.createApp();
      String ep = hooks.createEndpoint(app, slow.url());
      CountDownLatch release = new CountDownLatch(1);
      slow.replyWith(
          r -> {
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return Reply.ok();
          });
      String msg = hooks.send(app, "a.b");
      slow.awaitRequestsFor(msg, 1, Eventually.DEFAULT_TIMEOUT);
      Api anonymous = server.anonymous();
      assertThat(anonymous.get("/api/v1/health/ready").status()).isEqualTo(200);

      // Draining waits for the request in flight, so the node stays up meanwhile.
      CompletableFuture<Void> closing = CompletableFuture.runAsync(server.herald()::close);

      Api.Response ready =
          Eventually.await(
              "readiness to turn false",
              () -> anonymous.get("/api/v1/health/ready"),
              r -> r.status() == 503);
      assertThat(ready.body().path("ready").asBoolean()).isFalse();
      assertThat(ready.body().path("draining").asBoolean()).isTrue();
      Api.Response health = anonymous.get("/api/v1/health");
      assertThat(health.status()).as("health stays up while draining").isEqualTo(200);
      assertThat(health.field("status")).isEqualTo("degraded");
      assertThat(health.field("dispatcher")).isEqualTo("draining");
      Api.Response refused =
          server
              .api()
              .post("/api/v1/app/" + app + "/msg", Map.of("eventType", "a.b", "payload", Map.of()));
      assertThat(refused.status()).as("%s", refused).isEqualTo(503);
      assertThat(refused.field("code")).isEqualTo("shutting_down");
      assertThat(refused.header("Retry-After")).isNotEmpty();
      assertThat(closing).as("still draining the request in flight").isNotDone();

      release.countDown();
      closing.get(30, TimeUnit.SECONDS);
      // The request finished during the drain and its result was written: a restarted node does
      // not send it again.
      server.restart();
      Webhooks restarted = new Webhooks(server.api());
      assertThat(restarted.deliveryAt(app, ep, msg).path("status").asInt()).isZero();
      assertThat(slow.requestsFor(msg)).hasSize(1);
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static EmbeddedPostgres startPostgres(Path dataDir, int port) throws IOException {
    return EmbeddedPostgres.builder()
        .setDataDirectory(dataDir)
        .setCleanDataDirectory(false)
        .setPort(port)
        .start();
  }

  /** The answer of a call under way, failing the test if it has not come within {@code limit}. */
  private static Api.Response within(Duration limit, CompletableFuture<Api.Response> call) {
    try {
      return call.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer within " + limit + ": the call hangs", e);
    } catch (Exception e) {
      throw new AssertionError("the call failed", e);
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
