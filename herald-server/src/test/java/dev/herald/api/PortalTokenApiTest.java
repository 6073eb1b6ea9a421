package dev.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.auth.Capability;
import dev.herald.auth.Principal;
import dev.herald.testing.Api;
import dev.herald.testing.ApiContractTest;
import dev.herald.testing.MutableClock;
import dev.herald.testing.Receiver;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;

/**
 * App-portal tokens mean what they were issued with (hardening #9 point 12): capabilities checked
 * on every route a token reaches, readOnly, expiry, feature flags hiding event types, and
 * expire-all.
 */
class PortalTokenApiTest extends ApiContractTest {
  private static final String APPS = "/api/v1/app";
  private static final String PORTAL_ACCESS = "/api/v1/auth/app-portal-access/";
  private static final String TYPES = "/api/v1/event-type";

  private final MutableClock clock = MutableClock.atSystemTime();
  private Receiver receiver;

  @Override
  protected InstantSource clock() {
    return clock;
  }

  @Override
  protected Map<String, String> settings() {
    return Map.of("HERALD_PORTAL_TOKEN_TTL", "2h", "HERALD_SSRF_ALLOW", "127.0.0.0/8");
  }

  @BeforeParameterizedClassInvocation
  void startReceiver() {
    receiver = Receiver.start();
  }

  @AfterParameterizedClassInvocation
  void closeReceiver() {
    receiver.close();
  }

  /** An application with one endpoint and one message sent to it, made with the org key. */
  private record Fixture(String app, String endpoint, String msg) {
    String endpoints() {
      return APPS + "/" + app + "/endpoint";
    }

    String ep() {
      return endpoints() + "/" + endpoint;
    }
  }

  private Fixture fixture() {
    String app = created(api.post(APPS, Map.of("name", "Portal", "uid", uniqueUid("portal-app"))));
    String endpoint =
        created(api.post(APPS + "/" + app + "/endpoint", Map.of("url", receiver.url("/" + app))));
    Api.Response msg =
        api.post(
            APPS + "/" + app + "/msg",
            Map.of("eventType", "portal.test", "payload", Map.of("n", 1)));
    assertThat(msg.status()).as("%s", msg).isEqualTo(202);
    return new Fixture(app, endpoint, msg.field("id"));
  }

  private static String created(Api.Response r) {
    assertThat(r.status()).as("%s", r).isIn(200, 201);
    return r.field("id");
  }

  private Api.Response access(Api org, String app, Map<String, ?> body) {
    return org.post(PORTAL_ACCESS + app, body);
  }

  private String token(Api org, String app, Map<String, ?> body) {
    Api.Response r = access(org, app, body);
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.field("token");
  }

  private Api portal(String app, Map<String, ?> body) {
    return server.api(token(api, app, body));
  }

  private Api portalWith(String app, String... capabilities) {
    return portal(app, Map.of("capabilities", List.of(capabilities)));
  }

  private Principal principalOf(String token) {
    return server.herald().auth().authenticate(token);
  }

  private static void assertRefused(Api.Response r) {
    assertThat(r.status()).as("%s", r).isEqualTo(403);
    assertThat(r.field("code")).isEqualTo("insufficient_capability");
  }

  private static void assertAllowed(Api.Response r) {
    assertThat(r.status()).as("%s", r).isBetween(200, 299);
  }

  private static void assertUnauthorized(Api.Response r) {
    assertThat(r.status()).as("%s", r).isEqualTo(401);
    assertThat(r.field("code")).isEqualTo("authentication_failed");
  }

  private String since() {
    return clock.instant().minus(Duration.ofHours(1)).toString();
  }

  // ---- capabilities ----

