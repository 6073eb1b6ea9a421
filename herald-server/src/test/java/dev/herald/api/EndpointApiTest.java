package dev.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.testing.Api;
import dev.herald.testing.ApiContractTest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code /api/v1/app/{app_id}/endpoint}: endpoints, their secrets and custom headers. */
class EndpointApiTest extends ApiContractTest {
  static final String APPS = "/api/v1/app";
  static final String TYPES = "/api/v1/event-type";
  static final String URL = "https://example.com/webhook";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A new application in the given org; returns its id. */
  private static String newApp(Api client) {
    Api.Response r = client.post(APPS, Map.of("name", "Endpoint owner"));
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return r.field("id");
  }

  private static String endpoints(String app) {
    return APPS + "/" + app + "/endpoint";
  }

  private static Map<String, Object> endpoint(String url) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("url", url);
    return body;
  }

  private static Api.Response create(Api client, String app, Object body) {
    Api.Response r = client.post(endpoints(app), body);
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return r;
  }

  private static void createEventTypes(Api client, String... names) {
    for (String name : names) {
      Api.Response r = client.post(TYPES, Map.of("name", name, "description", "Type " + name));
      assertThat(r.status()).as("%s", r).isIn(201, 409);
    }
  }

  private static List<String> listAll(Api client, String app, String query) {
    return listAll(client, endpoints(app), query, "id");
  }

  private static int countEndpoints(Api client, String app) {
    return listAll(client, app, "limit=250").size();
  }

  private static String base64(int bytes) {
    byte[] key = new byte[bytes];
    RANDOM.nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  private static Map<String, Object> nullable(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  // ---- create, get, list ----

  @Test
  void creating_an_endpoint_answers_201_with_every_field() {
    String app = newApp(api);
    String type = uniqueUid("ep.created");
    createEventTypes(api, type);
    String uid = uniqueUid("ep");
    Map<String, Object> body = endpoint(URL);
    body.put("uid", uid);
    body.put("description", "Main hook");
    body.put("eventTypes", List.of(type));
    body.put("channels", List.of("project_1", "group-2"));
    body.put("throttleRate", 25);
    body.put("metadata", Map.of("team", "billing"));

    JsonNode ep = create(api, app, body).body();

    assertThat(ep.path("id").asText()).startsWith("ep_").doesNotContain(".");
    assertThat(ep.path("uid").asText()).isEqualTo(uid);
    assertThat(ep.path("url").asText()).isEqualTo(URL);
    assertThat(ep.path("description").asText()).isEqualTo("Main hook");
    assertThat(ep.path("disabled").asBoolean()).isFalse();
    assertThat(ep.path("eventTypes")).extracting(JsonNode::asText).containsExactly(type);
    assertThat(ep.path("channels"))
        .extracting(JsonNode::asText)
        .containsExactlyInAnyOrder("project_1", "group-2");
    assertThat(ep.path("throttleRate").asInt()).isEqualTo(25);
    assertThat(ep.path("metadata").path("team").asText()).isEqualTo("billing");
    assertThat(ep.path("version").asInt()).isEqualTo(1);
    assertThat(ep.path("createdAt").asText()).isNotEmpty();
    assertThat(ep.path("updatedAt").asText()).isEqualTo(ep.path("createdAt").asText());
    assertThat(ep.has("secret")).as("the secret is never part of EndpointOut").isFalse();
    assertThat(ep.has("headers")).isFalse();
  }

  @Test
  void an_endpoint_created_with_only_a_url_has_empty_defaults() {
    JsonNode ep = create(api, newApp(api), endpoint(URL)).body();

    assertThat(ep.path("uid").isNull()).isTrue();
    assertThat(ep.path("description").asText()).isEmpty();
    assertThat(ep.path("eventTypes").isNull()).isTrue();
    assertThat(ep.path("channels").isNull()).isTrue();
    assertThat(ep.path("throttleRate").isNull()).isTrue();
    assertThat(ep.path("metadata").isObject()).isTrue();
    assertThat(ep.path("metadata").size()).isZero();
  }

  @Test
  void an_endpoint_is_found_by_id_and_by_uid_under_the_app_id_or_uid() {
    String appUid = uniqueUid("owner");
    String app = api.post(APPS, Map.of("name", "Owner", "uid", appUid)).field("id");
    String uid = uniqueUid("ep");
    Map<String, Object> body = endpoint(URL);
    body.put("uid", uid);
    JsonNode created = create(api, app, body).body();
    String id = created.path("id").asText();

    for (String path :
        List.of(
            endpoints(app) + "/" + id,
            endpoints(app) + "/" + uid,
            endpoints(appUid) + "/" + id,
            endpoints(appUid) + "/" + uid)) {
      Api.Response r = api.get(path);
      assertThat(r.status()).as("GET %s", path).isEqualTo(200);
      assertThat(r.body()).isEqualTo(created);
    }
  }

  @Test
  void an_endpoint_of_another_application_is_not_found() {
    String mine = newApp(api);
    String other = newApp(api);
    String id = create(api, mine, endpoint(URL)).field("id");

    assertThat(api.get(endpoints(other) + "/" + id).status()).isEqualTo(404);
    assertThat(api.patch(endpoints(other) + "/" + id, Map.of("description", "x")).status())
        .isEqualTo(404);
    assertThat(api.delete(endpoints(other) + "/" + id).status()).isEqualTo(404);
  }

  @Test
  void endpoints_of_an_unknown_application_answer_404() {
    String ghost = uniqueUid("ghost-app");

    assertThat(api.get(endpoints(ghost)).status()).isEqualTo(404);
    assertThat(api.post(endpoints(ghost), endpoint(URL)).status()).isEqualTo(404);
  }

  @Test
  void getting_an_unknown_endpoint_answers_404() {
    Api.Response r = api.get(endpoints(newApp(api)) + "/" + uniqueUid("nothing"));

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.field("code")).isEqualTo("not_found");
  }

  @Test
  void the_list_pages_through_every_endpoint_oldest_first() {
    String app = newApp(api);
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      created.add(create(api, app, endpoint(URL + "/" + i)).field("id"));
    }

    Api.Response first = api.get(endpoints(app) + "?limit=2");

    assertThat(ids(first)).containsExactlyElementsOf(created.subList(0, 2));
    assertThat(first.body().path("done").asBoolean()).isFalse();
    assertThat(listAll(api, app, "limit=2")).isEqualTo(created);
    assertThat(listAll(api, app, "limit=2&order=descending")).isEqualTo(created.reversed());
  }

  @Test
  void the_list_shows_only_the_applications_own_endpoints() {
    String mine = newApp(api);
    String other = newApp(api);
    String id = create(api, mine, endpoint(URL)).field("id");
    create(api, other, endpoint(URL));

    assertThat(listAll(api, mine, "limit=250")).containsExactly(id);
  }

  @Test
  void a_second_endpoint_with_the_same_uid_in_the_app_answers_409() {
    String app = newApp(api);
    String uid = uniqueUid("ep");
    Map<String, Object> body = endpoint(URL);
    body.put("uid", uid);
    create(api, app, body);

    Api.Response r = api.post(endpoints(app), body);

    assertThat(r.status()).isEqualTo(409);
    assertThat(r.field("detail")).contains(uid);
    assertThat(countEndpoints(api, app)).isEqualTo(1);
  }

  @Test
  void the_same_endpoint_uid_is_free_in_another_application() {
    String uid = uniqueUid("ep");
    Map<String, Object> body = endpoint(URL);
    body.put("uid", uid);
    create(api, newApp(api), body);

    assertThat(api.post(endpoints(newApp(api)), body).status()).isEqualTo(201);
  }

  @Test
  void filter_types_is_accepted_as_the_svix_sdk_name_for_event_types_and_is_echoed() {
    String app = newApp(api);
    String type = uniqueUid("sdk.type");
    createEventTypes(api, type);
    Map<String, Object> body = endpoint(URL);
    body.put("filterTypes", List.of(type));

    JsonNode created = create(api, app, body).body();
    String id = created.path("id").asText();
    JsonNode cleared = api.patch(endpoints(app) + "/" + id, nullable("filterTypes", null)).body();
    Api.Response unknown =
        api.post(endpoints(app), Map.of("url", URL, "filterTypes", List.of(uniqueUid("nope"))));

    assertThat(created.path("eventTypes")).extracting(JsonNode::asText).containsExactly(type);
    assertThat(created.path("filterTypes")).isEqualTo(created.path("eventTypes"));
    assertThat(cleared.path("eventTypes").isNull()).isTrue();
    assertThat(cleared.path("filterTypes").isNull()).isTrue();
    assertThat(unknown.status()).isEqualTo(422);
  }

  // ---- validation ----

  @Test
  void event_types_must_exist_and_the_422_names_every_missing_one() {
    String app = newApp(api);
    String known = uniqueUid("known");
    createEventTypes(api, known);
    String missingA = uniqueUid("missing.a");
    String missingB = uniqueUid("missing.b");
    Map<String, Object> body = endpoint(URL);
    body.put("eventTypes", List.of(known, missingA, missingB));

    Api.Response r = api.post(endpoints(app), body);

    assertThat(r.status()).isEqualTo(422);
    assertThat(errorLocations(r)).containsExactly("body.eventTypes");
    String msg = r.body().path("detail").get(0).path("msg").asText();
    assertThat(msg).contains(missingA, missingB).doesNotContain(known);
    assertThat(countEndpoints(api, app)).isZero();
  }

  @Test
  void eleven_channels_answer_422_and_ten_are_accepted() {
    String app = newApp(api);
    List<String> ten = IntStream.range(0, 10).mapToObj(i -> "ch" + i).toList();
    List<String> eleven = IntStream.range(0, 11).mapToObj(i -> "ch" + i).toList();
    Map<String, Object> ok = endpoint(URL);
    ok.put("channels", ten);
    Map<String, Object> tooMany = endpoint(URL);
    tooMany.put("channels", eleven);

    Api.Response rejected = api.post(endpoints(app), tooMany);

    assertThat(rejected.status()).isEqualTo(422);
    assertThat(errorLocations(rejected)).containsExactly("body.channels");
    assertThat(api.post(endpoints(app), ok).status()).isEqualTo(201);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"has space", "star*", "slash/es", ""})
  void a_channel_outside_the_allowed_pattern_answers_422(String channel) {
    Map<String, Object> body = endpoint(URL);
    body.put("channels", List.of("good", channel));

    Api.Response r = api.post(endpoints(newApp(api)), body);

    assertThat(r.status()).isEqualTo(422);
    assertThat(errorLocations(r)).containsExactly("body.channels");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "ftp://example.com/hook",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "example.com/hook",
        "https://",
        ""
      })
  void a_url_that_is_not_http_or_https_answers_422(String url) {
    Api.Response r = api.post(endpoints(newApp(api)), endpoint(url));

    assertThat(r.status()).as("%s", r).isEqualTo(422);
    assertThat(errorLocations(r)).containsExactly("body.url");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"http://example.com/hook", "https://example.com:8443/a?b=c"})
  void http_and_https_urls_are_accepted(String url) {
    assertThat(create(api, newApp(api), endpoint(url)).field("url")).isEqualTo(url);
  }

  static Stream<Arguments> acceptedSecrets() {
    String b24 = base64(24);
    String b64 = base64(64);
    String b32 = base64(32);
    return Stream.of(
        Arguments.of("whsec_ and 24 bytes", "whsec_" + b24, "whsec_" + b24),
        Arguments.of("whsec_ and 64 bytes", "whsec_" + b64, "whsec_" + b64),
        Arguments.of("bare base64 gets the prefix", b32, "whsec_" + b32),
        Arguments.of("whsk_ ed25519 seed", "whsk_" + b32, "whsk_" + b32));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("acceptedSecrets")
  void a_supplied_secret_is_accepted_and_read_back(String caseName, String secret, String stored) {
    String app = newApp(api);
    Map<String, Object> body = endpoint(URL);
    body.put("secret", secret);

    String id = create(api, app, body).field("id");

    assertThat(api.get(endpoints(app) + "/" + id + "/secret").field("key")).isEqualTo(stored);
  }

  static Stream<Arguments> rejectedSecrets() {
    return Stream.of(
        Arguments.of("garbage", "not a secret at all"),
        Arguments.of("whsec_ and 16 bytes", "whsec_" + base64(16)),
        Arguments.of("whsec_ and 65 bytes", "whsec_" + base64(65)),
        Arguments.of("whsec_ and bad base64", "whsec_" + "!".repeat(40)),
        Arguments.of("whsk_ of the wrong length", "whsk_" + base64(40)),
        Arguments.of("not a string", 12345));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejectedSecrets")
  void a_malformed_secret_answers_422_and_creates_nothing(String caseName, Object secret) {
    String app = newApp(api);
    Map<String, Object> body = endpoint(URL);
    body.put("secret", secret);

    Api.Response r = api.post(endpoints(app), body);

    assertThat(r.status()).as("%s", r).isEqualTo(422);
    assertThat(errorLocations(r)).containsExactly("body.secret");
    assertThat(countEndpoints(api, app)).isZero();
  }

  @Test
  void a_422_lists_every_broken_rule_at_once() {
    Map<String, Object> body = endpoint("ftp://x");
    body.put("uid", "bad uid");
    body.put("throttleRate", 0);
    body.put("secret", "nope");

    Api.Response r = api.post(endpoints(newApp(api)), body);

    assertThat(r.status()).isEqualTo(422);
    assertThat(errorLocations(r))
        .containsExactlyInAnyOrder("body.url", "body.uid", "body.throttleRate", "body.secret");
  }

  @Test
  void a_missing_url_answers_422() {
    Api.Response r = api.post(endpoints(newApp(api)), Map.of("description", "no url"));

    assertThat(r.status()).isEqualTo(422);
    assertThat(errorLocations(r)).containsExactly("body.url");
  }

  // ---- put, patch, delete ----

  @Test
  void put_replaces_every_field_and_answers_200() {
    String app = newApp(api);
    String type = uniqueUid("put.type");
    createEventTypes(api, type);
    Map<String, Object> body = endpoint(URL);
    body.put("description", "Before");
    body.put("eventTypes", List.of(type));
    body.put("channels", List.of("a"));
    body.put("throttleRate", 5);
    body.put("metadata", Map.of("old", "1"));
    JsonNode created = create(api, app, body).body();
    String id = created.path("id").asText();

    Api.Response r =
        api.put(
            endpoints(app) + "/" + id, Map.of("url", URL + "/v2", "metadata", Map.of("new", "2")));

    assertThat(r.status()).isEqualTo(200);
    JsonNode ep = r.body();
    assertThat(ep.path("id").asText()).isEqualTo(id);
    assertThat(ep.path("url").asText()).isEqualTo(URL + "/v2");
    assertThat(ep.path("description").asText()).isEmpty();
    assertThat(ep.path("eventTypes").isNull()).isTrue();
    assertThat(ep.path("channels").isNull()).isTrue();
    assertThat(ep.path("throttleRate").isNull()).isTrue();
    assertThat(ep.path("metadata").properties()).hasSize(1);
    assertThat(ep.path("createdAt")).isEqualTo(created.path("createdAt"));
    assertThat(api.get(endpoints(app) + "/" + id).body()).isEqualTo(ep);
  }

  @Test
  void put_keeps_the_signing_secret_and_custom_headers() {
    String app = newApp(api);
    String id = create(api, app, endpoint(URL)).field("id");
    String secret = api.get(endpoints(app) + "/" + id + "/secret").field("key");
    api.put(endpoints(app) + "/" + id + "/headers", Map.of("headers", Map.of("X-Kept", "1")));

    assertThat(api.put(endpoints(app) + "/" + id, endpoint(URL + "/moved")).status())
        .isEqualTo(200);

    assertThat(api.get(endpoints(app) + "/" + id + "/secret").field("key")).isEqualTo(secret);
    assertThat(
            api.get(endpoints(app) + "/" + id + "/headers")
                .body()
                .path("headers")
                .path("X-Kept")
                .asText())
        .isEqualTo("1");
  }

  @Test
  void put_on_an_unknown_endpoint_creates_it_with_the_path_as_uid_and_answers_201() {
    String app = newApp(api);
    String uid = uniqueUid("upsert");

    Api.Response r = api.put(endpoints(app) + "/" + uid, endpoint(URL));

    assertThat(r.status()).isEqualTo(201);
    assertThat(r.field("uid")).isEqualTo(uid);
    assertThat(r.field("id")).startsWith("ep_");
    assertThat(api.get(endpoints(app) + "/" + uid).field("id")).isEqualTo(r.field("id"));
  }

  @Test
  void put_that_moves_the_uid_onto_another_endpoint_answers_409_and_changes_nothing() {
    String app = newApp(api);
    String taken = uniqueUid("taken");
    Map<String, Object> holder = endpoint(URL);
    holder.put("uid", taken);
    create(api, app, holder);
    JsonNode mover = create(api, app, endpoint(URL + "/mover")).body();
    String moverId = mover.path("id").asText();
    Map<String, Object> clash = endpoint(URL + "/renamed");
    clash.put("uid", taken);

    Api.Response r = api.put(endpoints(app) + "/" + moverId, clash);

    assertThat(r.status()).isEqualTo(409);
    assertThat(api.get(endpoints(app) + "/" + moverId).body()).isEqualTo(mover);
  }

  @Test
  void patch_changes_only_the_fields_it_carries() {
    String app = newApp(api);
    Map<String, Object> body = endpoint(URL);
    body.put("description", "Before");
    body.put("channels", List.of("keep"));
    body.put("throttleRate", 9);
    body.put("metadata", Map.of("k", "v"));
    JsonNode created = create(api, app, body).body();
    String id = created.path("id").asText();

    Api.Response r = api.patch(endpoints(app) + "/" + id, Map.of("description", "After"));

    assertThat(r.status()).isEqualTo(200);
    JsonNode ep = r.body();
    assertThat(ep.path("description").asText()).isEqualTo("After");
    assertThat(ep.path("url").asText()).isEqualTo(URL);
    assertThat(ep.path("channels")).isEqualTo(created.path("channels"));
    assertThat(ep.path("throttleRate").asInt()).isEqualTo(9);
    assertThat(ep.path("metadata")).isEqualTo(created.path("metadata"));
    assertThat(api.get(endpoints(app) + "/" + id).body()).isEqualTo(ep);
  }

  @Test
  void patch_with_nulls_clears_filters_uid_and_throttle_rate() {
    String app = newApp(api);
    String type = uniqueUid("clear.type");
    createEventTypes(api, type);
    Map<String, Object> body = endpoint(URL);
    body.put("uid", uniqueUid("ep"));
    body.put("eventTypes", List.of(type));
    body.put("channels", List.of("c"));
    body.put("throttleRate", 9);
    String id = create(api, app, body).field("id");

    Api.Response r =
        api.patch(
            endpoints(app) + "/" + id,
            nullable("uid", null, "eventTypes", null, "channels", null, "throttleRate", null));

    assertThat(r.status()).as("%s", r).isEqualTo(200);
    assertThat(r.body().path("uid").isNull()).isTrue();
    assertThat(r.body().path("eventTypes").isNull()).isTrue();
    assertThat(r.body().path("channels").isNull()).isTrue();
    assertThat(r.body().path("throttleRate").isNull()).isTrue();
  }

  @Test
  void patch_can_disable_and_re_enable_an_endpoint() {
    String app = newApp(api);
    String id = create(api, app, endpoint(URL)).field("id");

    Api.Response disabled = api.patch(endpoints(app) + "/" + id, Map.of("disabled", true));
    Api.Response enabled = api.patch(endpoints(app) + "/" + id, Map.of("disabled", false));

    assertThat(disabled.body().path("disabled").asBoolean()).isTrue();
    assertThat(enabled.body().path("disabled").asBoolean()).isFalse();
  }

  @Test
  void patch_with_an_unknown_event_type_answers_422_and_changes_nothing() {
    String app = newApp(api);
    JsonNode created = create(api, app, endpoint(URL)).body();
    String id = created.path("id").asText();
    String missing = uniqueUid("nope");

    Api.Response r =
        api.patch(
            endpoints(app) + "/" + id,
            Map.of("description", "changed", "eventTypes", List.of(missing)));

    assertThat(r.status()).isEqualTo(422);
    assertThat(r.text()).contains(missing);
    assertThat(api.get(endpoints(app) + "/" + id).body()).isEqualTo(created);
  }

  @Test
  void patch_with_a_null_url_answers_422() {
    String app = newApp(api);
    String id = create(api, app, endpoint(URL)).field("id");

    Api.Response r = api.patch(endpoints(app) + "/" + id, nullable("url", null));

    assertThat(r.status()).isEqualTo(422);
    assertThat(errorLocations(r)).containsExactly("body.url");
  }

  @Test
  void patch_on_an_unknown_endpoint_answers_404() {
    assertThat(
            api.patch(endpoints(newApp(api)) + "/" + uniqueUid("nope"), Map.of("disabled", true))
                .status())
        .isEqualTo(404);
  }

  @Test
  void delete_answers_204_with_an_empty_body_and_the_endpoint_is_gone() {
    String app = newApp(api);
    String uid = uniqueUid("doomed");
    Map<String, Object> body = endpoint(URL);
    body.put("uid", uid);
    String id = create(api, app, body).field("id");

    Api.Response r = api.delete(endpoints(app) + "/" + uid);

    assertThat(r.status()).isEqualTo(204);
    assertThat(r.text()).isEmpty();
    assertThat(api.get(endpoints(app) + "/" + id).status()).isEqualTo(404);
    assertThat(api.get(endpoints(app) + "/" + uid).status()).isEqualTo(404);
    assertThat(api.delete(endpoints(app) + "/" + id).status()).isEqualTo(404);
    assertThat(countEndpoints(api, app)).isZero();
    assertThat(api.post(endpoints(app), body).status()).as("the uid is free again").isEqualTo(201);
  }

  // ---- headers ----

  @Test
  void a_new_endpoint_has_no_custom_headers() {
    String app = newApp(api);
    String id = create(api, app, endpoint(URL)).field("id");

    Api.Response r = api.get(endpoints(app) + "/" + id + "/headers");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body().path("headers").isObject()).isTrue();
    assertThat(r.body().path("headers").size()).isZero();
    assertThat(r.body().path("sensitive").isArray()).isTrue();
    assertThat(r.body().path("sensitive").size()).isZero();
  }

  @Test
  void headers_given_on_create_are_kept_and_checked_like_the_headers_endpoint() {
    String app = newApp(api);
    String id =
        create(api, app, Map.of("url", URL, "headers", Map.of("X-Tenant", "acme"))).field("id");

    JsonNode out = api.get(endpoints(app) + "/" + id + "/headers").body();
    assertThat(out.path("headers").path("X-Tenant").asText()).isEqualTo("acme");

    Api.Response bad =
        api.post(endpoints(app), Map.of("url", URL, "headers", Map.of("Host", "evil")));
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.body().path("detail").get(0).path("loc").toString()).contains("headers", "Host");
  }

  @Test
  void put_headers_replaces_them_and_answers_204_with_authorization_listed_as_sensitive() {
    String app = newApp(api);
    String id = create(api, app, endpoint(URL)).field("id");
    String headers = endpoints(app) + "/" + id + "/headers";
    api.put(headers, Map.of("headers", Map.of("X-Old", "gone")));

    Api.Response r =
        api.put(
            headers,
            Map.of("headers", Map.of("X-Tenant", "acme", "Authorization", "Bearer s3cr3t")));

    assertThat(r.status()).isEqualTo(204);
    assertThat(r.text()).isEmpty();
    JsonNode out = api.get(headers).body();
    assertThat(out.path("headers").properties()).hasSize(1);
    assertThat(out.path("headers").path("X-Tenant").asText()).isEqualTo("acme");
    assertThat(out.path("headers").has("Authorization")).isFalse();
    assertThat(out.path("sensitive")).extracting(JsonNode::asText).containsExactly("Authorization");
    assertThat(out.toString()).doesNotContain("s3cr3t");
  }

  @Test
  void patch_headers_sets_the_given_ones_and_null_removes_one() {
    String app = newApp(api);
    String id = create(api, app, endpoint(URL)).field("id");
    String headers = endpoints(app) + "/" + id + "/headers";
    api.put(headers, Map.of("headers", Map.of("X-Keep", "1", "X-Drop", "2", "X-Change", "3")));

    Api.Response r =
        api.patch(
            headers, Map.of("headers", nullable("X-Drop", null, "X-Change", "33", "X-New", "4")));

    assertThat(r.status()).as("%s", r).isEqualTo(204);
    JsonNode out = api.get(headers).body().path("headers");
    assertThat(out.properties()).hasSize(3);
    assertThat(out.path("X-Keep").asText()).isEqualTo("1");
    assertThat(out.path("X-Change").asText()).isEqualTo("33");
    assertThat(out.path("X-New").asText()).isEqualTo("4");
    assertThat(out.has("X-Drop")).isFalse();
  }

  @Test
  void patch_headers_deletes_the_names_listed_in_delete_headers() {
    String app = newApp(api);
    String id = create(api, app, endpoint(URL)).field("id");
    String headers = endpoints(app) + "/" + id + "/headers";
    api.put(headers, Map.of("headers", Map.of("X-Keep", "1", "X-Drop", "2", "X-Gone", "3")));

    Api.Response withHeaders =
        api.patch(
            headers, Map.of("headers", Map.of("X-New", "4"), "deleteHeaders", List.of("X-Drop")));
    Api.Response onlyDeletes = api.patch(headers, Map.of("deleteHeaders", List.of("x-gone")));
    Api.Response notAList = api.patch(headers, Map.of("deleteHeaders", "X-Keep"));

    assertThat(withHeaders.status()).as("%s", withHeaders).isEqualTo(204);
    assertThat(onlyDeletes.status()).as("%s", onlyDeletes).isEqualTo(204);
    assertThat(notAList.status()).isEqualTo(422);
    assertThat(errorLocations(notAList)).containsExactly("body.deleteHeaders");
    JsonNode out = api.get(headers).body().path("headers");
    assertThat(out.properties()).hasSize(2);
    assertThat(out.path("X-Keep").asText()).isEqualTo("1");
    assertThat(out.path("X-New").asText()).isEqualTo("4");
  }

  @Test
  void put_headers_with_a_null_value_answers_422() {
    String app = newApp(api);
    String id = create(api, app, endpoint(URL)).field("id");

    Api.Response r =
        api.put(endpoints(app) + "/" + id + "/headers", Map.of("headers", nullable("X-A", null)));

    assertThat(r.status()).isEqualTo(422);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "Host",
        "host",
        "Content-Length",
        "Transfer-Encoding",
        "webhook-signature",
        "Webhook-Id",
        "svix-id",
        "SVIX-Signature",
        "bad header name"
      })
  void a_forbidden_header_name_answers_422_naming_it_and_changes_nothing(String name) {
    String app = newApp(api);
    String id = create(api, app, endpoint(URL)).field("id");
    String headers = endpoints(app) + "/" + id + "/headers";
    api.put(headers, Map.of("headers", Map.of("X-Before", "1")));
    JsonNode before = api.get(headers).body();

    Api.Response put = api.put(headers, Map.of("headers", Map.of("X-Fine", "1", name, "v")));
    Api.Response patch = api.patch(headers, Map.of("headers", Map.of(name, "v")));

    assertThat(put.status()).isEqualTo(422);
    assertThat(errorLocations(put)).containsExactly("body.headers." + name);
    assertThat(patch.status()).isEqualTo(422);
    assertThat(errorLocations(patch)).containsExactly("body.headers." + name);
    assertThat(api.get(headers).body()).isEqualTo(before);
  }

  @Test
  void headers_without_the_headers_object_answer_422() {
    String app = newApp(api);
    String id = create(api, app, endpoint(URL)).field("id");

    Api.Response r = api.put(endpoints(app) + "/" + id + "/headers", Map.of("X-A", "1"));

    assertThat(r.status()).isEqualTo(422);
    assertThat(errorLocations(r)).containsExactly("body.headers");
  }

  @Test
  void headers_of_an_unknown_endpoint_answer_404() {
    String headers = endpoints(newApp(api)) + "/" + uniqueUid("nope") + "/headers";

    assertThat(api.get(headers).status()).isEqualTo(404);
    assertThat(api.put(headers, Map.of("headers", Map.of("X-A", "1"))).status()).isEqualTo(404);
    assertThat(api.patch(headers, Map.of("headers", Map.of("X-A", "1"))).status()).isEqualTo(404);
  }

  // ---- secret ----

  @Test
  void a_generated_secret_is_whsec_and_base64_of_24_to_64_bytes() {
    String app = newApp(api);
    String id = create(api, app, endpoint(URL)).field("id");

    Api.Response r = api.get(endpoints(app) + "/" + id + "/secret");

    assertThat(r.status()).isEqualTo(200);
    String key = r.field("key");
    assertThat(key).startsWith("whsec_");
    byte[] decoded = Base64.getDecoder().decode(key.substring("whsec_".length()));
    assertThat(decoded.length).isBetween(24, 64);
  }

  @Test
  void rotating_answers_204_and_the_new_secret_differs() {
    String app = newApp(api);
    String id = create(api, app, endpoint(URL)).field("id");
    String secret = endpoints(app) + "/" + id + "/secret";
    String before = api.get(secret).field("key");

    Api.Response r = api.post(secret + "/rotate", Map.of());

    assertThat(r.status()).isEqualTo(204);
    assertThat(r.text()).isEmpty();
    String after = api.get(secret).field("key");
    assertThat(after).startsWith("whsec_").isNotEqualTo(before);
  }

  @Test
  void rotating_without_a_body_generates_a_new_secret() {
    String app = newApp(api);
    String id = create(api, app, endpoint(URL)).field("id");
    String secret = endpoints(app) + "/" + id + "/secret";
    String before = api.get(secret).field("key");

    assertThat(api.post(secret + "/rotate", null).status()).isEqualTo(204);

    assertThat(api.get(secret).field("key")).isNotEqualTo(before);
  }

  @Test
  void rotating_to_an_explicit_key_stores_that_key() {
    String app = newApp(api);
    String id = create(api, app, endpoint(URL)).field("id");
    String secret = endpoints(app) + "/" + id + "/secret";
    String key = "whsec_" + base64(32);

    Api.Response r = api.post(secret + "/rotate", Map.of("key", key, "gracePeriodSeconds", 0));

    assertThat(r.status()).isEqualTo(204);
    assertThat(api.get(secret).field("key")).isEqualTo(key);
  }

  @Test
  void a_grace_period_above_seven_days_answers_422_and_keeps_the_secret() {
    String app = newApp(api);
    String id = create(api, app, endpoint(URL)).field("id");
    String secret = endpoints(app) + "/" + id + "/secret";
    String before = api.get(secret).field("key");

    Api.Response tooLong = api.post(secret + "/rotate", Map.of("gracePeriodSeconds", 604_801));
    Api.Response negative = api.post(secret + "/rotate", Map.of("gracePeriodSeconds", -1));
    Api.Response badKey = api.post(secret + "/rotate", Map.of("key", "garbage"));

    assertThat(tooLong.status()).isEqualTo(422);
    assertThat(errorLocations(tooLong)).containsExactly("body.gracePeriodSeconds");
    assertThat(negative.status()).isEqualTo(422);
    assertThat(badKey.status()).isEqualTo(422);
    assertThat(errorLocations(badKey)).containsExactly("body.key");
    assertThat(api.get(secret).field("key")).isEqualTo(before);
    assertThat(api.post(secret + "/rotate", Map.of("gracePeriodSeconds", 604_800)).status())
        .isEqualTo(204);
  }

  @Test
  void the_secret_of_an_unknown_endpoint_answers_404() {
    String secret = endpoints(newApp(api)) + "/" + uniqueUid("nope") + "/secret";

    assertThat(api.get(secret).status()).isEqualTo(404);
    assertThat(api.post(secret + "/rotate", Map.of()).status()).isEqualTo(404);
  }

  // ---- atomicity ----

  @Test
  void a_bad_request_leaves_no_partial_row() {
    Api org = newOrg();
    String app = newApp(org);
    String uid = uniqueUid("kept");
    Map<String, Object> keptBody = endpoint(URL);
    keptBody.put("uid", uid);
    JsonNode kept = create(org, app, keptBody).body();
    Map<String, Object> unknownType = endpoint(URL);
    unknownType.put("eventTypes", List.of("never.defined"));
    Map<String, Object> badSecret = endpoint(URL);
    badSecret.put("secret", "garbage");
    Map<String, Object> clash = endpoint(URL);
    clash.put("uid", uid);

    assertThat(org.post(endpoints(app), unknownType).status()).isEqualTo(422);
    assertThat(org.post(endpoints(app), badSecret).status()).isEqualTo(422);
    assertThat(org.post(endpoints(app), endpoint("ftp://x")).status()).isEqualTo(422);
    assertThat(org.post(endpoints(app), clash).status()).isEqualTo(409);
    assertThat(org.post(endpoints(app), "{broken").status()).isEqualTo(422);
    assertThat(org.put(endpoints(app) + "/" + uniqueUid("new"), unknownType).status())
        .isEqualTo(422);
    assertThat(org.put(endpoints(app) + "/" + uniqueUid("new"), clash).status()).isEqualTo(409);
    assertThat(org.put(endpoints(app) + "/" + uniqueUid("new"), Map.of()).status()).isEqualTo(422);
    assertThat(
            org.patch(
                    endpoints(app) + "/" + uid,
                    Map.of(
                        "url", "https://changed.example", "eventTypes", List.of("never.defined")))
                .status())
        .isEqualTo(422);
    assertThat(
            org.patch(endpoints(app) + "/" + uid, Map.of("description", "x", "throttleRate", -1))
                .status())
        .isEqualTo(422);

    assertThat(listAll(org, app, "limit=250")).containsExactly(kept.path("id").asText());
    assertThat(org.get(endpoints(app) + "/" + uid).body()).isEqualTo(kept);
  }

  // ---- app-portal tokens ----

  private String portalToken(Api org, String appIdOrUid) {
    Api.Response r = org.post("/api/v1/auth/app-portal-access/" + appIdOrUid, Map.of());
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.field("token");
  }

  @Test
  void an_app_portal_token_manages_the_endpoints_of_its_own_application() {
    String app = newApp(api);
    Api portal = server.api(portalToken(api, app));

    Api.Response created = portal.post(endpoints(app), endpoint(URL));
    String id = created.field("id");
    Api.Response patched = portal.patch(endpoints(app) + "/" + id, Map.of("description", "Mine"));
    Api.Response headers =
        portal.put(endpoints(app) + "/" + id + "/headers", Map.of("headers", Map.of("X-A", "1")));
    Api.Response secret = portal.get(endpoints(app) + "/" + id + "/secret");
    Api.Response rotated = portal.post(endpoints(app) + "/" + id + "/secret/rotate", Map.of());
    Api.Response listed = portal.get(endpoints(app));
    Api.Response deleted = portal.delete(endpoints(app) + "/" + id);

    assertThat(created.status()).isEqualTo(201);
    assertThat(patched.status()).isEqualTo(200);
    assertThat(patched.field("description")).isEqualTo("Mine");
    assertThat(headers.status()).isEqualTo(204);
    assertThat(secret.status()).isEqualTo(200);
    assertThat(rotated.status()).isEqualTo(204);
    assertThat(ids(listed)).containsExactly(id);
    assertThat(deleted.status()).isEqualTo(204);
  }

  @Test
  void an_app_portal_token_gets_404_for_another_applications_endpoints() {
    String mine = newApp(api);
    String theirs = newApp(api);
    JsonNode theirEndpoint = create(api, theirs, endpoint(URL)).body();
    String id = theirEndpoint.path("id").asText();
    Api portal = server.api(portalToken(api, mine));

    assertThat(portal.get(endpoints(theirs)).status()).isEqualTo(404);
    assertThat(portal.post(endpoints(theirs), endpoint(URL)).status()).isEqualTo(404);
    assertThat(portal.get(endpoints(theirs) + "/" + id).status()).isEqualTo(404);
    assertThat(portal.put(endpoints(theirs) + "/" + id, endpoint(URL)).status()).isEqualTo(404);
    assertThat(portal.patch(endpoints(theirs) + "/" + id, Map.of("disabled", true)).status())
        .isEqualTo(404);
    assertThat(portal.get(endpoints(theirs) + "/" + id + "/secret").status()).isEqualTo(404);
    assertThat(portal.post(endpoints(theirs) + "/" + id + "/secret/rotate", Map.of()).status())
        .isEqualTo(404);
    assertThat(portal.get(endpoints(theirs) + "/" + id + "/headers").status()).isEqualTo(404);
    assertThat(portal.delete(endpoints(theirs) + "/" + id).status()).isEqualTo(404);
    assertThat(portal.get(endpoints(mine) + "/" + id).status())
        .as("their endpoint under my app id")
        .isEqualTo(404);

    assertThat(api.get(endpoints(theirs) + "/" + id).body()).isEqualTo(theirEndpoint);
    assertThat(countEndpoints(api, theirs)).isEqualTo(1);
  }
}
