package dev.herald;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.config.HeraldConfig;
import dev.herald.delivery.AttemptOutcome;
import dev.herald.delivery.DeliveryConfig;
import dev.herald.delivery.Sender;
import dev.herald.testing.Receiver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The outbound client a node prepares on a second thread while its database opens. */
class ParallelStartTest {
  private static final DeliveryConfig DELIVERY =
      HeraldConfig.fromEnvironment(Map.of("HERALD_SSRF_ALLOW", "127.0.0.0/8")).delivery();
  private static final byte[] BODY = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);

  @Test
  void the_prepared_client_is_started_and_sends() throws Exception {
    ParallelStart start = ParallelStart.begin(DELIVERY);
    try (Receiver rx = Receiver.start();
        Sender sender = start.sender()) {
      Sender.Result result = sender.send(rx.url(), BODY, Map.of()).get(10, TimeUnit.SECONDS);

      assertThat(result.outcome()).isInstanceOf(AttemptOutcome.Response.class);
      assertThat(((AttemptOutcome.Response) result.outcome()).status()).isEqualTo(200);
      assertThat(rx.awaitRequests(1, Duration.ofSeconds(5))).hasSize(1);
    }
  }

  @Test
  void a_start_given_up_stops_the_client_it_prepared() throws Exception {
    ParallelStart start = ParallelStart.begin(DELIVERY);
    // As when the database cannot be opened: the client is stopped once it is up.
    start.abandon().get(10, TimeUnit.SECONDS);
    try (Receiver rx = Receiver.start()) {
      Sender.Result result =
          start.sender().send(rx.url(), BODY, Map.of()).get(10, TimeUnit.SECONDS);

      assertThat(result.outcome()).isNotInstanceOf(AttemptOutcome.Response.class);
      assertThat(rx.requests()).isEmpty();
    }
  }
}