  @Test
  void a_view_base_token_reads_everything_but_secrets_and_changes_nothing() {
    Fixture f = fixture();
    Api portal = portalWith(f.app(), "ViewBase");
    String msgs = APPS + "/" + f.app() + "/msg";

    for (String path :
        List.of(
            APPS + "/" + f.app(),
            f.endpoints(),
            f.ep(),
            f.ep() + "/headers",
            f.ep() + "/stats",
            msgs,
            msgs + "/" + f.msg(),
            APPS + "/" + f.app() + "/attempt/msg/" + f.msg(),
            APPS + "/" + f.app() + "/attempt/endpoint/" + f.endpoint(),
            f.ep() + "/msg",
            msgs + "/" + f.msg() + "/endpoint",
            TYPES)) {
      assertAllowed(portal.get(path));
    }
    assertRefused(portal.get(f.ep() + "/secret"));
    assertRefused(portal.post(f.ep() + "/secret/rotate", Map.of()));
    assertRefused(portal.post(f.endpoints(), Map.of("url", receiver.url("/new"))));
    assertRefused(portal.patch(f.ep(), Map.of("description", "changed")));
    assertRefused(portal.put(f.ep(), Map.of("url", receiver.url("/put"))));
    assertRefused(portal.delete(f.ep()));
    assertRefused(portal.put(f.ep() + "/headers", Map.of("headers", Map.of("X-A", "1"))));
    assertRefused(portal.patch(f.ep() + "/headers", Map.of("headers", Map.of("X-A", "1"))));
    assertRefused(
        portal.post(msgs + "/" + f.msg() + "/endpoint/" + f.endpoint() + "/resend", Map.of()));
    assertRefused(portal.post(f.ep() + "/recover", Map.of("since", since())));
    assertRefused(portal.post(f.ep() + "/send-example", Map.of("eventType", "portal.test")));
    assertRefused(portal.post(msgs, Map.of("eventType", "portal.test", "payload", Map.of())));
    assertRefused(portal.delete(msgs + "/" + f.msg() + "/content"));

    Api.Response endpoint = api.get(f.ep());
    assertThat(endpoint.status()).isEqualTo(200);
    assertThat(endpoint.field("description")).isNotEqualTo("changed");
    assertThat(api.get(f.endpoints()).body().path("data").size()).isEqualTo(1);
  }

  @Test
  void view_endpoint_secret_reads_the_secret_but_cannot_rotate_it() {
    Fixture f = fixture();
    Api portal = portalWith(f.app(), "ViewBase", "ViewEndpointSecret");

    Api.Response secret = portal.get(f.ep() + "/secret");

    assertThat(secret.status()).isEqualTo(200);
    assertThat(secret.field("key")).isEqualTo(api.get(f.ep() + "/secret").field("key"));
    assertRefused(portal.post(f.ep() + "/secret/rotate", Map.of()));
    assertRefused(portal.patch(f.ep(), Map.of("description", "x")));
  }

  @Test
  void manage_endpoint_secret_rotates_and_reads_the_secret_but_cannot_change_the_endpoint() {
    Fixture f = fixture();
    Api portal = portalWith(f.app(), "ViewBase", "ManageEndpointSecret");
    String before = api.get(f.ep() + "/secret").field("key");

    assertThat(portal.post(f.ep() + "/secret/rotate", Map.of()).status()).isEqualTo(204);

    String after = portal.get(f.ep() + "/secret").field("key");
    assertThat(after).isNotEqualTo(before).isEqualTo(api.get(f.ep() + "/secret").field("key"));
    assertRefused(portal.patch(f.ep(), Map.of("description", "x")));
    assertRefused(portal.post(f.endpoints(), Map.of("url", receiver.url("/more"))));
  }

  @Test
  void create_attempts_resends_recovers_sends_examples_and_messages_but_cannot_change_endpoints() {
    Fixture f = fixture();
    Api portal = portalWith(f.app(), "ViewBase", "CreateAttempts");
    String msgs = APPS + "/" + f.app() + "/msg";

    assertThat(
            portal
                .post(msgs + "/" + f.msg() + "/endpoint/" + f.endpoint() + "/resend", Map.of())
                .status())
        .isEqualTo(202);
    assertThat(portal.post(f.ep() + "/recover", Map.of("since", since())).status()).isEqualTo(202);
    assertThat(portal.post(f.ep() + "/send-example", Map.of("eventType", "portal.test")).status())
        .isEqualTo(200);
    assertThat(portal.post(msgs, Map.of("eventType", "portal.test", "payload", Map.of())).status())
        .isEqualTo(202);

    assertRefused(portal.patch(f.ep(), Map.of("description", "x")));
    assertRefused(portal.get(f.ep() + "/secret"));
    assertRefused(portal.delete(msgs + "/" + f.msg() + "/content"));
  }

