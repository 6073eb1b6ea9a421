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

  /**
   * The examples of the first schema that has any (Svix's send-example takes them from there), or
   * an empty array.
   */
  @JsonIgnore
  public JsonNode examples() {
    if (schemas != null) {
      for (JsonNode schema : schemas) {
        JsonNode examples = schema.get("examples");
        if (examples != null && examples.isArray() && !examples.isEmpty()) {
          return examples;
        }
      }
    }
    return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
  }
}
