package dev.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.Api;
import dev.herald.testing.ApiContractTest;
import org.junit.jupiter.api.Test;

/** {@code /api/v1/health}: what load balancers and orchestrators poll. */
class HealthApiTest extends ApiContractTest {

  @Test
  void health_reports_database_dispatcher_and_queue_without_authentication() {
    Api.Response r = server.anonymous().get("/api/v1/health");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.field("status")).isEqualTo("ok");
    assertThat(r.field("database")).isEqualTo("ok");
    assertThat(r.field("dispatcher")).isEqualTo("ok");
    assertThat(r.body().get("queue").get("status").asText()).isEqualTo("ok");
    assertThat(r.body().get("queue").has("pending")).isTrue();
  }

  @Test
  void health_answers_head_with_200() {
    assertThat(server.anonymous().head("/api/v1/health").status()).isEqualTo(200);
  }

  @Test
  void liveness_and_readiness_answer_200_on_a_healthy_node() {
    assertThat(server.anonymous().get("/api/v1/health/live").status()).isEqualTo(200);
    Api.Response ready = server.anonymous().get("/api/v1/health/ready");
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.body().get("ready").asBoolean()).isTrue();
  }

  @Test
  void metrics_are_off_on_the_api_port_without_a_metrics_token() {
    Api.Response r = server.anonymous().get("/metrics");

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.field("code")).isEqualTo("metrics_disabled");
  }

  @Test
  void ping_answers_204_to_get_and_head() {
    assertThat(server.anonymous().get("/api/v1/health/ping").status()).isEqualTo(204);
    assertThat(server.anonymous().head("/api/v1/health/ping").status()).isEqualTo(204);
  }

  @Test
  void health_ignores_an_invalid_bearer_key() {
    assertThat(server.api("not-a-key").get("/api/v1/health").status()).isEqualTo(200);
  }

  @Test
  void an_unknown_path_answers_404_in_the_error_shape() {
    Api.Response r = api.get("/api/v1/no-such-thing");

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.field("code")).isEqualTo("not_found");
    assertThat(r.field("detail")).contains("/api/v1/no-such-thing");
  }
}
