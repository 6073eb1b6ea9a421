package dev.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.testing.Api;
import dev.herald.testing.ApiContractTest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code /api/v1/event-type}: Svix's event catalogue operations. */
class EventTypeApiTest extends ApiContractTest {
  static final String TYPES = "/api/v1/event-type";
  static final String APPS = "/api/v1/app";

  static Map<String, Object> eventType(String name, String description) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("description", description);
    return body;
  }

  static Map<String, Object> schemas() {
    return Map.of(
        "1",
        Map.of(
            "type", "object",
            "properties", Map.of("email", Map.of("type", "string")),
            "examples", List.of(Map.of("email", "a@example.com"))));
  }

  private static Api.Response create(Api client, Object body) {
    Api.Response r = client.post(TYPES, body);
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return r;
  }

  private static List<String> names(Api.Response page) {
    return keys(page, "name");
  }

  private static List<String> listAll(Api client, String query) {
    return listAll(client, TYPES, query, "name");
  }

  private String portalToken(Api org) {
    String uid = uniqueUid("portal");
    assertThat(org.post(APPS, Map.of("name", "Portal app", "uid", uid)).status()).isEqualTo(201);
    Api.Response r = org.post("/api/v1/auth/app-portal-access/" + uid, Map.of());
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.field("token");
  }

  @Test
  void creating_an_event_type_answers_201_with_every_field() {
    String name = uniqueUid("user.signup");
    Map<String, Object> body = eventType(name, "A user signed up");
    body.put("schemas", schemas());
    body.put("featureFlag", "beta-flag");
    body.put("deprecated", true);

    Api.Response r = create(api, body);

    JsonNode type = r.body();
    assertThat(type.path("name").asText()).isEqualTo(name);
    assertThat(type.path("description").asText()).isEqualTo("A user signed up");
    assertThat(type.path("schemas").path("1").path("type").asText()).isEqualTo("object");
    assertThat(type.path("featureFlag").asText()).isEqualTo("beta-flag");
    assertThat(type.path("deprecated").asBoolean()).isTrue();
    assertThat(type.path("archived").asBoolean()).isFalse();
    assertThat(type.path("createdAt").asText()).isNotEmpty();
    assertThat(type.path("updatedAt").asText()).isEqualTo(type.path("createdAt").asText());
    assertThat(type.has("id")).as("the internal id stays internal").isFalse();
  }

  @Test
  void what_create_answers_is_exactly_what_get_returns() {
    String name = uniqueUid("invoice.paid");
    Map<String, Object> body = eventType(name, "An invoice was paid");
    body.put("schemas", schemas());
    Api.Response created = create(api, body);

    Api.Response fetched = api.get(TYPES + "/" + name);

    assertThat(fetched.status()).isEqualTo(200);
    assertThat(fetched.body()).isEqualTo(created.body());
  }

  @Test
  void creating_a_second_event_type_with_the_same_name_answers_409_and_keeps_the_first() {
    String name = uniqueUid("dup");
    JsonNode first = create(api, eventType(name, "First")).body();

    Api.Response r = api.post(TYPES, eventType(name, "Second"));

    assertThat(r.status()).isEqualTo(409);
    assertThat(r.field("code")).isNotEmpty();
    assertThat(r.field("detail")).contains(name);
    assertThat(api.get(TYPES + "/" + name).body()).isEqualTo(first);
  }

  @Test
  void the_same_name_is_free_in_another_org() {
    String name = uniqueUid("shared");
    create(api, eventType(name, "Mine"));

    assertThat(newOrg().post(TYPES, eventType(name, "Theirs")).status()).isEqualTo(201);
  }

  @Test
  void getting_an_unknown_event_type_answers_404() {
    Api.Response r = api.get(TYPES + "/" + uniqueUid("nothing"));

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.field("code")).isEqualTo("not_found");
  }

  @Test
  void an_event_type_without_a_description_answers_422_naming_it() {
    Api.Response r = api.post(TYPES, Map.of("name", uniqueUid("nodesc")));

    assertThat(r.status()).isEqualTo(422);
    assertThat(errorLocations(r)).containsExactly("body.description");
  }

  @Test
  void an_event_type_name_with_forbidden_characters_answers_422() {
    Api.Response r = api.post(TYPES, eventType("has space", "x"));

    assertThat(r.status()).isEqualTo(422);
    assertThat(errorLocations(r)).containsExactly("body.name");
  }

  @Test
  void schemas_that_are_not_an_object_answer_422() {
    Map<String, Object> body = eventType(uniqueUid("bad-schema"), "x");
    body.put("schemas", List.of(1, 2));

    Api.Response r = api.post(TYPES, body);

    assertThat(r.status()).isEqualTo(422);
    assertThat(errorLocations(r)).containsExactly("body.schemas");
  }

  @Test
  void the_list_is_ordered_by_name_and_pages_through_every_event_type() {
    Api org = newOrg();
    List<String> created = new ArrayList<>();
    for (String n : new String[] {"c.three", "a.one", "e.five", "b.two", "d.four"}) {
      create(org, eventType(n, "Type " + n));
      created.add(n);
    }

    Api.Response first = org.get(TYPES + "?limit=2");
    List<String> listed = listAll(org, "limit=2");

    assertThat(names(first)).containsExactly("a.one", "b.two");
    assertThat(first.body().path("done").asBoolean()).isFalse();
    assertThat(listed).isEqualTo(created.stream().sorted().toList());
  }

  @Test
  void the_list_leaves_out_schemas_unless_with_content_is_true() {
    Api org = newOrg();
    Map<String, Object> body = eventType("with.schema", "Has a schema");
    body.put("schemas", schemas());
    create(org, body);

    JsonNode plain = org.get(TYPES).body().path("data").get(0);
    JsonNode full = org.get(TYPES + "?with_content=true").body().path("data").get(0);

    assertThat(plain.path("name").asText()).isEqualTo("with.schema");
    assertThat(plain.path("schemas").isMissingNode() || plain.path("schemas").isNull()).isTrue();
    assertThat(full.path("schemas").path("1").path("type").asText()).isEqualTo("object");
  }

  @Test
  void put_replaces_an_existing_event_type_and_answers_200() {
    String name = uniqueUid("put");
    Map<String, Object> body = eventType(name, "Before");
    body.put("schemas", schemas());
    body.put("featureFlag", "old-flag");
    JsonNode created = create(api, body).body();

    Api.Response r = api.put(TYPES + "/" + name, Map.of("description", "After"));

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.field("name")).isEqualTo(name);
    assertThat(r.field("description")).isEqualTo("After");
    assertThat(r.body().path("schemas").isMissingNode() || r.body().path("schemas").isNull())
        .as("PUT replaces every field, so schemas are cleared")
        .isTrue();
    assertThat(
            r.body().path("featureFlag").isMissingNode() || r.body().path("featureFlag").isNull())
        .isTrue();
    assertThat(r.body().path("createdAt")).isEqualTo(created.path("createdAt"));
    assertThat(api.get(TYPES + "/" + name).body()).isEqualTo(r.body());
  }

  @Test
  void put_on_an_unknown_name_creates_the_event_type_and_answers_201() {
    String name = uniqueUid("upsert");

    Api.Response r = api.put(TYPES + "/" + name, Map.of("description", "Made by PUT"));

    assertThat(r.status()).isEqualTo(201);
    assertThat(r.field("name")).isEqualTo(name);
    assertThat(api.get(TYPES + "/" + name).field("description")).isEqualTo("Made by PUT");
  }

  @Test
  void patch_changes_only_the_fields_it_carries() {
    String name = uniqueUid("patch");
    Map<String, Object> body = eventType(name, "Before");
    body.put("schemas", schemas());
    JsonNode created = create(api, body).body();

    Api.Response r = api.patch(TYPES + "/" + name, Map.of("deprecated", true));

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body().path("deprecated").asBoolean()).isTrue();
    assertThat(r.field("description")).isEqualTo("Before");
    assertThat(r.body().path("schemas")).isEqualTo(created.path("schemas"));
    assertThat(api.get(TYPES + "/" + name).body()).isEqualTo(r.body());
  }

  @Test
  void patch_with_a_null_description_answers_422_and_changes_nothing() {
    String name = uniqueUid("patch-null");
    JsonNode created = create(api, eventType(name, "Keep")).body();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("description", null);
    body.put("deprecated", true);

    Api.Response r = api.patch(TYPES + "/" + name, body);

    assertThat(r.status()).isEqualTo(422);
    assertThat(errorLocations(r)).containsExactly("body.description");
    assertThat(api.get(TYPES + "/" + name).body()).isEqualTo(created);
  }

  @Test
  void patch_on_an_unknown_event_type_answers_404() {
    assertThat(api.patch(TYPES + "/" + uniqueUid("nope"), Map.of("deprecated", true)).status())
        .isEqualTo(404);
  }

  @Test
  void delete_archives_the_event_type_which_then_leaves_the_default_list() {
    Api org = newOrg();
    create(org, eventType("kept.type", "Kept"));
    create(org, eventType("old.type", "Old"));

    Api.Response r = org.delete(TYPES + "/old.type");

    assertThat(r.status()).isEqualTo(204);
    assertThat(r.text()).isEmpty();
    Api.Response archived = org.get(TYPES + "/old.type");
    assertThat(archived.status()).isEqualTo(200);
    assertThat(archived.body().path("archived").asBoolean()).isTrue();
    assertThat(listAll(org, "limit=250")).containsExactly("kept.type");
    assertThat(listAll(org, "limit=250&include_archived=true"))
        .containsExactly("kept.type", "old.type");
  }

  @Test
  void an_archived_event_type_cannot_be_used_as_an_endpoint_filter() {
    Api org = newOrg();
    create(org, eventType("gone.type", "Gone"));
    org.delete(TYPES + "/gone.type");
    String app = org.post(APPS, Map.of("name", "App")).field("id");

    Api.Response r =
        org.post(
            APPS + "/" + app + "/endpoint",
            Map.of("url", "https://example.com/hook", "eventTypes", List.of("gone.type")));

    assertThat(r.status()).isEqualTo(422);
    assertThat(r.text()).contains("gone.type");
  }

  @Test
  void delete_with_expunge_removes_the_event_type_and_frees_its_name() {
    Api org = newOrg();
    create(org, eventType("doomed.type", "Doomed"));

    Api.Response r = org.delete(TYPES + "/doomed.type?expunge=true");

    assertThat(r.status()).isEqualTo(204);
    assertThat(org.get(TYPES + "/doomed.type").status()).isEqualTo(404);
    assertThat(listAll(org, "limit=250&include_archived=true")).isEmpty();
    assertThat(org.post(TYPES, eventType("doomed.type", "Reborn")).status()).isEqualTo(201);
  }

  @Test
  void deleting_an_unknown_event_type_answers_404() {
    assertThat(api.delete(TYPES + "/" + uniqueUid("ghost")).status()).isEqualTo(404);
  }

  @Test
  void a_bad_request_leaves_no_partial_row() {
    Api org = newOrg();
    JsonNode kept = create(org, eventType("kept.type", "Kept")).body();

    assertThat(org.post(TYPES, Map.of("name", "no.description")).status()).isEqualTo(422);
    assertThat(org.post(TYPES, eventType("bad name", "x")).status()).isEqualTo(422);
    assertThat(org.post(TYPES, eventType("kept.type", "Clash")).status()).isEqualTo(409);
    assertThat(org.post(TYPES, "{broken").status()).isEqualTo(422);
    assertThat(org.put(TYPES + "/never.made", Map.of("schemas", "x")).status()).isEqualTo(422);
    Map<String, Object> nullDescription = new LinkedHashMap<>();
    nullDescription.put("description", null);
    assertThat(org.patch(TYPES + "/kept.type", nullDescription).status()).isEqualTo(422);

    assertThat(listAll(org, "limit=250&include_archived=true")).containsExactly("kept.type");
    assertThat(org.get(TYPES + "/kept.type").body()).isEqualTo(kept);
  }

  @Test
  void an_app_portal_token_can_list_and_get_event_types() {
    Api org = newOrg();
    create(org, eventType("visible.type", "Visible"));
    Api portal = server.api(portalToken(org));

    Api.Response list = portal.get(TYPES);
    Api.Response one = portal.get(TYPES + "/visible.type");

    assertThat(list.status()).isEqualTo(200);
    assertThat(names(list)).containsExactly("visible.type");
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.field("description")).isEqualTo("Visible");
  }

  @Test
  void an_app_portal_token_gets_403_on_every_event_type_write_and_changes_nothing() {
    Api org = newOrg();
    JsonNode kept = create(org, eventType("locked.type", "Locked")).body();
    Api portal = server.api(portalToken(org));

    assertThat(portal.post(TYPES, eventType("sneaky.type", "x")).status()).isEqualTo(403);
    assertThat(portal.put(TYPES + "/locked.type", Map.of("description", "x")).status())
        .isEqualTo(403);
    assertThat(portal.patch(TYPES + "/locked.type", Map.of("description", "x")).status())
        .isEqualTo(403);
    assertThat(portal.delete(TYPES + "/locked.type").status()).isEqualTo(403);
    assertThat(portal.delete(TYPES + "/locked.type?expunge=true").status()).isEqualTo(403);

    assertThat(org.get(TYPES + "/locked.type").body()).isEqualTo(kept);
    assertThat(listAll(org, "limit=250&include_archived=true")).containsExactly("locked.type");
  }
}
