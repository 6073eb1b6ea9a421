package dev.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.auth.AuthService;
import dev.herald.store.IdempotencyStore;
import dev.herald.testing.Api;
import dev.herald.testing.ApiContractTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The {@code idempotency-key} header on POST. */
class IdempotencyApiTest extends ApiContractTest {
  static final String APPS = "/api/v1/app";

  private static Map<String, String> key(String value) {
    return Map.of("idempotency-key", value);
  }

  private static String newKey() {
    return "key-" + UUID.randomUUID();
  }

  private static int count(Api client) {
    Api.Response r = client.get(APPS + "?limit=250");
    assertThat(r.status()).isEqualTo(200);
    return r.body().path("data").size();
  }

  @Test
  void repeating_a_request_with_the_same_key_replays_the_first_answer_and_creates_once() {
    Api org = newOrg();
    String key = newKey();
    Map<String, Object> body = Map.of("name", "Once");

    Api.Response first = org.post(APPS, body, key(key));
    Api.Response second = org.post(APPS, body, key(key));

    assertThat(first.status()).isEqualTo(201);
    assertThat(second.status()).isEqualTo(201);
    assertThat(second.text()).isEqualTo(first.text());
    assertThat(second.header("idempotent-replayed")).isEqualTo("true");
    assertThat(first.header("idempotent-replayed")).isNull();
    assertThat(count(org)).isEqualTo(1);
  }

  @Test
  void reusing_a_key_with_a_different_body_answers_409_and_creates_nothing() {
    Api org = newOrg();
    String key = newKey();
    org.post(APPS, Map.of("name", "First"), key(key));

    Api.Response r = org.post(APPS, Map.of("name", "Second"), key(key));

    assertThat(r.status()).isEqualTo(409);
    assertThat(r.field("code")).isEqualTo("idempotency_conflict");
    assertThat(count(org)).isEqualTo(1);
  }

  @Test
  void reusing_a_key_with_a_different_query_answers_409() {
    Api org = newOrg();
    String key = newKey();
    Map<String, Object> body = Map.of("name", "Query", "uid", "query-app");
    org.post(APPS, body, key(key));

    Api.Response r = org.post(APPS + "?get_if_exists=true", body, key(key));

    assertThat(r.status()).isEqualTo(409);
    assertThat(r.field("code")).isEqualTo("idempotency_conflict");
  }

