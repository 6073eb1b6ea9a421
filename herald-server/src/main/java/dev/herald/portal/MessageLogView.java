package dev.herald.portal;

import dev.herald.endpoint.Endpoint;
import dev.herald.store.MessageLogStore;
import java.util.List;

/**
 * What {@code portal/endpoint-messages.jte} shows: an endpoint's message log under the filters of
 * {@code query}, the next page's link, and the recover form when the session may use it.
 *
 * @param problems why the filters could not be applied (the log is then empty)
 * @param next the next (older) page's link, or null on the last page
 * @param eventTypes the event type names to suggest in the filter
 * @param recoverSince the recover form's default time (datetime-local, UTC)
 */
public record MessageLogView(
    PortalFrame frame,
    Endpoint endpoint,
    MessageLogQuery query,
    List<MessageLogStore.Entry> entries,
    List<String> problems,
    String next,
    List<String> eventTypes,
    boolean canRecover,
    String recoverSince) {

  public MessageLogView {
    entries = List.copyOf(entries);
    problems = List.copyOf(problems);
    eventTypes = List.copyOf(eventTypes);
  }

  public String base() {
    return "/portal/endpoints/" + endpoint.id() + "/messages";
  }

  public static String status(MessageLogStore.Entry e) {
    return DeliveryText.status(e.status(), e.leased());
  }
}