  @Test
  void manage_endpoint_creates_changes_and_deletes_endpoints_with_their_headers_and_secrets() {
    Fixture f = fixture();
    Api portal = portalWith(f.app(), "ViewBase", "ManageEndpoint");

    String made = created(portal.post(f.endpoints(), Map.of("url", receiver.url("/made"))));
    String one = f.endpoints() + "/" + made;
    assertThat(portal.patch(one, Map.of("description", "mine")).field("description"))
        .isEqualTo("mine");
    assertThat(portal.put(one + "/headers", Map.of("headers", Map.of("X-Portal", "1"))).status())
        .isEqualTo(204);
    assertThat(portal.get(one + "/secret").status()).isEqualTo(200);
    assertThat(portal.post(one + "/secret/rotate", Map.of()).status()).isEqualTo(204);
    assertThat(portal.delete(one).status()).isEqualTo(204);
    assertThat(api.get(one).status()).isEqualTo(404);

    assertRefused(
        portal.post(
            APPS + "/" + f.app() + "/msg/" + f.msg() + "/endpoint/" + f.endpoint() + "/resend",
            Map.of()));
    assertRefused(portal.post(f.ep() + "/send-example", Map.of("eventType", "portal.test")));
  }

  @Test
  void manage_transformations_is_accepted_and_recorded_and_grants_no_other_write() {
    Fixture f = fixture();
    String token =
        token(api, f.app(), Map.of("capabilities", List.of("ViewBase", "ManageTransformations")));

    assertThat(principalOf(token).capabilities())
        .containsExactlyInAnyOrder(Capability.VIEW_BASE, Capability.MANAGE_TRANSFORMATIONS);
    assertRefused(server.api(token).post(f.endpoints(), Map.of("url", receiver.url("/t"))));
    assertAllowed(server.api(token).get(f.endpoints()));
  }

  @Test
  void read_only_means_view_base_only_and_overrides_the_capabilities_given() {
    Fixture f = fixture();
    String token =
        token(
            api,
            f.app(),
            Map.of(
                "readOnly",
                true,
                "capabilities",
                List.of("ViewBase", "ManageEndpoint", "CreateAttempts")));
    Api portal = server.api(token);

    assertThat(principalOf(token).capabilities()).containsExactly(Capability.VIEW_BASE);
    assertAllowed(portal.get(f.ep()));
    assertRefused(portal.post(f.endpoints(), Map.of("url", receiver.url("/ro"))));
    assertRefused(portal.post(f.ep() + "/send-example", Map.of("eventType", "portal.test")));
    assertRefused(portal.get(f.ep() + "/secret"));
  }

  @Test
  void read_only_false_and_no_capabilities_keep_every_capability_as_before() {
    Fixture f = fixture();

    for (Map<String, ?> body :
        List.of(
            Map.<String, Object>of(),
            Map.of("readOnly", false),
            Map.of("capabilities", List.of()))) {
      String token = token(api, f.app(), body);
      Api portal = server.api(token);
      assertThat(principalOf(token).capabilities())
          .as("%s", body)
          .containsExactlyInAnyOrder(Capability.values());
      assertThat(portal.get(f.ep() + "/secret").status()).as("%s", body).isEqualTo(200);
      assertThat(
              portal
                  .post(
                      APPS
                          + "/"
                          + f.app()
                          + "/msg/"
                          + f.msg()
                          + "/endpoint/"
                          + f.endpoint()
                          + "/resend",
                      Map.of())
                  .status())
          .as("%s", body)
          .isEqualTo(202);
      String made = created(portal.post(f.endpoints(), Map.of("url", receiver.url("/all"))));
      assertThat(portal.delete(f.endpoints() + "/" + made).status()).isEqualTo(204);
    }
  }

  @Test
  void org_keys_are_not_limited_by_capabilities() {
    Fixture f = fixture();
    portalWith(f.app(), "ViewBase");

    assertThat(api.get(f.ep() + "/secret").status()).isEqualTo(200);
    assertThat(api.patch(f.ep(), Map.of("description", "org")).status()).isEqualTo(200);
  }

  @Test
  void unknown_capabilities_and_lists_without_view_base_answer_422_and_issue_no_token() {
    Fixture f = fixture();

    for (Object capabilities :
        List.of(
            List.of("ViewBase", "Superuser"), List.of("ManageEndpoint"), "ViewBase", List.of(1))) {
      Api.Response r = access(api, f.app(), Map.of("capabilities", capabilities));
      assertThat(r.status()).as("%s: %s", capabilities, r).isEqualTo(422);
      assertThat(errorLocations(r)).as("%s", capabilities).contains("body.capabilities");
      assertThat(r.field("token")).isNull();
    }
    Api.Response unknown =
        access(api, f.app(), Map.of("capabilities", List.of("ViewBase", "Superuser")));
    assertThat(unknown.body().path("detail").get(0).path("msg").asText()).contains("Superuser");
  }

