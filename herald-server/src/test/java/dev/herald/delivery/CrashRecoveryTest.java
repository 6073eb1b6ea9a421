package dev.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.Api;
import dev.herald.testing.Backend;
import dev.herald.testing.HeraldProcess;
import dev.herald.testing.Receiver;
import dev.herald.testing.Receiver.Reply;
import dev.herald.testing.TestDatabases;
import dev.herald.testing.TestServer;
import dev.herald.testing.Webhooks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * "Never lose an accepted event", tested the hard way: Herald runs as its own JVM, is SIGKILLed in
 * the middle of a burst while deliveries are in flight, and is started again on the same database.
 * Every message that was answered 202 must then reach the receiver at least once. Duplicates are
 * allowed (delivery is at-least-once) and printed.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class CrashRecoveryTest {
  static final int MESSAGES = 300;
  static final int SENDER_THREADS = 4;

  /**
   * Long enough for the restarted node to take over: on PostgreSQL the dead node's leases must
   * lapse first (2 x request timeout + 5 s = 7 s here), then the backlog drains.
   */
  static final Duration DELIVERY_DEADLINE = Duration.ofSeconds(45);

  static final Duration START_DEADLINE = Duration.ofSeconds(30);

  @Parameter Backend backend;

  @Test
  void every_accepted_message_is_delivered_after_the_node_is_killed_mid_burst() throws Exception {
    TestDatabases.Storage storage = TestDatabases.create(backend);
    Path log = Files.createTempFile("herald-crash-" + backend.name().toLowerCase() + "-", ".log");
    Map<String, String> settings = new HashMap<>(storage.environment());
    settings.put("HERALD_BOOTSTRAP_API_KEY", TestServer.ADMIN_KEY);
    settings.put("HERALD_SSRF_ALLOW", "127.0.0.0/8");
    settings.put("HERALD_REQUEST_TIMEOUT", "1s");
    settings.put("HERALD_POLL_INTERVAL", "100ms");
    settings.put("HERALD_RETRY_SCHEDULE", "200ms,500ms,1s,1s");
    // A slow receiver keeps deliveries in flight when the kill comes.
    try (Receiver receiver = Receiver.start().replyWith(Reply.ok().after(Duration.ofMillis(50)))) {
      HeraldProcess first = HeraldProcess.start(settings, log).awaitReady(START_DEADLINE);
      Webhooks hooks = new Webhooks(first.api(TestServer.ADMIN_KEY));
      String app = hooks.createApp();
      hooks.createEndpoint(app, receiver.url());

      Set<String> accepted = ConcurrentHashMap.newKeySet();
      Set<Integer> sent = ConcurrentHashMap.newKeySet();
      Map<Integer, String> acceptedIdOfKey = new ConcurrentHashMap<>();
      AtomicInteger next = new AtomicInteger();
      AtomicInteger seenAtKill = new AtomicInteger(-1);
      AtomicInteger acceptedAtKill = new AtomicInteger(-1);
      ExecutorService senders = Executors.newFixedThreadPool(SENDER_THREADS);
      try {
        List<Future<?>> running = new java.util.ArrayList<>();
        for (int t = 0; t < SENDER_THREADS; t++) {
          running.add(
              senders.submit(
                  () -> {
                    Api api = first.api(TestServer.ADMIN_KEY);
                    while (true) {
                      int i = next.getAndIncrement();
                      if (i >= MESSAGES) {
                        return;
                      }
                      if (i == MESSAGES / 2) {
                        seenAtKill.set(receiver.count());
                        acceptedAtKill.set(accepted.size());
                        first.kill();
                      }
                      sent.add(i);
                      try {
                        Api.Response r =
                            api.post(
                                "/api/v1/app/" + app + "/msg",
                                Map.of("eventType", "crash.test", "payload", Map.of("i", i)),
                                Map.of("idempotency-key", key(i)));
                        if (r.status() != 202) {
                          return; // the node is going down
                        }
                        accepted.add(r.field("id"));
                        acceptedIdOfKey.put(i, r.field("id"));
                      } catch (UncheckedIOException e) {
                        return; // the node is gone: stop posting
                      }
                    }
                  }));
        }
        for (Future<?> f : running) {
          f.get();
        }
      } finally {
        senders.shutdownNow();
      }
      first.kill();
      assertThat(accepted.size())
          .as("messages accepted before the kill")
          .isBetween(1, MESSAGES - 1);

      try (HeraldProcess second = HeraldProcess.start(settings, log).awaitReady(START_DEADLINE)) {
        Set<String> missing = awaitAllSeen(receiver, accepted, second);

        assertThat(missing).as("accepted messages never delivered").isEmpty();
        Map<String, Integer> perMessage = new HashMap<>();
        for (Receiver.Request r : receiver.requests()) {
          perMessage.merge(r.webhookId(), 1, Integer::sum);
        }
        int duplicates = accepted.stream().mapToInt(id -> perMessage.getOrDefault(id, 0) - 1).sum();
        Set<String> unacknowledged = new HashSet<>(perMessage.keySet());
        unacknowledged.removeAll(accepted);
        System.out.printf(
            "%s crash recovery: %d accepted (%d when killed, receiver had seen %d), %d requests in"
                + " all, %d duplicate deliveries, %d delivered messages whose 202 was lost in the kill%n",
            backend,
            accepted.size(),
            acceptedAtKill.get(),
            seenAtKill.get(),
            receiver.count(),
            duplicates,
            unacknowledged.size());

        // Issue 10, point 4: the client retries every request it sent, with the same idempotency
        // key.
        // Each key and its answer were committed with the message or not at all, so every retry
        // gets
        // an answer at once (never "still being processed"), the same message id when the first
        // answer arrived, and no key ever makes a second message.
        Api api = second.api(TestServer.ADMIN_KEY);
        Map<Integer, String> idOfKey = new HashMap<>();
        for (int i : sent) {
          Api.Response r =
              api.post(
                  "/api/v1/app/" + app + "/msg",
                  Map.of("eventType", "crash.test", "payload", Map.of("i", i)),
                  Map.of("idempotency-key", key(i)));
          assertThat(r.status()).as("retry of key %s: %s", key(i), r).isEqualTo(202);
          idOfKey.put(i, r.field("id"));
        }
        acceptedIdOfKey.forEach(
            (i, id) -> assertThat(idOfKey.get(i)).as("message of key %s", key(i)).isEqualTo(id));
        assertThat(messageCount(api, app))
            .as("messages: one per idempotency key")
            .isEqualTo(sent.size());
      }
    } finally {
      storage.delete();
      deleteQuietly(log);
    }
  }

  private static String key(int i) {
    return "crash-" + i;
  }

  private static int messageCount(Api api, String app) {
    int count = 0;
    String iterator = null;
    while (true) {
      Api.Response page =
          api.get(
              "/api/v1/app/"
                  + app
                  + "/msg?limit=250&with_content=false"
                  + (iterator == null ? "" : "&iterator=" + iterator));
      count += page.body().path("data").size();
      if (page.body().path("done").asBoolean(true)) {
        return count;
      }
      iterator = page.body().path("iterator").asText();
    }
  }

  private static Set<String> awaitAllSeen(
      Receiver receiver, Set<String> accepted, HeraldProcess node) {
    long deadline = System.nanoTime() + DELIVERY_DEADLINE.toNanos();
    Set<String> missing;
    while (true) {
      Set<String> seen = new HashSet<>();
      receiver.requests().forEach(r -> seen.add(r.webhookId()));
      missing = new HashSet<>(accepted);
      missing.removeAll(seen);
      if (missing.isEmpty() || System.nanoTime() > deadline) {
        break;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
    if (!missing.isEmpty()) {
      System.out.println("restarted node output:\n" + node.logTail());
    }
    return missing;
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // a leftover temp file is harmless
    }
  }
}
