package dev.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.Api;
import dev.herald.testing.ApiContractTest;
import dev.herald.testing.MutableClock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bearer keys, org isolation and app-portal tokens. */
class AuthApiTest extends ApiContractTest {
  static final String APPS = "/api/v1/app";
  static final String PORTAL_ACCESS = "/api/v1/auth/app-portal-access/";

  private final MutableClock clock = MutableClock.atSystemTime();

  @Override
  protected InstantSource clock() {
    return clock;
  }

  @Override
  protected Map<String, String> settings() {
    return Map.of("HERALD_PORTAL_TOKEN_TTL", "1h");
  }

  private String createApp(Api client, String uid) {
    Api.Response r = client.post(APPS, Map.of("name", "App " + uid, "uid", uid));
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return r.field("id");
  }

  private String portalToken(String appIdOrUid) {
    Api.Response r = api.post(PORTAL_ACCESS + appIdOrUid, Map.of());
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.field("token");
  }

  private static void assertUnauthorized(Api.Response r) {
    assertThat(r.status()).as("%s", r).isEqualTo(401);
    assertThat(r.field("code")).isEqualTo("authentication_failed");
    assertThat(r.field("detail")).isNotEmpty();
  }

  @Test
  void a_request_without_a_bearer_key_answers_401_with_code_and_detail() {
    assertUnauthorized(server.anonymous().get(APPS));
    assertUnauthorized(server.anonymous().post(APPS, Map.of("name", "x")));
  }

  @Test
  void an_unknown_bearer_key_answers_401() {
    assertUnauthorized(server.api("hk_not_a_real_key_at_all_0000000000").get(APPS));
  }

  @Test
  void an_authorization_header_that_is_not_bearer_answers_401() {
    Api.Response r =
        server.anonymous().get(APPS, Map.of("authorization", "Basic " + server.adminKey()));

    assertUnauthorized(r);
  }

  @Test
  void the_bearer_scheme_is_case_insensitive() {
    Api.Response r =
        server.anonymous().get(APPS, Map.of("authorization", "bearer " + server.adminKey()));

    assertThat(r.status()).isEqualTo(200);
  }

