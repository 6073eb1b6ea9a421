package dev.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.testing.Api;
import dev.herald.testing.ApiContractTest;
import dev.herald.testing.Eventually;
import dev.herald.testing.Receiver;
import dev.herald.testing.Receiver.Reply;
import dev.herald.testing.Webhooks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Ordered endpoints, end to end on each backend: deliveries go one at a time in the order their
 * messages were accepted, a failing one holds the rest back until it succeeds or is exhausted, and
 * the flag reads and writes like any endpoint field.
 */
class OrderedEndpointTest extends ApiContractTest {
  private Webhooks hooks;

  @Override
  protected Map<String, String> settings() {
    return Map.of(
        "HERALD_SSRF_ALLOW", "127.0.0.0/8",
        // Nine attempts: a message fails them all with probability 0.3^9, never in practice.
        "HERALD_RETRY_SCHEDULE", "50ms,50ms,50ms,50ms,50ms,50ms,50ms,50ms",
        "HERALD_REQUEST_TIMEOUT", "2s",
        "HERALD_POLL_INTERVAL", "100ms");
  }

  @BeforeEach
  void client() {
    hooks = new Webhooks(api);
  }

  /** What the receiver answered, in the order the requests arrived. */
  private record Answer(String messageId, int status) {}

  @Test
  void an_ordered_endpoint_receives_its_messages_one_at_a_time_in_order_through_random_failures() {
    Random random = new Random(42);
    List<Answer> answers = new ArrayList<>();
    Receiver rx =
        receiver()
            .replyWith(
                request -> {
                  int status = random.nextDouble() < 0.3 ? 500 : 204;
                  synchronized (answers) {
                    answers.add(new Answer(request.webhookId(), status));
                  }
                  return Reply.status(status);
                });
    String app = hooks.createApp();
    String ep = id(hooks.createEndpoint(app, rx.url("/ordered"), Map.of("ordered", true)));
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      sent.add(hooks.send(app, Map.of("eventType", "order.step", "payload", Map.of("i", i))));
    }

    Eventually.await(
        "all 40 delivered",
        () -> {
          synchronized (answers) {
            return answers.stream().filter(a -> a.status() == 204).count();
          }
        },
        n -> n >= 40,
        Duration.ofSeconds(60));

    List<Answer> seen;
    synchronized (answers) {
      seen = List.copyOf(answers);
    }
    assertThat(seen.stream().filter(a -> a.status() == 204).map(Answer::messageId))
        .as("messages delivered, in the order they were accepted")
        .containsExactlyElementsOf(sent);
    // Strictly one at a time: no request for a message before the previous one's success.
    int current = 0;
    for (Answer a : seen) {
      assertThat(a.messageId()).as("request %s", a).isEqualTo(sent.get(current));
      if (a.status() == 204) {
        current++;
      }
    }
    assertThat(seen.stream().filter(a -> a.status() == 500))
        .as("failures met on the way")
        .isNotEmpty();
    hooks.awaitDeliveryStatus(app, ep, sent.get(39), 0);
  }

  @Test
  void an_exhausted_delivery_is_recorded_as_failed_and_the_next_message_goes() {
    List<String> order = new ArrayList<>();
    Receiver rx =
        receiver()
            .replyWith(
                request -> {
                  synchronized (order) {
                    order.add(request.webhookId());
                  }
                  return request.bodyText().contains("\"poison\"")
                      ? Reply.status(500)
                      : Reply.status(204);
                });
    String app = hooks.createApp();
    String ep = id(hooks.createEndpoint(app, rx.url("/ordered"), Map.of("ordered", true)));
    String first = hooks.send(app, Map.of("eventType", "order.step", "payload", Map.of("k", "a")));
    String poison =
        hooks.send(app, Map.of("eventType", "order.step", "payload", Map.of("k", "poison")));
    String third = hooks.send(app, Map.of("eventType", "order.step", "payload", Map.of("k", "c")));

    hooks.awaitDeliveryStatus(app, ep, third, 0);

    assertThat(hooks.deliveryAt(app, ep, poison).path("status").asInt())
        .as("the exhausted delivery is recorded as failed")
        .isEqualTo(2);
    List<String> seen;
    synchronized (order) {
      seen = List.copyOf(order);
    }
    // first once, poison for all nine attempts, then third: nothing overtook the failing one.
    List<String> expected = new ArrayList<>();
    expected.add(first);
    for (int i = 0; i < 9; i++) {
      expected.add(poison);
    }
    expected.add(third);
    assertThat(seen).containsExactlyElementsOf(expected);
    assertThat(hooks.attemptsOfMessage(app, poison)).hasSize(9);
  }

  @Test
  void ordered_is_false_by_default_and_reads_back_as_written() {
    Receiver rx = receiver();
    String app = hooks.createApp();
    JsonNode plain = hooks.createEndpoint(app, rx.url("/plain"), Map.of());
    assertThat(plain.path("ordered").isBoolean()).isTrue();
    assertThat(plain.path("ordered").asBoolean()).isFalse();

    String ep = id(hooks.createEndpoint(app, rx.url("/o"), Map.of("ordered", true)));
    assertThat(hooks.endpoint(app, ep).path("ordered").asBoolean()).isTrue();
    Api.Response patched = api.patch(Webhooks.endpointPath(app, ep), Map.of("ordered", false));
    assertThat(patched.status()).as("%s", patched).isEqualTo(200);
    assertThat(hooks.endpoint(app, ep).path("ordered").asBoolean()).isFalse();
    Api.Response bad = api.patch(Webhooks.endpointPath(app, ep), Map.of("ordered", "yes"));
    assertThat(bad.status()).as("%s", bad).isEqualTo(422);
  }

  private static String id(JsonNode endpoint) {
    return endpoint.path("id").asText();
  }
}
