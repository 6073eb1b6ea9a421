package dev.herald.portal;

import dev.herald.attempt.SuccessByHour;
import dev.herald.endpoint.Endpoint;
import java.util.List;

/**
 * What {@code portal/endpoints.jte} shows: the application's endpoints with their last 24 hours.
 *
 * @param nextPage the iterator of the next page, or null on the last
 */
public record EndpointsView(PortalFrame frame, List<Row> rows, String nextPage, boolean canManage) {

  /** One endpoint and its last 24 hours. */
  public record Row(Endpoint endpoint, SuccessByHour day, Sparkline sparkline) {}

  public EndpointsView {
    rows = List.copyOf(rows);
  }

  /** The event types an endpoint receives, as shown: all of them when it names none. */
  public static String eventTypes(Endpoint e) {
    return e.eventTypes() == null || e.eventTypes().isEmpty()
        ? "All events"
        : String.join(", ", e.eventTypes());
  }
}
