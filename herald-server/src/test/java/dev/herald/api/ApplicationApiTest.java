package dev.herald.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.testing.Api;
import dev.herald.testing.ApiContractTest;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code /api/v1/app}: Svix's application operations. */
class ApplicationApiTest extends ApiContractTest {
  static final String APPS = "/api/v1/app";
  static final int MAX_PAYLOAD_SIZE = 1024;

  /** What Herald allows around a payload; see HttpApi.ENVELOPE_BYTES. */
  static final int ENVELOPE_BYTES = 64 * 1024;

  @Override
  protected Map<String, String> settings() {
    return Map.of("HERALD_MAX_PAYLOAD_SIZE", Integer.toString(MAX_PAYLOAD_SIZE));
  }

  static Map<String, Object> app(String name, String uid) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    if (uid != null) {
      body.put("uid", uid);
    }
    return body;
  }

  private Api.Response create(Api client, Object body) {
    Api.Response r = client.post(APPS, body);
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return r;
  }

  private static List<String> listAll(Api client, String query) {
    return listAll(client, APPS, query, "id");
  }

  private int countApplications(Api client) {
    return listAll(client, "limit=250").size();
  }

  @Test
  void creating_an_application_answers_201_with_every_field() {
    String uid = uniqueUid("create");
    Api.Response r =
        create(
            api,
            Map.of(
                "name",
                "Acme",
                "uid",
                uid,
                "metadata",
                Map.of("tier", "gold"),
                "throttleRate",
                50));

    JsonNode app = r.body();
    assertThat(app.path("id").asText()).startsWith("app_").doesNotContain(".");
    assertThat(app.path("name").asText()).isEqualTo("Acme");
    assertThat(app.path("uid").asText()).isEqualTo(uid);
    assertThat(app.path("metadata").path("tier").asText()).isEqualTo("gold");
    assertThat(app.path("throttleRate").asInt()).isEqualTo(50);
    assertThat(app.path("createdAt").asText()).isNotEmpty();
    assertThat(app.path("updatedAt").asText()).isEqualTo(app.path("createdAt").asText());
    assertThat(r.header("content-type")).startsWith("application/json");
  }

  @Test
  void an_application_created_with_only_a_name_has_null_uid_and_throttle_rate_and_empty_metadata() {
    JsonNode app = create(api, Map.of("name", "Minimal")).body();

    assertThat(app.has("uid")).isTrue();
    assertThat(app.path("uid").isNull()).isTrue();
    assertThat(app.has("throttleRate")).isTrue();
    assertThat(app.path("throttleRate").isNull()).isTrue();
    assertThat(app.path("metadata").isObject()).isTrue();
    assertThat(app.path("metadata").size()).isZero();
  }

  @Test
  void what_create_answers_is_exactly_what_get_returns() {
    Api.Response created =
        create(
            api,
            Map.of(
                "name",
                "Round trip",
                "uid",
                uniqueUid("rt"),
                "metadata",
                Map.of("a", "b"),
                "throttleRate",
                7));

    Api.Response fetched = api.get(APPS + "/" + created.field("id"));

    assertThat(fetched.status()).isEqualTo(200);
    assertThat(fetched.body()).isEqualTo(created.body());
  }

  @Test
  void creating_a_second_application_with_the_same_uid_answers_409() {
    String uid = uniqueUid("dup");
    create(api, app("First", uid));

    Api.Response r = api.post(APPS, app("Second", uid));

    assertThat(r.status()).isEqualTo(409);
    assertThat(r.field("code")).isEqualTo("conflict");
    assertThat(r.field("detail")).contains(uid);
  }

  @Test
  void get_if_exists_answers_200_with_the_existing_application_and_creates_nothing() {
    Api org = newOrg();
    String uid = uniqueUid("gie");
    Api.Response first = create(org, app("Original", uid));

    Api.Response again = org.post(APPS + "?get_if_exists=true", app("Other name", uid));

    assertThat(again.status()).isEqualTo(200);
    assertThat(again.body()).isEqualTo(first.body());
    assertThat(countApplications(org)).isEqualTo(1);
  }

  @Test
  void get_if_exists_creates_the_application_when_the_uid_is_new() {
    Api.Response r = api.post(APPS + "?get_if_exists=true", app("New", uniqueUid("gie-new")));

    assertThat(r.status()).isEqualTo(201);
  }

  @Test
  void an_application_can_be_fetched_by_id_and_by_uid() {
    String uid = uniqueUid("fetch");
    String id = create(api, app("Fetch me", uid)).field("id");

    Api.Response byId = api.get(APPS + "/" + id);
    Api.Response byUid = api.get(APPS + "/" + uid);

    assertThat(byId.status()).isEqualTo(200);
    assertThat(byUid.status()).isEqualTo(200);
    assertThat(byUid.body()).isEqualTo(byId.body());
    assertThat(byId.field("id")).isEqualTo(id);
  }

  @Test
  void getting_an_unknown_application_answers_404_with_code_and_detail() {
    Api.Response r = api.get(APPS + "/app_doesnotexist");

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.field("code")).isEqualTo("not_found");
    assertThat(r.field("detail")).contains("app_doesnotexist");
  }

  @Test
  void an_empty_org_lists_no_applications_and_is_done() {
    Api.Response r = newOrg().get(APPS);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body().path("data").size()).isZero();
    assertThat(r.body().path("done").asBoolean()).isTrue();
    assertThat(r.body().path("iterator").isNull()).isTrue();
  }

  @Test
  void following_the_iterator_lists_every_application_once_in_id_order() {
    Api org = newOrg();
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      created.add(create(org, app("App " + i, null)).field("id"));
    }

    Api.Response first = org.get(APPS + "?limit=2");
    assertThat(ids(first)).hasSize(2);
    assertThat(first.body().path("done").asBoolean()).isFalse();
    assertThat(first.field("iterator")).isEqualTo(ids(first).get(1));

    assertThat(listAll(org, "limit=2")).isEqualTo(created.stream().sorted().toList());
  }

  @Test
  void the_last_page_is_done_when_the_items_end_exactly_at_the_limit() {
    Api org = newOrg();
    for (int i = 0; i < 4; i++) {
      create(org, app("App " + i, null));
    }

    Api.Response first = org.get(APPS + "?limit=2");
    Api.Response second = org.get(APPS + "?limit=2&iterator=" + first.field("iterator"));

    assertThat(ids(second)).hasSize(2);
    assertThat(second.body().path("done").asBoolean()).isTrue();
  }

  @Test
  void prev_iterator_pages_back_to_the_previous_page() {
    Api org = newOrg();
    for (int i = 0; i < 5; i++) {
      create(org, app("App " + i, null));
    }
    Api.Response first = org.get(APPS + "?limit=2");
    Api.Response second = org.get(APPS + "?limit=2&iterator=" + first.field("iterator"));
    assertThat(second.field("prevIterator")).isEqualTo("-" + ids(second).get(0));

    Api.Response back = org.get(APPS + "?limit=2&iterator=" + second.field("prevIterator"));

    assertThat(back.status()).isEqualTo(200);
    assertThat(ids(back)).isEqualTo(ids(first));
    assertThat(back.field("iterator")).isEqualTo(first.field("iterator"));
  }

  @Test
  void descending_order_lists_the_newest_application_first() {
    Api org = newOrg();
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      created.add(create(org, app("App " + i, null)).field("id"));
    }

    List<String> listed = listAll(org, "limit=2&order=descending");

    assertThat(listed).isEqualTo(created.stream().sorted().toList().reversed());
  }

  @Test
  void a_limit_below_one_answers_422_at_query_limit() {
    Api.Response r = api.get(APPS + "?limit=0");

    assertThat(r.status()).isEqualTo(422);
    assertThat(errorLocations(r)).containsExactly("query.limit");
  }

  @Test
  void an_unknown_order_answers_422_at_query_order() {
    Api.Response r = api.get(APPS + "?order=sideways");

    assertThat(r.status()).isEqualTo(422);
    assertThat(errorLocations(r)).containsExactly("query.order");
  }

  @Test
  void put_replaces_every_field_of_an_existing_application_and_answers_200() {
    String uid = uniqueUid("put");
    JsonNode created =
        create(
                api,
                Map.of(
                    "name",
                    "Before",
                    "uid",
                    uid,
                    "metadata",
                    Map.of("old", "1"),
                    "throttleRate",
                    5))
            .body();

    Api.Response r =
        api.put(APPS + "/" + uid, Map.of("name", "After", "metadata", Map.of("new", "2")));

    assertThat(r.status()).isEqualTo(200);
    JsonNode app = r.body();
    assertThat(app.path("id").asText()).isEqualTo(created.path("id").asText());
    assertThat(app.path("name").asText()).isEqualTo("After");
    assertThat(app.path("metadata").properties()).hasSize(1);
    assertThat(app.path("metadata").path("new").asText()).isEqualTo("2");
    assertThat(app.path("throttleRate").isNull()).isTrue();
    assertThat(app.path("createdAt")).isEqualTo(created.path("createdAt"));
    assertThat(api.get(APPS + "/" + created.path("id").asText()).body()).isEqualTo(app);
  }

  @Test
  void put_on_an_unknown_application_creates_it_with_the_path_as_uid_and_answers_201() {
    String uid = uniqueUid("upsert");

    Api.Response r = api.put(APPS + "/" + uid, Map.of("name", "Upserted"));

    assertThat(r.status()).isEqualTo(201);
    assertThat(r.field("uid")).isEqualTo(uid);
    assertThat(r.field("id")).startsWith("app_");
    assertThat(api.get(APPS + "/" + uid).field("id")).isEqualTo(r.field("id"));
  }

  @Test
  void put_on_a_path_that_is_not_a_valid_uid_answers_422_and_creates_nothing() {
    Api org = newOrg();

    for (String path : new String[] {"has%20space", "star*", "u".repeat(257)}) {
      Api.Response r = org.put(APPS + "/" + path, Map.of("name", "Never"));
      assertThat(r.status()).as("PUT %s: %s", path, r).isEqualTo(422);
      assertThat(errorLocations(r)).containsExactly("path.app_id");
    }
    assertThat(countApplications(org)).isZero();
  }

  @Test
  void put_that_moves_the_uid_onto_another_application_answers_409_and_changes_nothing() {
    String takenUid = uniqueUid("taken");
    create(api, app("Holder", takenUid));
    String uid = uniqueUid("mover");
    JsonNode mover = create(api, app("Mover", uid)).body();

    Api.Response r = api.put(APPS + "/" + uid, app("Mover renamed", takenUid));

    assertThat(r.status()).isEqualTo(409);
    assertThat(api.get(APPS + "/" + uid).body()).isEqualTo(mover);
  }

  @Test
  void patch_changes_only_the_fields_it_carries() {
    String uid = uniqueUid("patch");
    JsonNode created =
        create(
                api,
                Map.of(
                    "name", "Before", "uid", uid, "metadata", Map.of("k", "v"), "throttleRate", 9))
            .body();

    Api.Response r = api.patch(APPS + "/" + uid, Map.of("name", "After"));

    assertThat(r.status()).isEqualTo(200);
    JsonNode app = r.body();
    assertThat(app.path("name").asText()).isEqualTo("After");
    assertThat(app.path("uid").asText()).isEqualTo(uid);
    assertThat(app.path("metadata")).isEqualTo(created.path("metadata"));
    assertThat(app.path("throttleRate").asInt()).isEqualTo(9);
    assertThat(api.get(APPS + "/" + uid).body()).isEqualTo(app);
  }

  @Test
  void patch_sets_a_throttle_rate_and_zero_clears_it() {
    String id = create(api, app("Throttled", null)).field("id");

    Api.Response set = api.patch(APPS + "/" + id, Map.of("throttleRate", 100));
    Api.Response cleared = api.patch(APPS + "/" + id, Map.of("throttleRate", 0));

    assertThat(set.status()).isEqualTo(200);
    assertThat(set.body().path("throttleRate").asInt()).isEqualTo(100);
    assertThat(cleared.status()).isEqualTo(200);
    assertThat(cleared.body().path("throttleRate").isNull()).isTrue();
    assertThat(cleared.field("name")).isEqualTo("Throttled");
  }

  @Test
  void patch_with_an_invalid_field_answers_422_and_changes_nothing() {
    String uid = uniqueUid("patch-bad");
    JsonNode created = create(api, app("Keep", uid)).body();

    Api.Response r = api.patch(APPS + "/" + uid, Map.of("name", "Changed", "throttleRate", -1));

    assertThat(r.status()).isEqualTo(422);
    assertThat(errorLocations(r)).containsExactly("body.throttleRate");
    assertThat(api.get(APPS + "/" + uid).body()).isEqualTo(created);
  }

  @Test
  void patch_on_an_unknown_application_answers_404() {
    assertThat(api.patch(APPS + "/" + uniqueUid("nobody"), Map.of("name", "x")).status())
        .isEqualTo(404);
  }

  @Test
  void delete_answers_204_with_an_empty_body_and_the_application_is_gone() {
    String uid = uniqueUid("delete");
    String id = create(api, app("Doomed", uid)).field("id");

    Api.Response r = api.delete(APPS + "/" + id);

    assertThat(r.status()).isEqualTo(204);
    assertThat(r.text()).isEmpty();
    assertThat(api.get(APPS + "/" + id).status()).isEqualTo(404);
    assertThat(api.get(APPS + "/" + uid).status()).isEqualTo(404);
    assertThat(api.delete(APPS + "/" + id).status()).isEqualTo(404);
  }

  @Test
  void a_deleted_application_leaves_the_list_and_frees_its_uid() {
    Api org = newOrg();
    String uid = uniqueUid("reuse");
    String id = create(org, app("Old", uid)).field("id");
    org.delete(APPS + "/" + id);

    assertThat(countApplications(org)).isZero();
    Api.Response again = org.post(APPS, app("New", uid));
    assertThat(again.status()).isEqualTo(201);
    assertThat(again.field("id")).isNotEqualTo(id);
  }

  static Stream<Arguments> invalidApplications() {
    return Stream.of(
        Arguments.of("name missing", Map.of("uid", "ok"), "body.name", "value_error.missing"),
        Arguments.of("name null", mapWithNull("name"), "body.name", "value_error.missing"),
        Arguments.of(
            "name empty", Map.of("name", ""), "body.name", "value_error.any_str.min_length"),
        Arguments.of("name not a string", Map.of("name", 12), "body.name", "type_error.str"),
        Arguments.of(
            "uid with a space",
            Map.of("name", "a", "uid", "has space"),
            "body.uid",
            "value_error.str.regex"),
        Arguments.of(
            "uid empty",
            Map.of("name", "a", "uid", ""),
            "body.uid",
            "value_error.any_str.min_length"),
        Arguments.of(
            "uid too long",
            Map.of("name", "a", "uid", "u".repeat(257)),
            "body.uid",
            "value_error.any_str.max_length"),
        Arguments.of(
            "metadata not an object",
            Map.of("name", "a", "metadata", "x"),
            "body.metadata",
            "type_error.dict"),
        Arguments.of(
            "metadata value not a string",
            Map.of("name", "a", "metadata", Map.of("n", 1)),
            "body.metadata",
            "type_error.str"),
        Arguments.of(
            "throttleRate zero",
            Map.of("name", "a", "throttleRate", 0),
            "body.throttleRate",
            "value_error.number.not_in_range"),
        Arguments.of(
            "throttleRate above uint16",
            Map.of("name", "a", "throttleRate", 65536),
            "body.throttleRate",
            "value_error.number.not_in_range"),
        Arguments.of(
            "throttleRate not an integer",
            Map.of("name", "a", "throttleRate", 1.5),
            "body.throttleRate",
            "type_error.integer"));
  }

  private static Map<String, Object> mapWithNull(String field) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(field, null);
    return m;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidApplications")
  void an_invalid_application_answers_422_naming_the_field(
      String caseName, Map<String, Object> body, String loc, String type) {
    Api.Response r = api.post(APPS, body);

    assertThat(r.status()).as("%s", r).isEqualTo(422);
    assertThat(errorLocations(r)).containsExactly(loc);
    JsonNode item = r.body().path("detail").get(0);
    assertThat(item.path("type").asText()).isEqualTo(type);
    assertThat(item.path("msg").asText()).isNotEmpty();
  }

  @Test
  void a_422_lists_every_broken_rule_at_once() {
    Api.Response r = api.post(APPS, Map.of("uid", "bad uid", "throttleRate", 0));

    assertThat(r.status()).isEqualTo(422);
    assertThat(errorLocations(r))
        .containsExactlyInAnyOrder("body.name", "body.uid", "body.throttleRate");
  }

  @Test
  void unknown_fields_are_tolerated() {
    Api.Response r =
        api.post(
            APPS,
            Map.of("name", "Tolerant", "somethingNew", 1, "nested", Map.of("list", List.of(1, 2))));

    assertThat(r.status()).isEqualTo(201);
    assertThat(r.body().has("somethingNew")).isFalse();
  }

  @Test
  void invalid_json_answers_422_at_body() {
    Api.Response r = api.post(APPS, "{\"name\": ");

    assertThat(r.status()).isEqualTo(422);
    assertThat(errorLocations(r)).containsExactly("body");
    assertThat(r.body().path("detail").get(0).path("type").asText())
        .isEqualTo("value_error.jsondecode");
  }

  @Test
  void a_json_body_that_is_not_an_object_answers_422_at_body() {
    Api.Response r = api.post(APPS, "[{\"name\": \"a\"}]");

    assertThat(r.status()).isEqualTo(422);
    assertThat(errorLocations(r)).containsExactly("body");
  }

  @Test
  void an_empty_body_answers_422_at_body() {
    Api.Response r = api.post(APPS, "");

    assertThat(r.status()).isEqualTo(422);
    assertThat(errorLocations(r)).containsExactly("body");
  }

  @Test
  void a_body_over_the_size_limit_answers_413() {
    String name = "x".repeat(MAX_PAYLOAD_SIZE + ENVELOPE_BYTES);

    Api.Response r = api.post(APPS, Map.of("name", name));

    assertThat(r.status()).isEqualTo(413);
    assertThat(r.field("code")).isEqualTo("payload_too_large");
    assertThat(r.field("detail")).contains("HERALD_MAX_PAYLOAD_SIZE");
  }

  @Test
  void a_body_far_over_the_size_limit_answers_413() {
    String name = "x".repeat(4 * (MAX_PAYLOAD_SIZE + ENVELOPE_BYTES));

    Api.Response r = api.put(APPS + "/" + uniqueUid("huge"), Map.of("name", name));

    assertThat(r.status()).isEqualTo(413);
    assertThat(r.field("code")).isEqualTo("payload_too_large");
  }

  /**
   * Answering 413 while the client is still sending makes the server close a socket with unread
   * data; the TCP reset that follows can destroy the answer before the client reads it (seen as
   * "header parser received no bytes", about 1 request in 100). Herald reads a body up to its hard
   * cap before refusing it.
   */
  @Test
  void a_client_still_sending_an_oversized_body_gets_the_413_after_sending_it() throws Exception {
    byte[] body =
        ("{\"name\": \"" + "x".repeat(MAX_PAYLOAD_SIZE + ENVELOPE_BYTES + 10_000) + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    String head =
        "PUT "
            + APPS
            + "/"
            + uniqueUid("slow")
            + " HTTP/1.1\r\n"
            + "Host: 127.0.0.1\r\n"
            + "Authorization: Bearer "
            + server.adminKey()
            + "\r\n"
            + "Content-Type: application/json\r\n"
            + "Content-Length: "
            + body.length
            + "\r\n"
            + "Connection: close\r\n\r\n";
    URI base = URI.create(server.baseUrl());
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(body, 0, body.length / 2);
      out.flush();

      socket.setSoTimeout(300);
      assertThatThrownBy(() -> socket.getInputStream().read())
          .as("Herald answered before the body was sent")
          .isInstanceOf(SocketTimeoutException.class);

      out.write(body, body.length / 2, body.length - body.length / 2);
      out.flush();
      socket.setSoTimeout(5_000);
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 413").contains("payload_too_large");
    }
  }

  @Test
  void a_bad_request_leaves_no_partial_row() {
    Api org = newOrg();
    String uid = uniqueUid("kept");
    JsonNode kept = create(org, app("Kept", uid)).body();

    assertThat(org.post(APPS, Map.of("name", "a", "throttleRate", 0)).status()).isEqualTo(422);
    assertThat(org.post(APPS, app("Duplicate", uid)).status()).isEqualTo(409);
    assertThat(org.post(APPS, "{broken").status()).isEqualTo(422);
    assertThat(org.put(APPS + "/" + uniqueUid("new"), Map.of("name", "")).status()).isEqualTo(422);
    assertThat(org.put(APPS + "/" + uniqueUid("new"), app("Clash", uid)).status()).isEqualTo(409);
    assertThat(org.post(APPS, Map.of("name", "x".repeat(2 * ENVELOPE_BYTES))).status())
        .isEqualTo(413);

    assertThat(countApplications(org)).isEqualTo(1);
    assertThat(org.get(APPS + "/" + uid).body()).isEqualTo(kept);
  }
}
