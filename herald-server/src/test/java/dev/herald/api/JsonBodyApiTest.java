package dev.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.Api;
import dev.herald.testing.ApiContractTest;
import dev.herald.testing.Webhooks;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Every route that takes a JSON body reads exactly one JSON value: data after it is a 422, not
 * ignored (hardening #9 point 5; {@code {"name":"x"}garbage} used to create {@code x}).
 */
class JsonBodyApiTest extends ApiContractTest {

  /** A route taking a body, and a body it would accept. */
  private record Route(String method, String path, String validBody) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  /** Every route reading a JSON body, each with real entities behind its path. */
  private List<Route> routes() {
    Webhooks hooks = new Webhooks(api);
    String app = hooks.createApp();
    String endpoint = hooks.createEndpoint(app, "https://example.com/hook");
    String eventType = hooks.createEventType("body.check");
    String opsEndpoint =
        api.post("/api/v1/operational-webhook/endpoint", Map.of("url", "https://example.com/ops"))
            .field("id");
    String appPath = "/api/v1/app/" + app;
    String endpointPath = Webhooks.endpointPath(app, endpoint);
    String opsPath = "/api/v1/operational-webhook/endpoint/" + opsEndpoint;
    String since = Instant.now().minus(1, ChronoUnit.HOURS).toString();
    return List.of(
        new Route("POST", "/api/v1/app", "{\"name\":\"x\"}"),
        new Route("PUT", appPath, "{\"name\":\"x\"}"),
        new Route("PATCH", appPath, "{\"name\":\"x\"}"),
        new Route("POST", "/api/v1/event-type", "{\"name\":\"body.new\",\"description\":\"d\"}"),
        new Route("PUT", "/api/v1/event-type/" + eventType, "{\"description\":\"d\"}"),
        new Route("PATCH", "/api/v1/event-type/" + eventType, "{\"description\":\"d\"}"),
        new Route("POST", appPath + "/endpoint", "{\"url\":\"https://example.com/a\"}"),
        new Route("PUT", endpointPath, "{\"url\":\"https://example.com/a\"}"),
        new Route("PATCH", endpointPath, "{\"description\":\"d\"}"),
        new Route("POST", endpointPath + "/secret/rotate", "{}"),
        new Route("PUT", endpointPath + "/headers", "{\"headers\":{\"X-A\":\"1\"}}"),
        new Route("PATCH", endpointPath + "/headers", "{\"headers\":{\"X-A\":\"1\"}}"),
        new Route("POST", endpointPath + "/recover", "{\"since\":\"" + since + "\"}"),
        new Route("POST", endpointPath + "/send-example", "{\"eventType\":\"" + eventType + "\"}"),
        new Route("POST", appPath + "/msg", "{\"eventType\":\"" + eventType + "\",\"payload\":{}}"),
        new Route("POST", "/api/v1/auth/app-portal-access/" + app, "{}"),
        new Route(
            "POST", "/api/v1/operational-webhook/endpoint", "{\"url\":\"https://example.com/b\"}"),
        new Route("PUT", opsPath, "{\"url\":\"https://example.com/b\"}"),
        new Route("PATCH", opsPath, "{\"description\":\"d\"}"),
        new Route("PUT", opsPath + "/headers", "{\"headers\":{\"X-A\":\"1\"}}"),
        new Route("PATCH", opsPath + "/headers", "{\"headers\":{\"X-A\":\"1\"}}"));
  }

  @Test
  void refuses_data_after_the_json_value_on_every_route_taking_a_body() {
    SoftAssertions soft = new SoftAssertions();
    for (Route route : routes()) {
      for (String tail : List.of("garbage", "{\"name\":\"y\"}", " ]", "\n,")) {
        Api.Response r = api.send(route.method(), route.path(), route.validBody() + tail, Map.of());
        soft.assertThat(r.status()).as("%s with %s: %s", route, tail, r).isEqualTo(422);
        soft.assertThat(r.body().path("detail").path(0).path("type").asText())
            .as("%s with %s: %s", route, tail, r)
            .isEqualTo("value_error.jsondecode");
      }
    }
    soft.assertAll();
  }

  @Test
  void accepts_whitespace_after_the_json_value_on_every_route_taking_a_body() {
    SoftAssertions soft = new SoftAssertions();
    for (Route route : routes()) {
      Api.Response r =
          api.send(route.method(), route.path(), route.validBody() + " \r\n\t ", Map.of());
      soft.assertThat(r.status()).as("%s: %s", route, r).isBetween(200, 299);
    }
    soft.assertAll();
  }

  @Test
  void two_documents_in_one_body_create_nothing() {
    Api org = newOrg();
    String uid = "first-" + UUID.randomUUID();

    Api.Response r =
        org.post("/api/v1/app", "{\"name\":\"x\",\"uid\":\"" + uid + "\"}{\"name\":\"y\"}");

    assertThat(r.status()).as("%s", r).isEqualTo(422);
    assertThat(org.get("/api/v1/app/" + uid).status()).isEqualTo(404);
  }

  @Test
  void refuses_a_body_not_encoded_in_utf_8() {
    byte[] utf16 = "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_16BE);

    Api.Response r = api.post("/api/v1/app", utf16);

    assertThat(r.status()).as("%s", r).isEqualTo(422);
    assertThat(r.body().path("detail").path(0).path("msg").asText()).contains("UTF-8");
  }
}