  @Test
  void another_org_lists_none_of_the_first_orgs_applications() {
    createApp(api, uniqueUid("mine"));

    Api.Response r = newOrg().get(APPS);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body().path("data").size()).isZero();
  }

  @Test
  void another_org_gets_404_for_the_first_orgs_application_by_id_and_by_uid() {
    String uid = uniqueUid("private");
    String id = createApp(api, uid);
    Api other = newOrg();

    for (String ref : new String[] {id, uid}) {
      Api.Response r = other.get(APPS + "/" + ref);
      assertThat(r.status()).as("GET %s: %s", ref, r).isEqualTo(404);
      assertThat(r.field("code")).isEqualTo("not_found");
    }
  }

  @Test
  void another_org_can_neither_patch_nor_delete_the_first_orgs_application() {
    String uid = uniqueUid("guarded");
    String id = createApp(api, uid);
    Api.Response before = api.get(APPS + "/" + id);
    Api other = newOrg();

    assertThat(other.patch(APPS + "/" + id, Map.of("name", "hijacked")).status()).isEqualTo(404);
    assertThat(other.patch(APPS + "/" + uid, Map.of("name", "hijacked")).status()).isEqualTo(404);
    assertThat(other.delete(APPS + "/" + id).status()).isEqualTo(404);
    assertThat(other.delete(APPS + "/" + uid).status()).isEqualTo(404);

    assertThat(api.get(APPS + "/" + id).body()).isEqualTo(before.body());
  }

  @Test
  void a_put_from_another_org_never_touches_the_first_orgs_application() {
    String uid = uniqueUid("put-guarded");
    String id = createApp(api, uid);
    Api.Response before = api.get(APPS + "/" + id);
    Api other = newOrg();

    Api.Response r = other.put(APPS + "/" + uid, Map.of("name", "Their own"));

    assertThat(r.status()).isEqualTo(201);
    assertThat(r.field("id")).isNotEqualTo(id);
    assertThat(api.get(APPS + "/" + id).body()).isEqualTo(before.body());
  }

  @Test
  void another_org_gets_404_when_asking_portal_access_to_the_first_orgs_application() {
    String id = createApp(api, uniqueUid("portal-guarded"));

    assertThat(newOrg().post(PORTAL_ACCESS + id, Map.of()).status()).isEqualTo(404);
  }

  @Test
  void portal_access_answers_a_url_and_a_token() {
    String id = createApp(api, uniqueUid("portal"));

    Api.Response r = api.post(PORTAL_ACCESS + id, Map.of());

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.field("token")).isNotEmpty();
    assertThat(r.field("url")).startsWith("http");
  }

  @Test
  void portal_access_works_without_a_body() {
    String id = createApp(api, uniqueUid("portal-nobody"));

    Api.Response r = api.send("POST", PORTAL_ACCESS + id, null, Map.of());

    assertThat(r.status()).as("%s", r).isEqualTo(200);
  }

  @Test
  void portal_access_to_an_unknown_application_answers_404() {
    assertThat(api.post(PORTAL_ACCESS + uniqueUid("nobody"), Map.of()).status()).isEqualTo(404);
  }

  @Test
  void a_portal_token_reads_its_own_application_by_id_and_by_uid() {
    String uid = uniqueUid("own");
    String id = createApp(api, uid);
    Api portal = server.api(portalToken(uid));

    Api.Response byId = portal.get(APPS + "/" + id);
    Api.Response byUid = portal.get(APPS + "/" + uid);

    assertThat(byId.status()).isEqualTo(200);
    assertThat(byId.field("id")).isEqualTo(id);
    assertThat(byUid.status()).isEqualTo(200);
    assertThat(byUid.field("id")).isEqualTo(id);
  }

  @Test
  void a_portal_token_gets_404_for_any_other_application() {
    String id = createApp(api, uniqueUid("scoped"));
    String otherUid = uniqueUid("neighbour");
    String otherId = createApp(api, otherUid);
    Api portal = server.api(portalToken(id));

    assertThat(portal.get(APPS + "/" + otherId).status()).isEqualTo(404);
    assertThat(portal.get(APPS + "/" + otherUid).status()).isEqualTo(404);
    assertThat(portal.get(APPS + "/" + uniqueUid("missing")).status()).isEqualTo(404);
  }

  @Test
  void a_portal_token_gets_403_for_org_wide_operations() {
    String id = createApp(api, uniqueUid("limited"));
    Api portal = server.api(portalToken(id));

    for (Api.Response r :
        new Api.Response[] {
          portal.get(APPS),
          portal.post(APPS, Map.of("name", "sneaky")),
          portal.patch(APPS + "/" + id, Map.of("name", "renamed")),
          portal.put(APPS + "/" + id, Map.of("name", "renamed")),
          portal.delete(APPS + "/" + id),
          portal.post(PORTAL_ACCESS + id, Map.of())
        }) {
      assertThat(r.status()).as("%s", r).isEqualTo(403);
      assertThat(r.field("code")).isEqualTo("insufficient_access");
    }
    assertThat(api.get(APPS + "/" + id).field("name")).startsWith("App ");
  }

  @Test
  void logout_revokes_the_portal_token() {
    String id = createApp(api, uniqueUid("logout"));
    Api portal = server.api(portalToken(id));
    assertThat(portal.get(APPS + "/" + id).status()).isEqualTo(200);

    Api.Response r = portal.post("/api/v1/auth/logout", null);

    assertThat(r.status()).isEqualTo(204);
    assertUnauthorized(portal.get(APPS + "/" + id));
  }

  @Test
  void logout_with_an_org_key_is_refused_and_the_key_keeps_working() {
    Api org = newOrg();

    Api.Response r = org.post("/api/v1/auth/logout", null);

    assertThat(r.status()).as("%s", r).isEqualTo(403);
    assertThat(org.get(APPS).status()).isEqualTo(200);
  }

  @Test
  void logout_of_one_portal_token_leaves_the_others_working() {
    String id = createApp(api, uniqueUid("two-tokens"));
    Api first = server.api(portalToken(id));
    Api second = server.api(portalToken(id));

    first.post("/api/v1/auth/logout", null);

    assertThat(second.get(APPS + "/" + id).status()).isEqualTo(200);
  }

  @Test
  void a_portal_token_stops_working_when_its_ttl_has_passed() {
    String id = createApp(api, uniqueUid("expiring"));
    Api portal = server.api(portalToken(id));
    assertThat(portal.get(APPS + "/" + id).status()).isEqualTo(200);

    clock.advance(Duration.ofMinutes(61));

    assertUnauthorized(portal.get(APPS + "/" + id));
  }

  @Test
  void portal_access_with_application_details_creates_the_application_on_the_fly() {
    String uid = uniqueUid("on-the-fly");

    Api.Response r =
        api.post(
            PORTAL_ACCESS + uid,
            Map.of(
                "application",
                Map.of("name", "Made for the portal", "metadata", Map.of("k", "v"))));

    assertThat(r.status()).as("%s", r).isEqualTo(200);
    Api.Response app = api.get(APPS + "/" + uid);
    assertThat(app.status()).isEqualTo(200);
    assertThat(app.field("name")).isEqualTo("Made for the portal");
    assertThat(app.field("uid")).isEqualTo(uid);
    assertThat(server.api(r.field("token")).get(APPS + "/" + uid).status()).isEqualTo(200);
  }

  @Test
  void portal_access_ignores_application_details_when_the_application_exists() {
    String uid = uniqueUid("exists");
    String id = createApp(api, uid);

    Api.Response r =
        api.post(PORTAL_ACCESS + uid, Map.of("application", Map.of("name", "Ignored")));

    assertThat(r.status()).isEqualTo(200);
    assertThat(api.get(APPS + "/" + id).field("name")).isEqualTo("App " + uid);
  }

  @Test
  void portal_access_that_would_create_an_application_with_an_invalid_uid_answers_422() {
    Api org = newOrg();

    Api.Response r =
        org.post(PORTAL_ACCESS + "not%20a%20uid", Map.of("application", Map.of("name", "x")));

    assertThat(r.status()).isEqualTo(422);
    assertThat(errorLocations(r)).containsExactly("path.app_id");
    assertThat(org.get(APPS).body().path("data").size()).isZero();
  }

  @Test
  void portal_access_with_invalid_application_details_answers_422_and_creates_nothing() {
    String uid = uniqueUid("invalid");

    Api.Response r =
        api.post(PORTAL_ACCESS + uid, Map.of("application", Map.of("throttleRate", 0)));

    assertThat(r.status()).isEqualTo(422);
    assertThat(errorLocations(r))
        .containsExactlyInAnyOrder("body.application.name", "body.application.throttleRate");
    assertThat(api.get(APPS + "/" + uid).status()).isEqualTo(404);
  }
}
