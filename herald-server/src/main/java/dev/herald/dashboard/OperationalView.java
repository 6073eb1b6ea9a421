package dev.herald.dashboard;

import dev.herald.endpoint.Endpoint;
import java.util.List;

/** The operational-webhook endpoints, the event types they can receive, and the create form. */
public record OperationalView(
    Frame frame, List<Endpoint> endpoints, List<String> types, Form form, String error) {

  /** The create form as typed. */
  public record Form(String url, List<String> eventTypes, String description) {
    static final Form EMPTY = new Form("", List.of(), "");

    public Form {
      eventTypes = List.copyOf(eventTypes);
    }
  }

  public static String types(Endpoint e) {
    return e.eventTypes() == null || e.eventTypes().isEmpty()
        ? "All operational events"
        : String.join(", ", e.eventTypes());
  }
}
