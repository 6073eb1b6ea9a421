package dev.herald.delivery;

import static dev.herald.testing.Webhooks.endpointPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.herald.testing.Api;
import dev.herald.testing.ApiContractTest;
import dev.herald.testing.Eventually;
import dev.herald.testing.Receiver;
import dev.herald.testing.Webhooks;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A message payload reaches receivers, and reads back, as the client's JSON value: the same members
 * in the same order, the same strings and numbers with the digits as sent (hardening #9 point 4).
 * Herald keeps the payload's bytes from the request instead of re-serialising a tree, which turned
 * {@code 12345678901234567.89} into {@code 1.2345678901234568E16} and {@code 1e999999999} into the
 * string {@code "Infinity"}, under a valid signature.
 */
class PayloadFidelityTest extends ApiContractTest {
  /** Numbers a double cannot hold, escapes, odd spacing and members out of alphabetical order. */
  static final String PAYLOAD =
      "{\"amt\":12345678901234567.89,\"x\":1e999999999,\"neg\":-0.0,"
          + "\"big\":123456789012345678901234567890,\"tiny\":1E-400,\"z\" : 1,"
          + "\"a\":\"\\u00e9t\\u00e9 \\u2028 \u2603\",\"list\":[1.10, 2.5e-3, {\"b\":null,\"a\":true}]}";

  private Receiver rx;
  private Webhooks hooks;

  @Override
  protected Map<String, String> settings() {
    return Map.of("HERALD_SSRF_ALLOW", "127.0.0.0/8", "HERALD_POLL_INTERVAL", "50ms");
  }

  @BeforeEach
  void startReceiver() {
    rx = Receiver.start();
    hooks = new Webhooks(api);
  }

  @AfterEach
  void closeReceiver() {
    rx.close();
  }

  private static String messageBody(String payload) {
    return "{\"eventType\":\"invoice.paid\",\n  \"payload\":  "
        + payload
        + " ,\"channels\":[\"c\"]}\n";
  }

  @Test
  void a_receiver_gets_the_payload_bytes_exactly_as_the_client_sent_them_under_a_valid_signature() {
    String app = hooks.createApp();
    String ep = hooks.createEndpoint(app, rx.url());
    String secret = hooks.secret(app, ep);

    Api.Response created = api.post("/api/v1/app/" + app + "/msg", messageBody(PAYLOAD));
    assertThat(created.status()).as("%s", created).isEqualTo(202);

    Receiver.Request r = rx.awaitRequests(1, Eventually.DEFAULT_TIMEOUT).get(0);
    assertThat(r.bodyText()).isEqualTo(PAYLOAD);
    assertThat(r.body()).isEqualTo(PAYLOAD.getBytes(StandardCharsets.UTF_8));
    assertThatCode(() -> new com.standardwebhooks.Webhook(secret).verify(r.bodyText(), r.headers()))
        .doesNotThrowAnyException();
  }

  @Test
  void every_read_of_the_message_shows_the_payload_as_sent() {
    String app = hooks.createApp();
    String ep = hooks.createEndpoint(app, rx.url());

    Api.Response created = api.post("/api/v1/app/" + app + "/msg", messageBody(PAYLOAD));
    String msg = created.field("id");
    rx.awaitRequests(1, Eventually.DEFAULT_TIMEOUT);

    String shown = "\"payload\":" + PAYLOAD;
    assertThat(created.text()).contains(shown);
    Api.Response get = api.get("/api/v1/app/" + app + "/msg/" + msg);
    assertThat(get.text()).contains(shown);
    assertThat(get.body().isMissingNode()).as("valid JSON: %s", get).isFalse();
    Api.Response list = api.get("/api/v1/app/" + app + "/msg?with_content=true");
    assertThat(list.text()).contains(shown);
    Api.Response ofEndpoint = api.get(endpointPath(app, ep) + "/msg?with_content=true");
    assertThat(ofEndpoint.text()).contains(shown);
    assertThat(ofEndpoint.body().isMissingNode()).as("valid JSON: %s", ofEndpoint).isFalse();
  }

  @Test
  void a_raw_payload_that_is_not_one_json_value_reads_back_as_a_json_string() {
    String app = hooks.createApp();
    for (String raw : new String[] {"{\"a\":1} trailing", ""}) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("eventType", "invoice.paid");
      body.put("payload", Map.of());
      body.put("transformationsParams", Map.of("rawPayload", raw));

      Api.Response created = api.post("/api/v1/app/" + app + "/msg", body);
      Api.Response get = api.get("/api/v1/app/" + app + "/msg/" + created.field("id"));

      assertThat(created.status()).as("%s", created).isEqualTo(202);
      assertThat(get.body().path("payload").isTextual()).as("%s", get).isTrue();
      assertThat(get.body().path("payload").textValue()).isEqualTo(raw);
    }
  }
}