  @Test
  void a_session_id_of_the_wrong_shape_answers_422() {
    Fixture f = fixture();

    for (Object sessionId : List.of("", "has space", "x".repeat(257), 7)) {
      Api.Response r = access(api, f.app(), Map.of("sessionId", sessionId));
      assertThat(r.status()).as("%s: %s", sessionId, r).isEqualTo(422);
      assertThat(errorLocations(r)).containsExactly("body.sessionId");
    }
  }

  // ---- expiry ----

  @Test
  void an_expiry_outside_one_hour_to_seven_days_answers_422() {
    Fixture f = fixture();

    for (Object expiry : List.of(3599, 604801, 0, -1, "3600", 3600.5)) {
      Api.Response r = access(api, f.app(), Map.of("expiry", expiry));
      assertThat(r.status()).as("%s: %s", expiry, r).isEqualTo(422);
      assertThat(errorLocations(r)).containsExactly("body.expiry");
    }
    assertThat(access(api, f.app(), Map.of("expiry", 3600)).status()).isEqualTo(200);
    assertThat(access(api, f.app(), Map.of("expiry", 604800)).status()).isEqualTo(200);
  }

  @Test
  void a_token_issued_for_an_hour_stops_working_after_an_hour() {
    Fixture f = fixture();
    String token = token(api, f.app(), Map.of("expiry", 3600));
    Api portal = server.api(token);
    var issued = clock.instant();

    assertThat(principalOf(token).expiresAt()).isEqualTo(issued.plusSeconds(3600));
    clock.advance(Duration.ofSeconds(3599));
    assertAllowed(portal.get(f.ep()));
    clock.advance(Duration.ofSeconds(1));
    assertUnauthorized(portal.get(f.ep()));
  }

  @Test
  void without_an_expiry_a_token_lives_for_the_configured_ttl() {
    Fixture f = fixture();
    Api portal = portal(f.app(), Map.of());

    clock.advance(Duration.ofMinutes(119));
    assertAllowed(portal.get(f.ep()));
    clock.advance(Duration.ofMinutes(1));
    assertUnauthorized(portal.get(f.ep()));
  }

  // ---- feature flags ----

  private static Map<String, Object> eventType(String name, String flag) {
    Map<String, Object> body = new HashMap<>(Map.of("name", name, "description", name));
    if (flag != null) {
      body.put("featureFlag", flag);
    }
    return body;
  }

  /** A new org with three event types: one without a flag, one flagged beta, one flagged gamma. */
  private Api orgWithFlaggedEventTypes() {
    Api org = newOrg();
    assertThat(org.post(TYPES, eventType("plain.event", null)).status()).isEqualTo(201);
    assertThat(org.post(TYPES, eventType("beta.event", "beta")).status()).isEqualTo(201);
    assertThat(org.post(TYPES, eventType("gamma.event", "gamma")).status()).isEqualTo(201);
    return org;
  }

  private String appOf(Api org) {
    return created(org.post(APPS, Map.of("name", "Flags", "uid", uniqueUid("flags"))));
  }

  @Test
  void event_types_carrying_a_flag_the_token_lacks_are_hidden_from_it() {
    Api org = orgWithFlaggedEventTypes();
    String app = appOf(org);
    Api none = server.api(token(org, app, Map.of()));
    Api beta = server.api(token(org, app, Map.of("featureFlags", List.of("beta"))));

    assertThat(listAll(none, TYPES, "limit=1", "name")).containsExactly("plain.event");
    assertThat(none.get(TYPES + "/beta.event").status()).isEqualTo(404);
    assertThat(listAll(beta, TYPES, "limit=1", "name"))
        .containsExactly("beta.event", "plain.event");
    assertThat(beta.get(TYPES + "/beta.event").status()).isEqualTo(200);
    assertThat(beta.get(TYPES + "/gamma.event").status()).isEqualTo(404);
    assertThat(listAll(org, TYPES, "limit=1", "name"))
        .containsExactly("beta.event", "gamma.event", "plain.event");
  }

