package dev.herald.transform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.Backend;
import dev.herald.testing.Receiver;
import dev.herald.testing.TestServer;
import dev.herald.testing.Webhooks;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * GraalJS costs about a second to start and a node whose endpoints have no transformation must not
 * pay it (docs/transformations.md): the engine is created by the first transformation, never at
 * start-up or by plain deliveries.
 */
class TransformationStartupTest {

  @Test
  void a_node_that_runs_no_transformation_never_creates_the_engine() {
    try (TestServer server =
            TestServer.builder(Backend.SQLITE)
                .setting("HERALD_SSRF_ALLOW", "127.0.0.0/8")
                .setting("HERALD_POLL_INTERVAL", "50ms")
                .start();
        Receiver receiver = Receiver.start()) {
      Sandbox sandbox = server.herald().transformations().sandbox();
      assertThat(sandbox.started()).isFalse();
      Webhooks hooks = new Webhooks(server.api());
      String app = hooks.createApp();
      hooks.createEndpoint(app, receiver.url());
      hooks.send(app, "a.b");
      receiver.awaitRequests(1, Duration.ofSeconds(20));
      assertThat(sandbox.started()).isFalse();
    }
  }
}
