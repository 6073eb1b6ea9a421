package dev.herald.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.error.ValidationFailed;
import dev.herald.eventtype.EventType;
import dev.herald.json.Json;
import io.javalin.http.Context;

/**
 * The event-type form as typed: the JSON Schema of version 1 and one example payload, each as JSON
 * text. Svix keeps both in {@code schemas}: {@code {"1": {…schema, "examples": [example]}}}.
 */
public record EventTypeForm(String name, String description, String schema, String example) {
  static final EventTypeForm EMPTY = new EventTypeForm("", "", "", "");
  private static final String VERSION = "1";

  static EventTypeForm read(Context ctx, String name) {
    return new EventTypeForm(
        name != null ? name : field(ctx, "name"),
        field(ctx, "description"),
        field(ctx, "schema"),
        field(ctx, "example"));
  }

  static EventTypeForm of(EventType t) {
    JsonNode v1 = t.schemas() == null ? null : t.schemas().get(VERSION);
    String schema = "";
    String example = "";
    if (v1 instanceof ObjectNode o) {
      ObjectNode copy = o.deepCopy();
      JsonNode examples = copy.remove("examples");
      if (examples instanceof ArrayNode a && !a.isEmpty()) {
        example = pretty(a.get(0));
      }
      schema = copy.isEmpty() ? "" : pretty(copy);
    }
    return new EventTypeForm(t.name(), t.description(), schema, example);
  }

  /** The API body for these fields; a field that is not JSON is refused with its label. */
  ObjectNode body() {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("name", name);
    body.put("description", description);
    JsonNode schemaNode = parse("schema", schema);
    JsonNode exampleNode = parse("example", example);
    if (schemaNode != null || exampleNode != null) {
      if (schemaNode != null && !schemaNode.isObject()) {
        throw ValidationFailed.of("schema", "must be a JSON object", "type_error.dict");
      }
      ObjectNode v1 = schemaNode == null ? Json.MAPPER.createObjectNode() : (ObjectNode) schemaNode;
      if (exampleNode != null) {
        v1.putArray("examples").add(exampleNode);
      }
      body.putObject("schemas").set(VERSION, v1);
    } else {
      body.putNull("schemas");
    }
    return body;
  }

  private static JsonNode parse(String label, String text) {
    if (text.isBlank()) {
      return null;
    }
    try {
      return Json.MAPPER.readTree(text);
    } catch (Exception e) {
      throw ValidationFailed.of(label, "is not valid JSON", "value_error.jsondecode");
    }
  }

  private static String pretty(JsonNode n) {
    try {
      return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(n);
    } catch (Exception e) {
      return n.toString();
    }
  }

  private static String field(Context ctx, String name) {
    String v = ctx.formParam(name);
    return v == null ? "" : v.strip();
  }
}
