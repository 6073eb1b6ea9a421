package dev.herald.eventtype;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * An entry of the org's event catalogue. Svix's EventTypeOut (the id is internal), plus Herald's
 * {@code validatePayloads}: messages of this type are checked against its schema (PayloadSchemas).
 */
public record EventType(
    @JsonIgnore String id,
    @JsonIgnore String orgId,
    String name,
    String description,
    JsonNode schemas,
    boolean archived,
    boolean deprecated,
    String featureFlag,
    Instant createdAt,
    Instant updatedAt,
    String groupName,
    boolean validatePayloads) {

  /** The same entry without its schemas, as lists show it unless {@code with_content=true}. */
  public EventType withoutSchemas() {
    return new EventType(
        id,
        orgId,
        name,
        description,
        null,
        archived,
        deprecated,
        featureFlag,
        createdAt,
        updatedAt,
        groupName,
        validatePayloads);
  }

  /** Svix's newer SDKs read the flag as a set; Herald holds at most one (see EventTypeIn). */
  @JsonProperty("featureFlags")
  public List<String> featureFlags() {
    return featureFlag == null ? null : List.of(featureFlag);
  }
}