  @Test
  void a_token_cannot_subscribe_an_endpoint_to_an_event_type_hidden_from_it() {
    Api org = orgWithFlaggedEventTypes();
    String app = appOf(org);
    String endpoints = APPS + "/" + app + "/endpoint";
    Api none = server.api(token(org, app, Map.of()));
    Api beta = server.api(token(org, app, Map.of("featureFlags", List.of("beta"))));

    Api.Response hidden =
        none.post(
            endpoints,
            Map.of("url", receiver.url("/h"), "filterTypes", List.of("plain.event", "beta.event")));
    Api.Response unknown =
        none.post(
            endpoints, Map.of("url", receiver.url("/u"), "filterTypes", List.of("no.such.event")));

    assertThat(hidden.status()).as("%s", hidden).isEqualTo(422);
    assertThat(errorLocations(hidden)).containsExactly("body.eventTypes");
    assertThat(hidden.body().path("detail").get(0).path("type").asText())
        .isEqualTo(unknown.body().path("detail").get(0).path("type").asText());
    assertThat(org.get(endpoints).body().path("data").size()).isZero();
    assertThat(
            beta.post(
                    endpoints,
                    Map.of("url", receiver.url("/b"), "filterTypes", List.of("beta.event")))
                .status())
        .isEqualTo(201);
  }

  @Test
  void a_token_may_keep_but_not_add_hidden_event_types_when_changing_an_endpoint() {
    Api org = orgWithFlaggedEventTypes();
    String app = appOf(org);
    String ep =
        APPS
            + "/"
            + app
            + "/endpoint/"
            + created(
                org.post(
                    APPS + "/" + app + "/endpoint",
                    Map.of("url", receiver.url("/k"), "filterTypes", List.of("beta.event"))));
    Api none = server.api(token(org, app, Map.of()));

    assertThat(none.patch(ep, Map.of("description", "kept")).status()).isEqualTo(200);
    Api.Response added =
        none.patch(ep, Map.of("filterTypes", List.of("beta.event", "gamma.event")));
    Api.Response put =
        none.put(ep, Map.of("url", receiver.url("/k"), "filterTypes", List.of("gamma.event")));

    assertThat(added.status()).as("%s", added).isEqualTo(422);
    assertThat(put.status()).as("%s", put).isEqualTo(422);
    assertThat(org.get(ep).body().path("filterTypes").toString()).isEqualTo("[\"beta.event\"]");
  }

  @Test
  void send_example_of_an_event_type_hidden_from_the_token_lends_it_no_example() {
    Api org = newOrg();
    Map<String, Object> type = eventType("secret.event", "beta");
    type.put(
        "schemas",
        Map.of(
            "1", Map.of("type", "object", "examples", List.of(Map.of("hidden", "beta-example")))));
    assertThat(org.post(TYPES, type).status()).isEqualTo(201);
    String app = appOf(org);
    String ep =
        APPS
            + "/"
            + app
            + "/endpoint/"
            + created(
                org.post(APPS + "/" + app + "/endpoint", Map.of("url", receiver.url("/example"))));
    Api none = server.api(token(org, app, Map.of()));
    Api beta = server.api(token(org, app, Map.of("featureFlags", List.of("beta"))));

    Api.Response withoutFlag = none.post(ep + "/send-example", Map.of("eventType", "secret.event"));
    Api.Response withFlag = beta.post(ep + "/send-example", Map.of("eventType", "secret.event"));

    assertThat(withoutFlag.status()).as("%s", withoutFlag).isEqualTo(200);
    assertThat(withoutFlag.body().path("payload").toString()).doesNotContain("beta-example");
    assertThat(withFlag.body().path("payload").path("hidden").asText()).isEqualTo("beta-example");
  }

  // ---- sessions and expire-all ----

  private String expireAll(String app) {
    return "/api/v1/auth/app/" + app + "/expire-all";
  }

  @Test
  void the_principal_exposes_what_the_token_was_issued_with() {
    Fixture f = fixture();
    String token =
        token(
            api,
            f.app(),
            Map.of(
                "capabilities",
                List.of("ViewBase", "ManageEndpointSecret"),
                "featureFlags",
                List.of("beta", "gamma"),
                "sessionId",
                "session-1",
                "expiry",
                7200));

    Principal p = principalOf(token);

    assertThat(p.appId()).isEqualTo(f.app());
    assertThat(p.capabilities())
        .containsExactlyInAnyOrder(
            Capability.VIEW_BASE,
            Capability.MANAGE_ENDPOINT_SECRET,
            Capability.VIEW_ENDPOINT_SECRET);
    assertThat(p.featureFlags().granted()).containsExactlyInAnyOrder("beta", "gamma");
    assertThat(p.sessionId()).isEqualTo("session-1");
    assertThat(p.expiresAt()).isEqualTo(clock.instant().plusSeconds(7200));
    assertThat(principalOf(server.adminKey()).capabilities())
        .containsExactlyInAnyOrder(Capability.values());
    assertThat(principalOf(server.adminKey()).featureFlags().restricted()).isFalse();
  }

