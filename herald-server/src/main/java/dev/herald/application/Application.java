package dev.herald.application;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;

/** A receiving customer of the org; endpoints and messages belong to one. Svix's ApplicationOut. */
public record Application(
    String id,
    @JsonIgnore String orgId,
    @JsonInclude(JsonInclude.Include.ALWAYS) String uid,
    String name,
    Map<String, String> metadata,
    @JsonInclude(JsonInclude.Include.ALWAYS) Integer throttleRate,
    Instant createdAt,
    Instant updatedAt) {

  public Application {
    metadata = Map.copyOf(metadata);
  }

  /** Svix's SDKs still read the deprecated alias of {@code throttleRate}. */
  @JsonProperty("rateLimit")
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public Integer rateLimit() {
    return throttleRate;
  }
}
