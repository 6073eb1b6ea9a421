package dev.herald.eventtype;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.herald.error.ValidationFailed;
import java.util.ArrayList;
import java.util.List;

/** JSON Schema draft 7 through networknt's validator: compiling, and problems as 422 items. */
final class JsonSchemas {
  private JsonSchemas() {}

  /**
   * Built on first use, so a node whose event types never validate does not pay for it at start.
   */
  private static final class Registry {
    // Remote $refs are never fetched: a schema must not make Herald call out to the network.
    static final SchemaRegistry DRAFT_7 =
        SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_7, b -> b.schemaLoader(l -> l.fetchRemoteResources(false)));
  }

  /** Compiles a draft-7 schema; throws when it cannot be used. */
  static Schema compile(JsonNode schema) {
    Schema compiled = Registry.DRAFT_7.getSchema(schema);
    // Resolves every $ref now, so a schema that cannot be used fails here and not on some message.
    compiled.initializeValidators();
    return compiled;
  }

  /** Each rule the payload breaks, located in the body at the failing value. */
  static List<ValidationFailed.Item> problems(String eventType, Schema schema, JsonNode payload) {
    return schema.validate(payload).stream().map(e -> item(eventType, e)).toList();
  }

  /**
   * Why the schemas cannot be used for validation (one item per bad version), or nothing; checked
   * when an event type that asks for validation is saved.
   */
  static List<ValidationFailed.Item> problems(JsonNode schemas) {
    List<ValidationFailed.Item> out = new ArrayList<>();
    schemas
        .properties()
        .forEach(
            e -> {
              try {
                compile(e.getValue());
              } catch (RuntimeException ex) {
                out.add(
                    new ValidationFailed.Item(
                        List.of("body", "schemas", e.getKey()),
                        "this schema cannot be compiled as JSON Schema draft 7: " + ex.getMessage(),
                        "value_error.schema.invalid"));
              }
            });
    return out;
  }

  /** The schema of the highest version (Svix numbers versions "1", "2", ...), or null. */
  static JsonNode newest(JsonNode schemas) {
    if (schemas == null || !schemas.isObject()) {
      return null;
    }
    JsonNode best = null;
    long bestVersion = Long.MIN_VALUE;
    for (var e : schemas.properties()) {
      long version;
      try {
        version = Long.parseLong(e.getKey());
      } catch (NumberFormatException ex) {
        version = Long.MIN_VALUE + 1;
      }
      if (best == null || version > bestVersion) {
        best = e.getValue();
        bestVersion = version;
      }
    }
    return best;
  }

  private static ValidationFailed.Item item(String eventType, Error e) {
    List<String> loc = new ArrayList<>(List.of("body", "payload"));
    var at = e.getInstanceLocation();
    for (int i = 0; i < at.getNameCount(); i++) {
      loc.add(String.valueOf(at.getElement(i)));
    }
    String rule = e.getKeyword();
    return new ValidationFailed.Item(
        loc,
        e.getMessage()
            + " (rule \""
            + rule
            + "\" of the schema of event type "
            + eventType
            + ", at "
            + e.getSchemaLocation()
            + ")",
        "value_error.schema." + rule);
  }
}
