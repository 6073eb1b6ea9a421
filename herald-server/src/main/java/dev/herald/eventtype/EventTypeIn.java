package dev.herald.eventtype;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.json.BodyReader;

/** The writable fields of an event type, already validated. */
public record EventTypeIn(
    String description, JsonNode schemas, boolean archived, boolean deprecated, String featureFlag) {

  /** Reads EventTypeIn's name (POST only). */
  public static String readName(BodyReader body) {
    String name = body.requiredString("name");
    if (name != null) {
      body.string("name", 1, 256, BodyReader.ID_PATTERN);
    }
    return name;
  }

  /** Reads a full body (POST and PUT). */
  public static EventTypeIn read(BodyReader body) {
    String description = body.requiredString("description");
    JsonNode schemas = body.objectNode("schemas").orElse(null);
    boolean archived = Boolean.TRUE.equals(body.bool("archived"));
    boolean deprecated = Boolean.TRUE.equals(body.bool("deprecated"));
    String featureFlag = body.string("featureFlag", 1, 256, BodyReader.ID_PATTERN);
    body.validate();
    return new EventTypeIn(description, schemas, archived, deprecated, featureFlag);
  }

  /** Applies a PATCH body: absent fields keep their value. */
  public static EventTypeIn patch(EventType current, BodyReader body) {
    String description = current.description();
    if (body.has("description")) {
      description = body.string("description");
      if (description == null) {
        body.fail("description", "none is not an allowed value", "type_error.none.not_allowed");
      }
    }
    JsonNode schemas = body.has("schemas") ? body.objectNode("schemas").orElse(null) : current.schemas();
    boolean archived = body.has("archived") ? Boolean.TRUE.equals(body.bool("archived")) : current.archived();
    boolean deprecated = body.has("deprecated") ? Boolean.TRUE.equals(body.bool("deprecated")) : current.deprecated();
    String featureFlag = body.has("featureFlag") ? body.string("featureFlag", 1, 256, BodyReader.ID_PATTERN) : current.featureFlag();
    body.validate();
    return new EventTypeIn(description, schemas, archived, deprecated, featureFlag);
  }
}
