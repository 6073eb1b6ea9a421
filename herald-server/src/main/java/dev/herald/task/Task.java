package dev.herald.task;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A durable background job (Svix's BackgroundTaskOut). It lives in the database, so a restart
 * resumes it from its recorded progress.
 */
public record Task(
    String id,
    @JsonIgnore String orgId,
    @JsonIgnore String appId,
    @JsonIgnore String kind,
    String status,
    @JsonIgnore JsonNode params,
    @JsonIgnore String progress,
    Instant updatedAt) {

  public static final String RUNNING = "running";
  public static final String FINISHED = "finished";
  public static final String FAILED = "failed";
  public static final String ENDPOINT_RECOVER = "endpoint.recover";

  /** Svix names the kind {@code task}. */
  @com.fasterxml.jackson.annotation.JsonProperty("task")
  public String task() {
    return kind;
  }

  /** Svix's {@code data}: the task's parameters. */
  @com.fasterxml.jackson.annotation.JsonProperty("data")
  public JsonNode data() {
    return params;
  }
}
