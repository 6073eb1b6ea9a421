package dev.herald.portal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.json.Json;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.List;

/**
 * The create-endpoint form as typed, turned into the JSON body the API takes, so the portal
 * validates with exactly the API's rules ({@code EndpointIn.read}).
 *
 * @param eventTypes comma- or space-separated names; empty means every event type
 */
public record EndpointForm(String url, String eventTypes, String description) {
  static final EndpointForm EMPTY = new EndpointForm("", "", "");

  public EndpointForm {
    url = url == null ? "" : url.strip();
    eventTypes = eventTypes == null ? "" : eventTypes.strip();
    description = description == null ? "" : description.strip();
  }

  static EndpointForm read(Context ctx) {
    return new EndpointForm(
        ctx.formParam("url"), ctx.formParam("eventTypes"), ctx.formParam("description"));
  }

  List<String> eventTypeNames() {
    return eventTypes.isEmpty() ? List.of() : Arrays.asList(eventTypes.split("[,\\s]+"));
  }

  ObjectNode body() {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("url", url);
    if (!description.isEmpty()) {
      body.put("description", description);
    }
    List<String> names = eventTypeNames();
    if (!names.isEmpty()) {
      names.forEach(body.putArray("filterTypes")::add);
    }
    return body;
  }

  /** The form's label for a body field named in a validation error. */
  static String label(String field) {
    return switch (field) {
      case "url" -> "URL";
      case "filterTypes" -> "Event types";
      case "description" -> "Description";
      default -> field;
    };
  }
}
