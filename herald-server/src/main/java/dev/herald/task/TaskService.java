package dev.herald.task;

import dev.herald.endpoint.Endpoint;
import dev.herald.endpoint.EndpointService;
import dev.herald.error.NotFound;
import dev.herald.error.ValidationFailed;
import dev.herald.id.IdPrefix;
import dev.herald.id.Ids;
import dev.herald.json.Json;
import dev.herald.store.Database;
import dev.herald.store.DeliveryStore;
import dev.herald.store.Page;
import dev.herald.store.PageRequest;
import dev.herald.store.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Starts and reads durable background tasks. */
public final class TaskService {
  /** How far back a recover may reach (Svix's limit too); older failures need a resend each. */
  public static final Duration RECOVER_WINDOW = Duration.ofDays(14);

  /** How far ahead {@code until} may lie: room for a client's clock running ahead of ours. */
  public static final Duration RECOVER_UNTIL_AHEAD = Duration.ofDays(1);

  private final Database db;
  private final TaskStore tasks;
  private final EndpointService endpoints;
  private final TaskRunner runner;
  private final Ids ids;
  private final InstantSource clock;
  private final DeliveryStore deliveries = new DeliveryStore();

  public TaskService(
      Database db,
      TaskStore tasks,
      EndpointService endpoints,
      TaskRunner runner,
      Ids ids,
      InstantSource clock) {
    this.db = db;
    this.tasks = tasks;
    this.endpoints = endpoints;
    this.runner = runner;
    this.ids = ids;
    this.clock = clock;
  }

  /** Recover: re-queues the endpoint's failed deliveries created in [since, until or now). */
  public Task startRecover(
      String orgId, String appIdOrUid, String endpointIdOrUid, Instant since, Instant until) {
    checkRecoverWindow(since, until, clock.instant());
    Task task =
        db.write(
            sql -> {
              Endpoint ep = endpoints.find(sql, orgId, appIdOrUid, endpointIdOrUid);
              Instant now = clock.instant();
              Map<String, Object> params = new LinkedHashMap<>();
              params.put("endpointId", ep.id());
              params.put("since", since.toString());
              params.put("until", (until != null ? until : now).toString());
              Task t =
                  new Task(
                      ids.next(IdPrefix.TASK),
                      orgId,
                      ep.appId(),
                      Task.ENDPOINT_RECOVER,
                      Task.RUNNING,
                      Json.MAPPER.valueToTree(params),
                      null,
                      null,
                      now);
              tasks.insert(sql, t, now);
              return t;
            });
    runner.wake();
    return task;
  }

  /**
   * How many failed deliveries {@link #startRecover} with the same arguments would retry now (the
   * portal shows it before asking to confirm). The window is checked as startRecover checks it.
   */
  public long countRecoverable(
      String orgId, String appIdOrUid, String endpointIdOrUid, Instant since, Instant until) {
    checkRecoverWindow(since, until, clock.instant());
    return db.readByTenant(
        sql -> {
          Endpoint ep = endpoints.find(sql, orgId, appIdOrUid, endpointIdOrUid);
          Instant end = until != null ? until : clock.instant();
          return deliveries.countFailed(sql, ep.id(), since, end);
        });
  }

  /**
   * A recover window must lie where failed deliveries can be: {@code since} within {@link
   * #RECOVER_WINDOW} before now, {@code until} after {@code since} and at most {@link
   * #RECOVER_UNTIL_AHEAD} ahead. (A date far out of range once made a task that could never run.)
   */
  static void checkRecoverWindow(Instant since, Instant until, Instant now) {
    List<ValidationFailed.Item> problems = new ArrayList<>();
    if (since.isBefore(now.minus(RECOVER_WINDOW))) {
      problems.add(
          item(
              "since",
              "must be within "
                  + RECOVER_WINDOW.toDays()
                  + " days before now ("
                  + now.minus(RECOVER_WINDOW)
                  + " or later)",
              "value_error.datetime.too_old"));
    } else if (since.isAfter(now)) {
      problems.add(
          item(
              "since",
              "must not be in the future (now is " + now + ")",
              "value_error.datetime.future"));
    }
    if (until != null) {
      if (until.isBefore(since)) {
        problems.add(
            item("until", "must not be before since", "value_error.datetime.before_since"));
      } else if (until.isAfter(now.plus(RECOVER_UNTIL_AHEAD))) {
        problems.add(
            item(
                "until",
                "must be at most "
                    + RECOVER_UNTIL_AHEAD.toHours()
                    + " hours ahead of now ("
                    + now.plus(RECOVER_UNTIL_AHEAD)
                    + " or earlier)",
                "value_error.datetime.future"));
      }
    }
    if (!problems.isEmpty()) {
      throw new ValidationFailed(problems);
    }
  }

  private static ValidationFailed.Item item(String field, String msg, String type) {
    return new ValidationFailed.Item(List.of("body", field), msg, type);
  }

  /** Svix's backgroundTask.list: the org's tasks, optionally of one status and one kind. */
  public Page<Task> list(String orgId, String status, String kind, PageRequest page) {
    return db.read(sql -> tasks.list(sql, orgId, status, kind, page));
  }

  public Task get(String orgId, String taskId) {
    return db.read(sql -> tasks.find(sql, orgId, taskId))
        .orElseThrow(() -> new NotFound("background task " + taskId + " not found"));
  }
}
