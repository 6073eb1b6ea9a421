package dev.herald.portal;

import dev.herald.endpoint.Endpoint;
import java.util.List;

/**
 * What {@code portal/endpoint-testing.jte} shows: the event types an example can be sent of, and
 * the last example's attempts.
 *
 * @param run the example just sent, or null
 * @param error why the last send was refused, or null
 */
public record EndpointTestingView(
    PortalFrame frame,
    Endpoint endpoint,
    List<String> eventTypes,
    boolean canSend,
    TestRun run,
    String error) {

  public EndpointTestingView {
    eventTypes = List.copyOf(eventTypes);
  }
}
