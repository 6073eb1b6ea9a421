package dev.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.Api;
import dev.herald.testing.ApiContractTest;
import org.junit.jupiter.api.Test;

/** {@code /api/v1/health}: what load balancers and orchestrators poll. */
class HealthApiTest extends ApiContractTest {

  @Test
  void health_answers_204_without_authentication() {
    Api.Response r = server.anonymous().get("/api/v1/health");

    assertThat(r.status()).isEqualTo(204);
    assertThat(r.text()).isEmpty();
  }

  @Test
  void health_answers_head_with_204() {
    assertThat(server.anonymous().head("/api/v1/health").status()).isEqualTo(204);
  }

  @Test
  void ping_answers_204_to_get_and_head() {
    assertThat(server.anonymous().get("/api/v1/health/ping").status()).isEqualTo(204);
    assertThat(server.anonymous().head("/api/v1/health/ping").status()).isEqualTo(204);
  }

  @Test
  void health_ignores_an_invalid_bearer_key() {
    assertThat(server.api("not-a-key").get("/api/v1/health").status()).isEqualTo(204);
  }

  @Test
  void an_unknown_path_answers_404_in_the_error_shape() {
    Api.Response r = api.get("/api/v1/no-such-thing");

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.field("code")).isEqualTo("not_found");
    assertThat(r.field("detail")).contains("/api/v1/no-such-thing");
  }
}
