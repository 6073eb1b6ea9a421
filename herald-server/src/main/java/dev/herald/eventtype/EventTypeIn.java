package dev.herald.eventtype;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.json.BodyReader;
import java.util.List;

/** The writable fields of an event type, already validated. */
public record EventTypeIn(
    String description,
    JsonNode schemas,
    boolean archived,
    boolean deprecated,
    String featureFlag,
    String groupName,
    boolean validatePayloads) {

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
    String featureFlag = featureFlag(body, null);
    String groupName = body.string("groupName", 1, 256, BodyReader.ID_PATTERN);
    boolean validatePayloads = Boolean.TRUE.equals(body.bool("validatePayloads"));
    body.validate();
    return checked(
        new EventTypeIn(
            description, schemas, archived, deprecated, featureFlag, groupName, validatePayloads));
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
    JsonNode schemas =
        body.has("schemas") ? body.objectNode("schemas").orElse(null) : current.schemas();
    boolean archived =
        body.has("archived") ? Boolean.TRUE.equals(body.bool("archived")) : current.archived();
    boolean deprecated =
        body.has("deprecated")
            ? Boolean.TRUE.equals(body.bool("deprecated"))
            : current.deprecated();
    String featureFlag = featureFlag(body, current.featureFlag());
    String groupName =
        body.has("groupName")
            ? body.string("groupName", 1, 256, BodyReader.ID_PATTERN)
            : current.groupName();
    boolean validatePayloads =
        body.has("validatePayloads")
            ? Boolean.TRUE.equals(body.bool("validatePayloads"))
            : current.validatePayloads();
    body.validate();
    return checked(
        new EventTypeIn(
            description, schemas, archived, deprecated, featureFlag, groupName, validatePayloads));
  }

  /** An event type that asks for validation must have schemas that compile. */
  private static EventTypeIn checked(EventTypeIn in) {
    if (in.validatePayloads() && in.schemas() != null) {
      var problems = JsonSchemas.problems(in.schemas());
      if (!problems.isEmpty()) {
        throw new dev.herald.error.ValidationFailed(problems);
      }
    }
    return in;
  }

  /**
   * The flag from {@code featureFlag} or Svix's newer {@code featureFlags} set. Herald gates an
   * event type on one flag, so a set of one is that flag and a larger set is refused rather than
   * cut down; {@code current} when neither is sent.
   */
  private static String featureFlag(BodyReader body, String current) {
    String single =
        body.has("featureFlag")
            ? body.string("featureFlag", 1, 256, BodyReader.ID_PATTERN)
            : current;
    if (!body.has("featureFlags")) {
      return single;
    }
    List<String> set =
        body.stringSet("featureFlags", 0, Integer.MAX_VALUE, 256, BodyReader.ID_PATTERN);
    if (set != null && set.size() > 1) {
      body.fail(
          "featureFlags",
          "more than one feature flag per event type is not supported",
          "value_error.not_supported");
      return single;
    }
    String fromSet = set == null || set.isEmpty() ? null : set.get(0);
    if (body.has("featureFlag") && !java.util.Objects.equals(single, fromSet)) {
      body.fail(
          "featureFlags",
          "featureFlag and featureFlags name different flags",
          "value_error.alias_mismatch");
    }
    return fromSet;
  }
}
