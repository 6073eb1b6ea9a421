package dev.herald.portal;

import dev.herald.endpoint.Endpoint;
import java.util.List;

/**
 * What {@code portal/endpoints.jte} shows: the application's endpoints and, when the session may
 * manage endpoints, the create form with the values and error of the last attempt.
 *
 * @param more true when the application has more endpoints than the page lists
 * @param error why the last create was refused, or null
 */
public record EndpointsView(
    PortalFrame frame,
    List<Endpoint> endpoints,
    boolean more,
    boolean canManage,
    EndpointForm form,
    String error) {

  public EndpointsView {
    endpoints = List.copyOf(endpoints);
  }

  /** The event types an endpoint receives, as shown: all of them when it names none. */
  public static String eventTypes(Endpoint e) {
    return e.eventTypes() == null || e.eventTypes().isEmpty()
        ? "All events"
        : String.join(", ", e.eventTypes());
  }
}
