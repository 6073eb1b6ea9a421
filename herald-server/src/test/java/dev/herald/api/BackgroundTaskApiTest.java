package dev.herald.api;

import static dev.herald.testing.Webhooks.endpointPath;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.json.Json;
import dev.herald.testing.Api;
import dev.herald.testing.ApiContractTest;
import dev.herald.testing.Eventually;
import dev.herald.testing.MutableClock;
import dev.herald.testing.Webhooks;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Background tasks: the recover window is validated before a task exists, a task that fails every
 * run ends as failed with its reason, and {@code GET /api/v1/background-task} lists tasks
 * (hardening #9 point 8). The server's clock is moved by hand to let task leases lapse.
 */
class BackgroundTaskApiTest extends ApiContractTest {
  private static final String TASKS = "/api/v1/background-task";
  private final MutableClock clock = MutableClock.atSystemTime();

  @Override
  protected InstantSource clock() {
    return clock;
  }

  @Override
  protected Map<String, String> settings() {
    return Map.of("HERALD_POLL_INTERVAL", "50ms");
  }

  private record Target(Api org, String app, String endpoint) {
    String recover() {
      return endpointPath(app, endpoint) + "/recover";
    }
  }

  private Target target() {
    Api org = newOrg();
    Webhooks hooks = new Webhooks(org);
    String app = hooks.createApp();
    return new Target(org, app, hooks.createEndpoint(app, "https://example.com/hook"));
  }

  @Test
  void refuses_a_recover_window_out_of_range_and_starts_no_task() {
    Target t = target();
    Instant now = clock.instant();
    String far = "+999999999-01-01T00:00:00Z";
    List<Object[]> cases =
        List.of(
            new Object[] {Map.of("since", far), "body.since"},
            new Object[] {
              Map.of("since", now.minusSeconds(60).toString(), "until", far), "body.until"
            },
            new Object[] {Map.of("since", "-999999999-01-01T00:00:00Z"), "body.since"},
            new Object[] {Map.of("since", now.minus(Duration.ofDays(15)).toString()), "body.since"},
            new Object[] {Map.of("since", now.plusSeconds(3600).toString()), "body.since"},
            new Object[] {
              Map.of(
                  "since",
                  now.minusSeconds(60).toString(),
                  "until",
                  now.minusSeconds(120).toString()),
              "body.until"
            },
            new Object[] {Map.of("since", "yesterday"), "body.since"});

    for (Object[] c : cases) {
      Api.Response r = t.org().post(t.recover(), c[0]);
      assertThat(r.status()).as("%s -> %s", c[0], r).isEqualTo(422);
      assertThat(errorLocations(r)).as("%s", c[0]).containsExactly((String) c[1]);
    }
    assertThat(t.org().get(TASKS).body().path("data")).isEmpty();

    Api.Response ok =
        t.org()
            .post(
                t.recover(),
                Map.of(
                    "since",
                    now.minus(Duration.ofDays(13)).toString(),
                    "until",
                    now.plusSeconds(60).toString()));
    assertThat(ok.status()).as("%s", ok).isEqualTo(202);
  }

  @Test
  void a_task_that_fails_every_run_ends_failed_with_its_reason() {
    // A task stored before recover windows were checked: its dates overflow every run.
    Target t = target();
    String orgId =
        server
            .herald()
            .database()
            .read(
                sql ->
                    sql.queryOne(
                        "SELECT org_id FROM application WHERE id = ?",
                        rs -> rs.getString(1),
                        t.app()))
            .orElseThrow();
    String taskId = "qtask_overflowing" + System.nanoTime();
    String params =
        Json.write(
            Map.of(
                "endpointId",
                t.endpoint(),
                "since",
                "+999999999-01-01T00:00:00Z",
                "until",
                "+999999999-01-01T00:00:00Z"));
    Instant now = clock.instant();
    server
        .herald()
        .database()
        .writeVoid(
            sql ->
                sql.update(
                    "INSERT INTO task (id, org_id, app_id, kind, status,"
                        + " params, created_at, updated_at) VALUES (?, ?, ?, 'endpoint.recover', 'running', ?, ?, ?)",
                    taskId,
                    orgId,
                    t.app(),
                    params,
                    now,
                    now));

    Api.Response failed =
        Eventually.await(
            "the task ends as failed",
            () -> {
              clock.advance(
                  Duration.ofSeconds(61)); // each failed run keeps the lease until it lapses
              return t.org().get(TASKS + "/" + taskId);
            },
            r -> r.field("status").equals("failed"),
            Duration.ofSeconds(60));

    assertThat(failed.field("failure")).contains("ArithmeticException");
    assertThat(keys(t.org().get(TASKS + "?status=failed"), "id")).containsExactly(taskId);
    assertThat(keys(t.org().get(TASKS + "?status=running"), "id")).isEmpty();
  }

  @Test
  void lists_the_orgs_tasks_with_status_and_kind_filters_and_paging() {
    Target t = target();
    String since = clock.instant().minusSeconds(3600).toString();
    List<String> started = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Api.Response r = t.org().post(t.recover(), Map.of("since", since));
      assertThat(r.status()).as("%s", r).isEqualTo(202);
      started.add(r.field("id"));
    }
    Eventually.await(
        "all finished",
        () -> keys(t.org().get(TASKS + "?status=finished"), "id"),
        ids -> ids.size() == 3);

    Api.Response first = t.org().get(TASKS + "?limit=2");
    assertThat(first.status()).as("%s", first).isEqualTo(200);
    assertThat(ids(first)).containsExactlyElementsOf(started.subList(0, 2));
    assertThat(first.body().path("done").asBoolean()).isFalse();
    Api.Response second = t.org().get(TASKS + "?limit=2&iterator=" + first.field("iterator"));
    assertThat(ids(second)).containsExactly(started.get(2));
    assertThat(second.body().path("done").asBoolean()).isTrue();
    assertThat(ids(t.org().get(TASKS + "?order=descending")))
        .containsExactlyElementsOf(started.reversed());

    assertThat(ids(t.org().get(TASKS + "?task=endpoint.recover&status=finished")))
        .containsExactlyElementsOf(started);
    assertThat(ids(t.org().get(TASKS + "?task=endpoint.replay"))).isEmpty();
    assertThat(ids(t.org().get(TASKS + "?status=running"))).isEmpty();
    assertThat(first.body().path("data").get(0).path("task").asText())
        .isEqualTo("endpoint.recover");
    assertThat(first.body().path("data").get(0).path("data").path("since").asText()).isNotEmpty();
    assertThat(first.body().path("data").get(0).has("failure")).isFalse();

    // Another org sees none of them.
    assertThat(ids(newOrg().get(TASKS))).isEmpty();
  }

  @Test
  void refuses_unknown_status_and_task_filters() {
    Api org = newOrg();
    Api.Response badStatus = org.get(TASKS + "?status=done");
    assertThat(badStatus.status()).as("%s", badStatus).isEqualTo(422);
    assertThat(errorLocations(badStatus)).containsExactly("query.status");
    Api.Response badTask = org.get(TASKS + "?task=endpoint.nothing");
    assertThat(badTask.status()).as("%s", badTask).isEqualTo(422);
    assertThat(errorLocations(badTask)).containsExactly("query.task");
  }
}
