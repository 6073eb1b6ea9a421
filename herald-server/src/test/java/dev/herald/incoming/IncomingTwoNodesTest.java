package dev.herald.incoming;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Herald;
import dev.herald.config.HeraldConfig;
import dev.herald.testing.Api;
import dev.herald.testing.Backend;
import dev.herald.testing.Receiver;
import dev.herald.testing.TestDatabases;
import dev.herald.testing.TestServer;
import dev.herald.testing.Webhooks;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two nodes on one PostgreSQL receive the same provider request at the same moment (a provider
 * retrying through a load balancer): the de-duplication key, written in the transaction that
 * creates the message, lets exactly one of them create it (issue #12).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IncomingTwoNodesTest {
  static final int EVENTS = 12;
  static final String WHSEC = "whsec_two_nodes";

  private TestDatabases.Storage storage;
  private Herald a;
  private Herald b;

  private Herald node(String name) {
    Map<String, String> env = new HashMap<>(storage.environment());
    env.put("HERALD_DATA_DIR", storage.dataDir().resolve(name).toString());
    env.put("HERALD_PORT", "0");
    env.put("HERALD_HOST", "127.0.0.1");
    env.put("HERALD_MAIN_SECRET", "two-nodes-main-secret-0123456789abcdef");
    env.put("HERALD_BOOTSTRAP_API_KEY", TestServer.ADMIN_KEY);
    env.put("HERALD_SSRF_ALLOW", "127.0.0.0/8");
    env.put("HERALD_POLL_INTERVAL", "50ms");
    return new Herald(HeraldConfig.fromEnvironment(env), InstantSource.system()).start();
  }

  @BeforeAll
  void start() {
    storage = TestDatabases.create(Backend.POSTGRES);
    a = node("a");
    b = node("b");
  }

  @AfterAll
  void stop() {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
    storage.delete();
  }

  @Test
  void the_same_request_to_two_nodes_at_once_becomes_one_message_and_one_delivery()
      throws Exception {
    Api api = new Api(a.publicUrl(), TestServer.ADMIN_KEY);
    Webhooks w = new Webhooks(api);
    String app = w.createApp();
    try (Receiver receiver = Receiver.start()) {
      w.createEndpoint(app, receiver.url());
      Api.Response s =
          api.post(
              "/api/v1/app/" + app + "/source",
              Map.of(
                  "name",
                  "stripe",
                  "verifier",
                  Map.of("type", "stripe", "secrets", List.of(WHSEC))));
      String path = "/in/" + s.field("id");
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
          String body = "{\"id\":\"evt_" + UUID.randomUUID() + "\",\"type\":\"charge.succeeded\"}";
          Map<String, String> headers =
              Provider.stripe(WHSEC, body, Instant.now().getEpochSecond());
          for (Herald node : List.of(a, b)) {
            Callable<Integer> send =
                () -> Provider.post(node.publicUrl() + path, headers, body).status();
            answers.add(pool.submit(send));
          }
        }
        for (Future<Integer> answer : answers) {
          assertThat(answer.get()).isEqualTo(200);
        }
      } finally {
        pool.shutdownNow();
      }
      receiver.awaitRequests(EVENTS, Duration.ofSeconds(15));
      Thread.sleep(700);
      assertThat(receiver.requests()).hasSize(EVENTS);
      assertThat(
              api.get("/api/v1/app/" + app + "/msg?limit=100&tag=source/" + s.field("id"))
                  .body()
                  .path("data")
                  .size())
          .isEqualTo(EVENTS);
    }
  }
}
