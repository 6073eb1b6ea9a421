package dev.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.ApiContractTest;
import dev.herald.testing.Receiver;
import dev.herald.testing.Webhooks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An application's {@code throttleRate} caps the requests to all its endpoints together (hardening
 * #9 point 13); before, only an endpoint's own rate was applied.
 */
class ApplicationThrottleTest extends ApiContractTest {

  @Override
  protected Map<String, String> settings() {
    return Map.of("HERALD_SSRF_ALLOW", "127.0.0.0/8", "HERALD_POLL_INTERVAL", "50ms");
  }

  @Test
  void an_application_rate_spreads_the_requests_to_all_its_endpoints_over_time() {
    int rate = 2;
    int messages = 4;
    Webhooks hooks = new Webhooks(api);
    try (Receiver a = Receiver.start();
        Receiver b = Receiver.start()) {
      String app =
          api.post("/api/v1/app", Map.of("name", "throttled", "throttleRate", rate)).field("id");
      hooks.createEndpoint(app, a.url());
      hooks.createEndpoint(app, b.url());

      for (int i = 0; i < messages; i++) {
        hooks.send(app, "throttle.event");
      }

      // The first request to each endpoint may go before the application's rate is read (and its
      // arrival carries the connection set-up), so only the later ones are measured: 6 requests
      // at 2/s across both endpoints start at least 500 ms apart, 2.5 s from first to last.
      List<Long> later = new ArrayList<>();
      for (Receiver r : List.of(a, b)) {
        r.awaitRequests(messages, Duration.ofSeconds(30)).stream()
            .skip(1)
            .forEach(req -> later.add(req.receivedNanos()));
      }
      Duration spread = Duration.ofNanos(Collections.max(later) - Collections.min(later));
      assertThat(spread)
          .as("spread of the %s later requests at %s/s", later.size(), rate)
          .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }
  }
}
