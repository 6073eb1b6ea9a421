package dev.herald.task;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * A durable background job (Svix's BackgroundTaskOut). It lives in the database, so a restart
 * resumes it from its recorded progress. {@code failure} is the reason it ended as failed, if so.
 */
public record Task(
    String id,
    @JsonIgnore String orgId,
    @JsonIgnore String appId,
    @JsonIgnore String kind,
    String status,
    @JsonIgnore JsonNode params,
    @JsonIgnore String progress,
    String failure,
    Instant updatedAt) {

  public static final String RUNNING = "running";
  public static final String FINISHED = "finished";
  public static final String FAILED = "failed";
  public static final List<String> STATUSES = List.of(RUNNING, FINISHED, FAILED);
  public static final String ENDPOINT_RECOVER = "endpoint.recover";

  /** Svix's task kinds: a filter may name any of them, though Herald runs only recover. */
  public static final List<String> KINDS =
      List.of(
          "endpoint.replay",
          ENDPOINT_RECOVER,
          "application.stats",
          "message.broadcast",
          "sdk.generate",
          "event-type.aggregate",
          "application.purge_content",
          "endpoint.bulk_replay");

  /** Svix names the kind {@code task}. */
  @JsonProperty("task")
  public String task() {
    return kind;
  }

  /** Svix's {@code data}: the task's parameters. */
  @JsonProperty("data")
  public JsonNode data() {
    return params;
  }
}