  @Test
  void expire_all_ends_every_portal_token_of_the_application_and_no_other() {
    Fixture f = fixture();
    Fixture other = fixture();
    Api withSession = portal(f.app(), Map.of("sessionId", "s1"));
    Api withoutSession = portal(f.app(), Map.of());
    Api otherApp = portal(other.app(), Map.of("sessionId", "s1"));

    Api.Response r = api.post(expireAll(f.app()), Map.of());

    assertThat(r.status()).as("%s", r).isEqualTo(204);
    assertUnauthorized(withSession.get(f.ep()));
    assertUnauthorized(withoutSession.get(f.ep()));
    assertAllowed(otherApp.get(other.ep()));
    assertAllowed(api.get(f.ep()));
    assertAllowed(portal(f.app(), Map.of()).get(f.ep()));
  }

  @Test
  void expire_all_by_uid_and_without_a_body_works_too() {
    String uid = uniqueUid("expire-uid");
    created(api.post(APPS, Map.of("name", "By uid", "uid", uid)));
    Api portal = portal(uid, Map.of());

    Api.Response r = api.send("POST", expireAll(uid), null, Map.of());

    assertThat(r.status()).as("%s", r).isEqualTo(204);
    assertUnauthorized(portal.get(APPS + "/" + uid));
  }

  @Test
  void expire_all_with_session_ids_ends_only_those_sessions() {
    Fixture f = fixture();
    Api first = portal(f.app(), Map.of("sessionId", "s1"));
    Api second = portal(f.app(), Map.of("sessionId", "s2"));
    Api third = portal(f.app(), Map.of("sessionId", "s3"));
    Api none = portal(f.app(), Map.of());

    assertThat(api.post(expireAll(f.app()), Map.of("sessionIds", List.of("s1", "s3"))).status())
        .isEqualTo(204);

    assertUnauthorized(first.get(f.ep()));
    assertAllowed(second.get(f.ep()));
    assertUnauthorized(third.get(f.ep()));
    assertAllowed(none.get(f.ep()));
  }

  @Test
  void expire_all_with_an_expiry_ends_the_tokens_that_many_seconds_later() {
    Fixture f = fixture();
    Api portal = portal(f.app(), Map.of());
    Api soon = portal(f.app(), Map.of("expiry", 3600));

    // The configured TTL is two hours: 5400 s cuts the first token short, not the second.
    assertThat(api.post(expireAll(f.app()), Map.of("expiry", 5400)).status()).isEqualTo(204);

    clock.advance(Duration.ofSeconds(3600));
    assertUnauthorized(soon.get(f.ep()));
    assertAllowed(portal.get(f.ep()));
    clock.advance(Duration.ofSeconds(1799));
    assertAllowed(portal.get(f.ep()));
    clock.advance(Duration.ofSeconds(1));
    assertUnauthorized(portal.get(f.ep()));
  }

  @Test
  void expire_all_is_for_org_keys_and_refuses_bad_bodies() {
    Fixture f = fixture();
    Api portal = portal(f.app(), Map.of());

    Api.Response byPortal = portal.post(expireAll(f.app()), Map.of());
    assertThat(byPortal.status()).isEqualTo(403);
    assertThat(byPortal.field("code")).isEqualTo("insufficient_access");
    assertThat(api.post(expireAll(uniqueUid("missing")), Map.of()).status()).isEqualTo(404);
    for (Map<String, ?> body :
        List.of(
            Map.of("expiry", -1),
            Map.of("expiry", 259201),
            Map.of("sessionIds", "s1"),
            Map.of("sessionIds", List.of("")))) {
      Api.Response r = api.post(expireAll(f.app()), body);
      assertThat(r.status()).as("%s: %s", body, r).isEqualTo(422);
    }
    assertAllowed(portal.get(f.ep()));
  }
}
