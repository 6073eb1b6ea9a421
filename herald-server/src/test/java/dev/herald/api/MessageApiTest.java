package dev.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.json.Json;
import dev.herald.testing.Api;
import dev.herald.testing.ApiContractTest;
import dev.herald.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code /api/v1/app/{app_id}/msg}: accepting, listing, reading and expunging messages. */
class MessageApiTest extends ApiContractTest {
  static final String APPS = "/api/v1/app";
  static final int MAX_PAYLOAD_SIZE = 2048;

  private final MutableClock clock = MutableClock.atSystemTime();

  @Override
  protected Map<String, String> settings() {
    return Map.of("HERALD_MAX_PAYLOAD_SIZE", Integer.toString(MAX_PAYLOAD_SIZE));
  }

  @Override
  protected InstantSource clock() {
    return clock;
  }

  private static String newApp(Api client) {
    Api.Response r = client.post(APPS, Map.of("name", "Message owner"));
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return r.field("id");
  }

  private static String messages(String app) {
    return APPS + "/" + app + "/msg";
  }

  private static Map<String, Object> message(String eventType, Object payload) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("eventType", eventType);
    body.put("payload", payload);
    return body;
  }

  private static Api.Response send(Api client, String app, Object body) {
    Api.Response r = client.post(messages(app), body);
    assertThat(r.status()).as("%s", r).isEqualTo(202);
    return r;
  }

  /** Sends a message one second after the previous one, so timestamps and ids order them. */
  private Api.Response sendLater(Api client, String app, Object body) {
    clock.advance(Duration.ofSeconds(1));
    return send(client, app, body);
  }

  private static List<String> listAll(Api client, String app, String query) {
    return listAll(client, messages(app), query, "id");
  }

  private static int countMessages(Api client, String app) {
    return listAll(client, app, "limit=250").size();
  }

  // ---- create ----

  @Test
  void creating_a_message_answers_202_with_the_message_out_shape() {
    String app = newApp(api);
    Map<String, Object> body = message("user.signup", Map.of("email", "a@example.com", "n", 1));
    body.put("eventId", uniqueUid("evt"));
    body.put("channels", List.of("project_1", "group-2"));

    Api.Response r = send(api, app, body);

    JsonNode m = r.body();
    assertThat(m.path("id").asText()).startsWith("msg_").doesNotContain(".");
    assertThat(m.path("eventType").asText()).isEqualTo("user.signup");
    assertThat(m.path("eventId").asText()).isEqualTo(body.get("eventId"));
    assertThat(m.path("payload")).isEqualTo(Json.MAPPER.valueToTree(body.get("payload")));
    assertThat(m.path("channels"))
        .extracting(JsonNode::asText)
        .containsExactlyInAnyOrder("project_1", "group-2");
    assertThat(Instant.parse(m.path("timestamp").asText())).isEqualTo(clock.instant());
    assertThat(r.header("content-type")).startsWith("application/json");
  }

  @Test
  void a_message_without_an_event_id_has_a_null_event_id() {
    JsonNode m = send(api, newApp(api), message("a.b", Map.of())).body();

    assertThat(m.has("eventId")).isTrue();
    assertThat(m.path("eventId").isNull()).isTrue();
  }

  @Test
  void what_create_answers_is_exactly_what_get_returns() {
    String app = newApp(api);
    Map<String, Object> body = message("round.trip", Map.of("nested", Map.of("a", List.of(1, 2))));
    body.put("channels", List.of("c1"));
    Api.Response created = send(api, app, body);

    Api.Response fetched = api.get(messages(app) + "/" + created.field("id"));

    assertThat(fetched.status()).isEqualTo(200);
    assertThat(fetched.body()).isEqualTo(created.body());
  }

  @Test
  void a_second_message_with_the_same_event_id_in_the_app_answers_409_and_stores_nothing() {
    String app = newApp(api);
    String eventId = uniqueUid("once");
    Map<String, Object> body = message("a.b", Map.of("n", 1));
    body.put("eventId", eventId);
    send(api, app, body);

    Api.Response r = api.post(messages(app), body);

    assertThat(r.status()).isEqualTo(409);
    assertThat(r.field("detail")).contains(eventId);
    assertThat(countMessages(api, app)).isEqualTo(1);
  }

  @Test
  void the_same_event_id_is_free_in_another_application() {
    String eventId = uniqueUid("shared");
    Map<String, Object> body = message("a.b", Map.of());
    body.put("eventId", eventId);
    send(api, newApp(api), body);

    assertThat(api.post(messages(newApp(api)), body).status()).isEqualTo(202);
  }

  @Test
  void a_message_is_found_by_its_event_id() {
    String app = newApp(api);
    String eventId = uniqueUid("lookup");
    Map<String, Object> body = message("a.b", Map.of("k", "v"));
    body.put("eventId", eventId);
    JsonNode created = send(api, app, body).body();

    Api.Response r = api.get(messages(app) + "/" + eventId);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(created);
  }

  @Test
  void getting_an_unknown_message_answers_404() {
    Api.Response r = api.get(messages(newApp(api)) + "/" + uniqueUid("nothing"));

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.field("code")).isEqualTo("not_found");
  }

  @Test
  void a_message_of_another_application_is_not_found() {
    String mine = newApp(api);
    String id = send(api, mine, message("a.b", Map.of())).field("id");

    assertThat(api.get(messages(newApp(api)) + "/" + id).status()).isEqualTo(404);
  }

  @Test
  void a_message_for_an_unknown_application_answers_404_without_application_details() {
    String uid = uniqueUid("nobody");

    Api.Response r = api.post(messages(uid), message("a.b", Map.of()));

    assertThat(r.status()).isEqualTo(404);
    assertThat(api.get(APPS + "/" + uid).status()).isEqualTo(404);
  }

  @Test
  void application_details_in_the_body_create_the_application_on_the_fly() {
    String uid = uniqueUid("on-the-fly");
    Map<String, Object> body = message("a.b", Map.of("x", 1));
    body.put("application", Map.of("name", "Made with the message"));

    Api.Response r = api.post(messages(uid), body);

    assertThat(r.status()).as("%s", r).isEqualTo(202);
    Api.Response app = api.get(APPS + "/" + uid);
    assertThat(app.status()).isEqualTo(200);
    assertThat(app.field("name")).isEqualTo("Made with the message");
    assertThat(app.field("uid")).isEqualTo(uid);
    assertThat(api.get(messages(uid) + "/" + r.field("id")).status()).isEqualTo(200);
  }

  @Test
  void application_details_for_an_existing_application_leave_it_unchanged() {
    String uid = uniqueUid("existing");
    JsonNode existing = api.post(APPS, Map.of("name", "Original", "uid", uid)).body();
    Map<String, Object> body = message("a.b", Map.of());
    body.put("application", Map.of("name", "Ignored"));

    assertThat(api.post(messages(uid), body).status()).isEqualTo(202);

    assertThat(api.get(APPS + "/" + uid).body()).isEqualTo(existing);
  }

  @Test
  void invalid_application_details_answer_422_and_create_no_application() {
    String uid = uniqueUid("not-made");
    Map<String, Object> body = message("a.b", Map.of());
    body.put("application", Map.of("name", ""));

    Api.Response r = api.post(messages(uid), body);

    assertThat(r.status()).isEqualTo(422);
    assertThat(errorLocations(r)).containsExactly("body.application.name");
    assertThat(api.get(APPS + "/" + uid).status()).isEqualTo(404);
  }

  @Test
  void a_raw_payload_is_stored_and_returned() {
    String app = newApp(api);
    Map<String, Object> body = message("raw.json", Map.of());
    body.put("transformationsParams", Map.of("rawPayload", "{\"b\": 2,  \"a\": [1, 2]}"));

    JsonNode created = send(api, app, body).body();
    JsonNode fetched = api.get(messages(app) + "/" + created.path("id").asText()).body();

    assertThat(created.path("payload").path("b").asInt()).isEqualTo(2);
    assertThat(created.path("payload").path("a").size()).isEqualTo(2);
    assertThat(fetched.path("payload")).isEqualTo(created.path("payload"));
  }

  @Test
  void a_raw_payload_that_is_not_json_is_returned_as_a_string() {
    String app = newApp(api);
    Map<String, Object> body = message("raw.text", Map.of());
    body.put("transformationsParams", Map.of("rawPayload", "plain text, not JSON"));

    JsonNode created = send(api, app, body).body();

    assertThat(created.path("payload").asText()).isEqualTo("plain text, not JSON");
    assertThat(api.get(messages(app) + "/" + created.path("id").asText()).body().path("payload"))
        .isEqualTo(created.path("payload"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"[1, 2]", "\"text\"", "12", "true"})
  void a_payload_that_is_not_an_object_answers_422(String payload) {
    String app = newApp(api);

    Api.Response r =
        api.post(messages(app), "{\"eventType\": \"a.b\", \"payload\": " + payload + "}");

    assertThat(r.status()).isEqualTo(422);
    assertThat(errorLocations(r)).containsExactly("body.payload");
    assertThat(countMessages(api, app)).isZero();
  }

  @Test
  void a_missing_payload_and_event_type_answer_422_naming_both() {
    Api.Response r = api.post(messages(newApp(api)), Map.of("eventId", "x"));

    assertThat(r.status()).isEqualTo(422);
    assertThat(errorLocations(r)).containsExactlyInAnyOrder("body.eventType", "body.payload");
  }

  @Test
  void six_channels_answer_422_and_five_are_accepted() {
    String app = newApp(api);
    Map<String, Object> five = message("a.b", Map.of());
    five.put("channels", IntStream.range(0, 5).mapToObj(i -> "ch" + i).toList());
    Map<String, Object> six = message("a.b", Map.of());
    six.put("channels", IntStream.range(0, 6).mapToObj(i -> "ch" + i).toList());

    Api.Response rejected = api.post(messages(app), six);

    assertThat(rejected.status()).isEqualTo(422);
    assertThat(errorLocations(rejected)).containsExactly("body.channels");
    assertThat(api.post(messages(app), five).status()).isEqualTo(202);
    assertThat(countMessages(api, app)).isEqualTo(1);
  }

  @Test
  void a_payload_within_the_size_limit_is_accepted() {
    Map<String, Object> body = message("a.b", Map.of("data", "x".repeat(MAX_PAYLOAD_SIZE - 100)));

    assertThat(api.post(messages(newApp(api)), body).status()).isEqualTo(202);
  }

  @Test
  void a_payload_above_the_size_limit_answers_413_and_stores_nothing() {
    String app = newApp(api);
    Map<String, Object> body = message("a.b", Map.of("data", "x".repeat(MAX_PAYLOAD_SIZE + 1)));

    Api.Response r = api.post(messages(app), body);

    assertThat(r.status()).isEqualTo(413);
    assertThat(r.field("code")).isEqualTo("payload_too_large");
    assertThat(r.field("detail")).contains("HERALD_MAX_PAYLOAD_SIZE");
    assertThat(countMessages(api, app)).isZero();
  }

  @Test
  void a_body_far_above_the_limit_is_read_to_its_end_so_the_client_gets_the_413() throws Exception {
    String app = newApp(api);
    // Far above the limit and above the most the server reads as a body (a multiple of it): a
    // server that refused it unread would answer and close while the client is still sending.
    byte[] body =
        ("{\"eventType\":\"a.b\",\"payload\":{\"d\":\"" + "x".repeat(600_000) + "\"}}")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);

    String status =
        dev.herald.testing.SlowUpload.post(
            server.baseUrl() + messages(app),
            Map.of(
                "Content-Type", "application/json", "Authorization", "Bearer " + server.adminKey()),
            body);

    assertThat(status).startsWith("HTTP/1.1 413");
    assertThat(countMessages(api, app)).isZero();
  }

  @Test
  void a_raw_payload_above_the_size_limit_answers_413() {
    String app = newApp(api);
    Map<String, Object> body = message("a.b", Map.of());
    body.put("transformationsParams", Map.of("rawPayload", "y".repeat(MAX_PAYLOAD_SIZE + 1)));

    assertThat(api.post(messages(app), body).status()).isEqualTo(413);
    assertThat(countMessages(api, app)).isZero();
  }

  // ---- list ----

  @Test
  void the_list_shows_the_newest_message_first_and_pages_through_all() {
    String app = newApp(api);
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      sent.add(sendLater(api, app, message("a.b", Map.of("i", i))).field("id"));
    }

    Api.Response first = api.get(messages(app) + "?limit=2");

    assertThat(ids(first)).containsExactly(sent.get(4), sent.get(3));
    assertThat(first.body().path("done").asBoolean()).isFalse();
    assertThat(listAll(api, app, "limit=2")).isEqualTo(sent.reversed());
  }

  @Test
  void the_list_filters_by_channel() {
    String app = newApp(api);
    Map<String, Object> inChannel = message("a.b", Map.of());
    inChannel.put("channels", List.of("blue", "green"));
    Map<String, Object> elsewhere = message("a.b", Map.of());
    elsewhere.put("channels", List.of("red"));
    String wanted = send(api, app, inChannel).field("id");
    send(api, app, elsewhere);
    send(api, app, message("a.b", Map.of()));

    assertThat(listAll(api, app, "channel=green")).containsExactly(wanted);
    assertThat(listAll(api, app, "channel=gre")).isEmpty();
    assertThat(listAll(api, app, "channel=GREEN")).as("channels are case-sensitive").isEmpty();
  }

  @Test
  void the_channel_filter_matches_underscores_literally() {
    String app = newApp(api);
    Map<String, Object> underscore = message("a.b", Map.of());
    underscore.put("channels", List.of("team_1"));
    Map<String, Object> lookalike = message("a.b", Map.of());
    lookalike.put("channels", List.of("teamX1"));
    String wanted = send(api, app, underscore).field("id");
    send(api, app, lookalike);

    assertThat(listAll(api, app, "channel=team_1")).containsExactly(wanted);
  }

  @Test
  void the_list_filters_by_event_types() {
    String app = newApp(api);
    String created = sendLater(api, app, message("user.created", Map.of())).field("id");
    String deleted = sendLater(api, app, message("user.deleted", Map.of())).field("id");
    sendLater(api, app, message("user.updated", Map.of()));

    assertThat(listAll(api, app, "event_types=user.created")).containsExactly(created);
    assertThat(listAll(api, app, "event_types=user.created&event_types=user.deleted"))
        .containsExactly(deleted, created);
    assertThat(listAll(api, app, "event_types=user.created,user.deleted"))
        .containsExactly(deleted, created);
  }

  @Test
  void the_list_filters_by_before_and_after() {
    String app = newApp(api);
    String early = sendLater(api, app, message("a.b", Map.of())).field("id");
    Instant afterEarly = clock.advance(Duration.ofMillis(500));
    String middle = sendLater(api, app, message("a.b", Map.of())).field("id");
    Instant afterMiddle = clock.advance(Duration.ofMillis(500));
    String late = sendLater(api, app, message("a.b", Map.of())).field("id");

    assertThat(listAll(api, app, "before=" + afterEarly)).containsExactly(early);
    assertThat(listAll(api, app, "after=" + afterMiddle)).containsExactly(late);
    assertThat(listAll(api, app, "after=" + afterEarly + "&before=" + afterMiddle))
        .containsExactly(middle);
  }

  @Test
  void a_malformed_before_answers_422_at_query_before() {
    Api.Response r = api.get(messages(newApp(api)) + "?before=yesterday");

    assertThat(r.status()).isEqualTo(422);
    assertThat(errorLocations(r)).containsExactly("query.before");
  }

  @Test
  void the_list_without_content_shows_empty_payloads() {
    String app = newApp(api);
    send(api, app, message("a.b", Map.of("secret", "data")));

    JsonNode withContent = api.get(messages(app)).body().path("data").get(0);
    JsonNode without = api.get(messages(app) + "?with_content=false").body().path("data").get(0);

    assertThat(withContent.path("payload").path("secret").asText()).isEqualTo("data");
    assertThat(without.path("payload").isObject()).isTrue();
    assertThat(without.path("payload").size()).isZero();
    assertThat(without.path("id")).isEqualTo(withContent.path("id"));
  }

  @Test
  void the_list_of_an_unknown_application_answers_404() {
    assertThat(api.get(messages(uniqueUid("ghost"))).status()).isEqualTo(404);
  }

  // ---- get and expunge ----

  @Test
  void get_without_content_returns_an_empty_payload() {
    String app = newApp(api);
    String id = send(api, app, message("a.b", Map.of("k", "v"))).field("id");

    Api.Response r = api.get(messages(app) + "/" + id + "?with_content=false");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body().path("payload").isObject()).isTrue();
    assertThat(r.body().path("payload").size()).isZero();
    assertThat(r.field("eventType")).isEqualTo("a.b");
  }

  @Test
  void expunging_the_content_answers_204_and_leaves_an_empty_payload() {
    String app = newApp(api);
    String eventId = uniqueUid("expunged");
    Map<String, Object> body = message("a.b", Map.of("pii", "someone@example.com"));
    body.put("eventId", eventId);
    JsonNode created = send(api, app, body).body();
    String id = created.path("id").asText();

    Api.Response r = api.delete(messages(app) + "/" + id + "/content");

    assertThat(r.status()).isEqualTo(204);
    assertThat(r.text()).isEmpty();
    JsonNode after = api.get(messages(app) + "/" + id).body();
    assertThat(after.path("payload").isObject()).isTrue();
    assertThat(after.path("payload").size()).isZero();
    assertThat(after.path("eventId").asText()).isEqualTo(eventId);
    assertThat(after.path("timestamp")).isEqualTo(created.path("timestamp"));
    assertThat(api.get(messages(app)).body().toString()).doesNotContain("someone@example.com");
  }

  @Test
  void expunging_by_event_id_works_and_an_unknown_message_answers_404() {
    String app = newApp(api);
    String eventId = uniqueUid("by-event-id");
    Map<String, Object> body = message("a.b", Map.of("k", "v"));
    body.put("eventId", eventId);
    send(api, app, body);

    assertThat(api.delete(messages(app) + "/" + eventId + "/content").status()).isEqualTo(204);
    assertThat(api.get(messages(app) + "/" + eventId).body().path("payload").size()).isZero();
    assertThat(api.delete(messages(app) + "/" + uniqueUid("none") + "/content").status())
        .isEqualTo(404);
  }

  // ---- atomicity and portal scope ----

  @Test
  void a_bad_request_leaves_no_partial_row() {
    Api org = newOrg();
    String app = newApp(org);
    String eventId = uniqueUid("kept");
    Map<String, Object> kept = message("a.b", Map.of("k", 1));
    kept.put("eventId", eventId);
    JsonNode keptMessage = send(org, app, kept).body();
    Map<String, Object> tooManyChannels = message("a.b", Map.of());
    tooManyChannels.put("channels", List.of("1", "2", "3", "4", "5", "6"));

    assertThat(org.post(messages(app), kept).status()).isEqualTo(409);
    assertThat(org.post(messages(app), tooManyChannels).status()).isEqualTo(422);
    assertThat(org.post(messages(app), message("a.b", List.of(1))).status()).isEqualTo(422);
    assertThat(org.post(messages(app), message("bad type", Map.of())).status()).isEqualTo(422);
    assertThat(org.post(messages(app), "{broken").status()).isEqualTo(422);
    assertThat(
            org.post(messages(app), message("a.b", Map.of("d", "x".repeat(MAX_PAYLOAD_SIZE))))
                .status())
        .isEqualTo(413);

    assertThat(listAll(org, app, "limit=250")).containsExactly(keptMessage.path("id").asText());
    assertThat(org.get(messages(app) + "/" + eventId).body()).isEqualTo(keptMessage);
  }

  @Test
  void an_app_portal_token_reads_its_own_messages_and_gets_404_for_another_application() {
    String mine = newApp(api);
    String theirs = newApp(api);
    String myMessage = send(api, mine, message("a.b", Map.of())).field("id");
    String theirMessage = send(api, theirs, message("a.b", Map.of())).field("id");
    Api.Response access = api.post("/api/v1/auth/app-portal-access/" + mine, Map.of());
    Api portal = server.api(access.field("token"));

    assertThat(portal.get(messages(mine) + "/" + myMessage).status()).isEqualTo(200);
    assertThat(ids(portal.get(messages(mine)))).containsExactly(myMessage);
    assertThat(portal.get(messages(theirs) + "/" + theirMessage).status()).isEqualTo(404);
    assertThat(portal.get(messages(theirs)).status()).isEqualTo(404);
    assertThat(portal.post(messages(theirs), message("a.b", Map.of())).status()).isEqualTo(404);
    assertThat(portal.delete(messages(theirs) + "/" + theirMessage + "/content").status())
        .isEqualTo(404);
    assertThat(countMessages(api, theirs)).isEqualTo(1);
  }
}
