package dev.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.Api;
import dev.herald.testing.ApiContractTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One org's key never reaches another org's endpoints, event types or messages: reads, writes and
 * deletes all answer 404 (never 403, so ids do not leak) and nothing changes for the owner.
 */
class TenancyApiTest extends ApiContractTest {

  private record Owned(String app, String endpoint, String message, String eventType) {}

  private Owned createEverything(Api owner) {
    String eventType = uniqueUid("tenant.event");
    assertThat(
            owner
                .post("/api/v1/event-type", Map.of("name", eventType, "description", "d"))
                .status())
        .isEqualTo(201);
    String app = owner.post("/api/v1/app", Map.of("name", "Tenant A")).field("id");
    String endpoint =
        owner
            .post(
                "/api/v1/app/" + app + "/endpoint",
                Map.of("url", "https://example.com/hook", "eventTypes", List.of(eventType)))
            .field("id");
    Api.Response msg =
        owner.post(
            "/api/v1/app/" + app + "/msg",
            Map.of("eventType", eventType, "payload", Map.of("k", "v")));
    assertThat(msg.status()).as("%s", msg).isEqualTo(202);
    return new Owned(app, endpoint, msg.field("id"), eventType);
  }

  @Test
  void another_org_gets_404_for_every_read_of_the_first_orgs_resources() {
    Owned o = createEverything(api);
    Api other = newOrg();

    List<String> paths =
        List.of(
            "/api/v1/app/" + o.app() + "/endpoint",
            "/api/v1/app/" + o.app() + "/endpoint/" + o.endpoint(),
            "/api/v1/app/" + o.app() + "/endpoint/" + o.endpoint() + "/secret",
            "/api/v1/app/" + o.app() + "/endpoint/" + o.endpoint() + "/headers",
            "/api/v1/app/" + o.app() + "/endpoint/" + o.endpoint() + "/stats",
            "/api/v1/app/" + o.app() + "/msg",
            "/api/v1/app/" + o.app() + "/msg/" + o.message(),
            "/api/v1/app/" + o.app() + "/attempt/msg/" + o.message(),
            "/api/v1/app/" + o.app() + "/attempt/endpoint/" + o.endpoint(),
            "/api/v1/event-type/" + o.eventType());
    for (String path : paths) {
      Api.Response r = other.get(path);
      assertThat(r.status()).as("GET %s -> %s", path, r).isEqualTo(404);
    }
  }

  @Test
  void another_orgs_event_type_list_does_not_show_the_first_orgs_types() {
    Owned o = createEverything(api);

    Api.Response r = newOrg().get("/api/v1/event-type?include_archived=true");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body().path("data").toString()).doesNotContain(o.eventType());
  }

  @Test
  void another_org_cannot_change_or_delete_the_first_orgs_endpoints_event_types_or_messages() {
    Owned o = createEverything(api);
    Api other = newOrg();
    String endpoint = "/api/v1/app/" + o.app() + "/endpoint/" + o.endpoint();

    assertThat(other.patch(endpoint, Map.of("url", "https://evil.example.com")).status())
        .isEqualTo(404);
    assertThat(other.put(endpoint, Map.of("url", "https://evil.example.com")).status())
        .isEqualTo(404);
    assertThat(other.put(endpoint + "/headers", Map.of("headers", Map.of("X-A", "b"))).status())
        .isEqualTo(404);
    assertThat(other.post(endpoint + "/secret/rotate", Map.of()).status()).isEqualTo(404);
    assertThat(other.delete(endpoint).status()).isEqualTo(404);
    assertThat(
            other
                .post(
                    "/api/v1/app/" + o.app() + "/msg",
                    Map.of("eventType", o.eventType(), "payload", Map.of()))
                .status())
        .isEqualTo(404);
    assertThat(other.delete("/api/v1/app/" + o.app() + "/msg/" + o.message() + "/content").status())
        .isEqualTo(404);
    assertThat(
            other
                .post(
                    "/api/v1/app/"
                        + o.app()
                        + "/msg/"
                        + o.message()
                        + "/endpoint/"
                        + o.endpoint()
                        + "/resend",
                    Map.of())
                .status())
        .isEqualTo(404);
    assertThat(
            other.patch("/api/v1/event-type/" + o.eventType(), Map.of("description", "x")).status())
        .isEqualTo(404);
    assertThat(other.delete("/api/v1/event-type/" + o.eventType() + "?expunge=true").status())
        .isEqualTo(404);

    Api.Response ep = api.get(endpoint);
    assertThat(ep.status()).isEqualTo(200);
    assertThat(ep.field("url")).isEqualTo("https://example.com/hook");
    assertThat(api.get("/api/v1/event-type/" + o.eventType()).field("description")).isEqualTo("d");
    assertThat(
            api.get("/api/v1/app/" + o.app() + "/msg/" + o.message())
                .body()
                .path("payload")
                .path("k")
                .asText())
        .isEqualTo("v");
  }

  @Test
  void an_event_type_name_is_unique_per_org_not_per_deployment() {
    Owned o = createEverything(api);

    Api.Response r =
        newOrg().post("/api/v1/event-type", Map.of("name", o.eventType(), "description", "mine"));

    assertThat(r.status()).isEqualTo(201);
    assertThat(api.get("/api/v1/event-type/" + o.eventType()).field("description")).isEqualTo("d");
  }
}