  @Test
  void concurrent_duplicates_create_exactly_one_application_and_all_see_its_id() throws Exception {
    Api org = newOrg();
    String key = newKey();
    int threads = 8;
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Api.Response>> answers = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      for (int i = 0; i < threads; i++) {
        answers.add(
            pool.submit(
                () -> {
                  start.await();
                  return org.post(APPS, Map.of("name", "Raced"), key(key));
                }));
      }
      start.countDown();
      List<String> ids = new ArrayList<>();
      for (Future<Api.Response> answer : answers) {
        Api.Response r = answer.get();
        assertThat(r.status()).as("%s", r).isEqualTo(201);
        ids.add(r.field("id"));
      }
      assertThat(ids).doesNotContainNull().containsOnly(ids.get(0));
    }
    assertThat(count(org)).isEqualTo(1);
  }

  @Test
  void a_404_is_not_kept_so_the_retry_after_creating_the_application_is_accepted() {
    Api org = newOrg();
    String key = newKey();
    String uid = "later-" + UUID.randomUUID();
    Map<String, Object> message = Map.of("eventType", "user.created", "payload", Map.of("n", 1));

    Api.Response missing = org.post(APPS + "/" + uid + "/msg", message, key(key));
    assertThat(org.post(APPS, Map.of("name", "Later", "uid", uid)).status()).isEqualTo(201);
    Api.Response retry = org.post(APPS + "/" + uid + "/msg", message, key(key));
    Api.Response again = org.post(APPS + "/" + uid + "/msg", message, key(key));

    assertThat(missing.status()).as("%s", missing).isEqualTo(404);
    assertThat(retry.status()).as("%s", retry).isEqualTo(202);
    assertThat(retry.header("idempotent-replayed")).isNull();
    assertThat(again.status()).isEqualTo(202);
    assertThat(again.header("idempotent-replayed")).isEqualTo("true");
    assertThat(again.field("id")).isEqualTo(retry.field("id"));
  }

  @Test
  void a_corrected_body_after_a_422_runs_under_the_same_key() {
    Api org = newOrg();
    String key = newKey();

    Api.Response invalid = org.post(APPS, Map.of("throttleRate", 0), key(key));
    Api.Response corrected = org.post(APPS, Map.of("name", "Fixed"), key(key));

    assertThat(invalid.status()).isEqualTo(422);
    assertThat(corrected.status()).as("%s", corrected).isEqualTo(201);
    assertThat(corrected.header("idempotent-replayed")).isNull();
    assertThat(count(org)).isEqualTo(1);
  }

  @Test
  void a_conflict_is_not_kept_so_the_retry_runs_again() {
    Api org = newOrg();
    org.post(APPS, Map.of("name", "Holder", "uid", "taken"));
    String key = newKey();

    Api.Response first = org.post(APPS, Map.of("name", "Clash", "uid", "taken"), key(key));
    Api.Response second = org.post(APPS, Map.of("name", "Clash", "uid", "taken"), key(key));

    assertThat(first.status()).isEqualTo(409);
    assertThat(second.status()).isEqualTo(409);
    assertThat(second.header("idempotent-replayed")).isNull();
  }

  @Test
  void a_4xx_answer_kept_by_an_earlier_version_is_not_replayed() {
    AuthService.OrgKey org = server.herald().auth().createOrg("legacy-idempotency");
    String key = newKey();
    IdempotencyStore store = new IdempotencyStore();
    Instant now = Instant.now();
    server
        .herald()
        .database()
        .writeVoid(
            sql -> {
              store.tryClaim(
                  sql, org.orgId(), key, "an-earlier-hash", now, now.plus(Duration.ofHours(24)));
              store.complete(sql, org.orgId(), key, 404, "{}".getBytes(StandardCharsets.UTF_8));
            });

    Api.Response r = server.api(org.key()).post(APPS, Map.of("name", "Now"), key(key));

    assertThat(r.status()).as("%s", r).isEqualTo(201);
    assertThat(r.header("idempotent-replayed")).isNull();
  }

  @Test
  void an_answer_kept_by_an_earlier_version_is_replayed_for_the_same_bytes() {
    AuthService.OrgKey org = server.herald().auth().createOrg("legacy-fingerprint");
    String key = newKey();
    String body = "{\"name\": \"Before the upgrade\"}";
    String earlierHash =
        RequestFingerprint.ofBytes("POST", APPS, body.getBytes(StandardCharsets.UTF_8));
    IdempotencyStore store = new IdempotencyStore();
    Instant now = Instant.now();
    server
        .herald()
        .database()
        .writeVoid(
            sql -> {
              store.tryClaim(
                  sql, org.orgId(), key, earlierHash, now, now.plus(Duration.ofHours(24)));
              store.complete(
                  sql,
                  org.orgId(),
                  key,
                  201,
                  "{\"id\":\"app_kept\"}".getBytes(StandardCharsets.UTF_8));
            });

    Api.Response r = server.api(org.key()).post(APPS, body, key(key));

    assertThat(r.status()).as("%s", r).isEqualTo(201);
    assertThat(r.header("idempotent-replayed")).isEqualTo("true");
    assertThat(r.field("id")).isEqualTo("app_kept");
  }

  @Test
  void the_same_document_with_other_whitespace_and_member_order_is_the_same_request() {
    Api org = newOrg();
    String key = newKey();
    String first =
        "{\"name\":\"Same\",\"metadata\":{\"a\":\"\u00e9\",\"b\":\"2\"},\"throttleRate\":10}";
    String second =
        "{ \"throttleRate\" : 10,\n  \"metadata\": {\"b\":\"2\", \"a\":\"\\u00e9\"},\t\"name\":\"Same\" }\n";

    Api.Response a = org.post(APPS, first, key(key));
    Api.Response b = org.post(APPS, second, key(key));

    assertThat(a.status()).as("%s", a).isEqualTo(201);
    assertThat(b.status()).as("%s", b).isEqualTo(201);
    assertThat(b.header("idempotent-replayed")).isEqualTo("true");
    assertThat(b.field("id")).isEqualTo(a.field("id"));
    assertThat(count(org)).isEqualTo(1);
  }

  @Test
  void numbers_that_differ_only_beyond_double_precision_are_different_requests() {
    Api org = newOrg();
    String app = org.post(APPS, Map.of("name", "Amounts")).field("id");
    String key = newKey();
    String message = "{\"eventType\":\"invoice.paid\",\"payload\":{\"amt\":12345678901234567.%s}}";

    Api.Response a = org.post(APPS + "/" + app + "/msg", message.formatted("89"), key(key));
    Api.Response b = org.post(APPS + "/" + app + "/msg", message.formatted("88"), key(key));

    assertThat(a.status()).as("%s", a).isEqualTo(202);
    assertThat(b.status()).as("%s", b).isEqualTo(409);
    assertThat(b.field("code")).isEqualTo("idempotency_conflict");
  }

  @Test
  void requests_without_a_key_are_never_deduplicated() {
    Api org = newOrg();

    org.post(APPS, Map.of("name", "Same"));
    org.post(APPS, Map.of("name", "Same"));

    assertThat(count(org)).isEqualTo(2);
  }

  @Test
  void the_same_key_in_two_orgs_runs_twice() {
    Api first = newOrg();
    Api second = newOrg();
    String key = newKey();

    Api.Response a = first.post(APPS, Map.of("name", "Shared key"), key(key));
    Api.Response b = second.post(APPS, Map.of("name", "Shared key"), key(key));

    assertThat(a.status()).isEqualTo(201);
    assertThat(b.status()).isEqualTo(201);
    assertThat(b.field("id")).isNotEqualTo(a.field("id"));
    assertThat(b.header("idempotent-replayed")).isNull();
  }

  @Test
  void a_key_longer_than_256_characters_answers_400() {
    Api.Response r = api.post(APPS, Map.of("name", "x"), key("k".repeat(257)));

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.field("code")).isEqualTo("invalid_idempotency_key");
  }
}
