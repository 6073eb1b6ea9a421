package dev.herald.task;

import dev.herald.endpoint.Endpoint;
import dev.herald.endpoint.EndpointService;
import dev.herald.error.NotFound;
import dev.herald.id.IdPrefix;
import dev.herald.id.Ids;
import dev.herald.json.Json;
import dev.herald.store.Database;
import dev.herald.store.TaskStore;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;

/** Starts and reads durable background tasks. */
public final class TaskService {
  private final Database db;
  private final TaskStore tasks;
  private final EndpointService endpoints;
  private final TaskRunner runner;
  private final Ids ids;
  private final InstantSource clock;

  public TaskService(Database db, TaskStore tasks, EndpointService endpoints, TaskRunner runner, Ids ids,
      InstantSource clock) {
    this.db = db;
    this.tasks = tasks;
    this.endpoints = endpoints;
    this.runner = runner;
    this.ids = ids;
    this.clock = clock;
  }

  /** Recover: re-queues the endpoint's failed deliveries created in [since, until or now). */
  public Task startRecover(String orgId, String appIdOrUid, String endpointIdOrUid, Instant since, Instant until) {
    Task task = db.write(sql -> {
      Endpoint ep = endpoints.find(sql, orgId, appIdOrUid, endpointIdOrUid);
      Instant now = clock.instant();
      Map<String, Object> params = new LinkedHashMap<>();
      params.put("endpointId", ep.id());
      params.put("since", since.toString());
      params.put("until", (until != null ? until : now).toString());
      Task t = new Task(ids.next(IdPrefix.TASK), orgId, ep.appId(), Task.ENDPOINT_RECOVER, Task.RUNNING,
          Json.MAPPER.valueToTree(params), null, now);
      tasks.insert(sql, t, now);
      return t;
    });
    runner.wake();
    return task;
  }

  public Task get(String orgId, String taskId) {
    return db.read(sql -> tasks.find(sql, orgId, taskId))
        .orElseThrow(() -> new NotFound("background task " + taskId + " not found"));
  }
}
