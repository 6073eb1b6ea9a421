package dev.herald.portal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.endpoint.Endpoint;
import dev.herald.endpoint.UrlCredentials;
import dev.herald.json.Json;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The endpoint form as typed, turned into the JSON body the API takes, so the portal validates with
 * exactly the API's rules ({@code EndpointIn.read} and {@code EndpointIn.patch}).
 *
 * @param allEvents the explicit "all events" choice; otherwise the endpoint gets only the chosen
 *     event types
 * @param chosen event types ticked one by one
 * @param groups dotted prefixes ticked as a whole ({@code invoice} stands for every {@code
 *     invoice.*} type in the catalogue)
 * @param otherTypes more names typed by hand, comma- or space-separated
 * @param channels comma- or space-separated channel names; empty means every channel
 * @param throttleRate messages per second as typed; empty means no limit
 */
public record EndpointForm(
    String url,
    String description,
    boolean allEvents,
    List<String> chosen,
    List<String> groups,
    String otherTypes,
    String channels,
    String throttleRate,
    boolean enabled) {
  static final EndpointForm EMPTY =
      new EndpointForm("", "", true, List.of(), List.of(), "", "", "", true);

  public EndpointForm {
    url = strip(url);
    description = strip(description);
    chosen = List.copyOf(chosen);
    groups = List.copyOf(groups);
    otherTypes = strip(otherTypes);
    channels = strip(channels);
    throttleRate = strip(throttleRate);
  }

  private static String strip(String s) {
    return s == null ? "" : s.strip();
  }

  /**
   * The form of a POST. Without a {@code scope} field (an older form, or a hand-made request) the
   * endpoint gets every event type unless names were typed.
   */
  static EndpointForm read(Context ctx) {
    String scope = ctx.formParam("scope");
    String typed = ctx.formParam("eventTypes");
    boolean all = scope == null ? strip(typed).isEmpty() : scope.equals("all");
    return new EndpointForm(
        ctx.formParam("url"),
        ctx.formParam("description"),
        all,
        ctx.formParams("eventType"),
        ctx.formParams("eventGroup"),
        typed,
        ctx.formParam("channels"),
        ctx.formParam("throttleRate"),
        ctx.formParam("enabled") != null || ctx.formParam("scope") == null);
  }

  /** The form showing an endpoint as it is, for editing. */
  static EndpointForm of(Endpoint e) {
    boolean all = e.eventTypes() == null || e.eventTypes().isEmpty();
    return new EndpointForm(
        UrlCredentials.masked(e.url()),
        e.description(),
        all,
        all ? List.of() : e.eventTypes(),
        List.of(),
        "",
        e.channels() == null ? "" : String.join(", ", e.channels()),
        e.throttleRate() == null ? "" : e.throttleRate().toString(),
        !e.disabled());
  }

  /** The event types this form subscribes to; empty when it takes all of them. */
  List<String> eventTypeNames(EventTypeChoices catalogue) {
    if (allEvents) {
      return List.of();
    }
    Set<String> names = new LinkedHashSet<>(chosen);
    for (String g : groups) {
      names.addAll(catalogue.namesIn(g));
    }
    names.addAll(split(otherTypes));
    return List.copyOf(names);
  }

  public boolean isChosen(String eventType) {
    return !allEvents && chosen.contains(eventType);
  }

  /**
   * This form as saved over {@code current}: a URL that comes back as the masked form of the stored
   * one (credentials from before they were refused, shown as {@code ***}) keeps the stored URL.
   */
  EndpointForm over(Endpoint current) {
    if (!url.equals(UrlCredentials.masked(current.url())) || url.equals(current.url())) {
      return this;
    }
    return new EndpointForm(
        current.url(),
        description,
        allEvents,
        chosen,
        groups,
        otherTypes,
        channels,
        throttleRate,
        enabled);
  }

  /**
   * The body for {@code EndpointIn}: every field the form has, so a patch with it sets each one (an
   * empty list or a rate of 0 clears it).
   */
  ObjectNode body(EventTypeChoices catalogue) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("url", url);
    body.put("description", description);
    body.put("disabled", !enabled);
    ArrayNode types = body.putArray("filterTypes");
    eventTypeNames(catalogue).forEach(types::add);
    ArrayNode ch = body.putArray("channels");
    split(channels).forEach(ch::add);
    if (throttleRate.isEmpty()) {
      body.put("throttleRate", 0);
    } else if (throttleRate.matches("[0-9]{1,9}")) {
      body.put("throttleRate", Long.parseLong(throttleRate));
    } else {
      body.put("throttleRate", throttleRate);
    }
    return body;
  }

  /** The body of a create: empty lists and no rate are left out (the API's create refuses them). */
  ObjectNode createBody(EventTypeChoices catalogue) {
    ObjectNode body = body(catalogue);
    for (String field : List.of("filterTypes", "channels")) {
      if (body.get(field).isEmpty()) {
        body.remove(field);
      }
    }
    if (throttleRate.isEmpty()) {
      body.remove("throttleRate");
    }
    return body;
  }

  private static List<String> split(String s) {
    return s.isEmpty() ? List.of() : new ArrayList<>(Arrays.asList(s.split("[,\\s]+")));
  }

  /** The form's label for a body field named in a validation error. */
  static String label(String field) {
    return switch (field) {
      case "url" -> "URL";
      case "filterTypes" -> "Event types";
      case "description" -> "Description";
      case "channels" -> "Channels";
      case "throttleRate" -> "Rate limit";
      default -> field;
    };
  }
}
